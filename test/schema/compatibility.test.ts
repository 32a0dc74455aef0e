import {describe, expect, it} from "vitest";
import {
  canRead,
  checkCompatibility,
  checkReadable,
  COMPATIBILITY_LEVELS,
  isCompatible,
  verdictsByLevel,
  type CompatibilityLevel
} from "../../src/components/schema/compatibility.js";
import {orderV1, record} from "./fixtures.js";

const kinds = (reader: unknown, writer: unknown) => checkReadable(reader as object, writer as object).issues.map((i) => i.kind);

describe("Avro specification, Schema Resolution", () => {
  it("promotes int→long/float/double, long→float/double, float→double, string↔bytes, and nothing else", () => {
    const allowed = new Set(["long<int", "float<int", "double<int", "float<long", "double<long", "double<float", "bytes<string", "string<bytes"]);
    const primitives = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"];
    for (const reader of primitives) {
      for (const writer of primitives) {
        const expected = reader === writer || allowed.has(`${reader}<${writer}`);
        expect(canRead(JSON.stringify(reader), JSON.stringify(writer)), `${reader} reads ${writer}`).toBe(expected);
        if (!expected) expect(kinds(JSON.stringify(reader), JSON.stringify(writer))).toEqual(["TYPE_MISMATCH"]);
      }
    }
  });

  it("records: a reader field missing from the writer needs a default; writer-only fields are ignored", () => {
    const withCurrency = record("Order", [...orderV1.fields, {name: "currency", type: "string", default: "EUR"}]);
    const withRequired = record("Order", [...orderV1.fields, {name: "currency", type: "string"}]);
    expect(canRead(withCurrency, orderV1)).toBe(true);
    expect(canRead(orderV1, withRequired)).toBe(true); // the writer's extra field is skipped
    const result = checkReadable(withRequired, orderV1);
    expect(result.compatible).toBe(false);
    expect(result.issues).toEqual([
      expect.objectContaining({kind: "READER_FIELD_MISSING_DEFAULT_VALUE", path: "currency", location: "/fields/2"})
    ]);
    expect(result.issues[0].message).toMatch(/"currency" \(string\) has no default/);
  });

  it("named types match on their unqualified name, or through the reader's aliases", () => {
    expect(canRead(record("Order", orderV1.fields, {namespace: "shop.v2"}), record("Order", orderV1.fields, {namespace: "shop.v1"}))).toBe(true);
    expect(kinds(record("Purchase", orderV1.fields), orderV1)).toEqual(["NAME_MISMATCH"]);
    expect(canRead(record("Purchase", orderV1.fields, {aliases: ["Order"]}), orderV1)).toBe(true);
    const issue = checkReadable(record("Purchase", orderV1.fields), orderV1).issues[0];
    expect(issue).toMatchObject({path: "", location: "/name"});
  });

  it("field aliases make a rename readable (backward), and only on the reader's side", () => {
    const v1 = record("Customer", [{name: "id", type: "long"}, {name: "mail", type: "string"}]);
    const renamed = record("Customer", [{name: "id", type: "long"}, {name: "email", type: "string"}]);
    const aliased = record("Customer", [{name: "id", type: "long"}, {name: "email", type: "string", aliases: ["mail"]}]);
    expect(kinds(renamed, v1)).toEqual(["READER_FIELD_MISSING_DEFAULT_VALUE"]);
    expect(canRead(aliased, v1)).toBe(true);
    expect(isCompatible("BACKWARD", aliased, [v1])).toBe(true);
    // The old reader does not know the alias: it finds no "mail" in data written with "email".
    expect(isCompatible("FORWARD", aliased, [v1])).toBe(false);
  });

  it("enums: the writer's symbols must all be known to the reader, unless the reader has a default", () => {
    const enumOf = (symbols: string[], extra = {}) => ({type: "enum", name: "Status", symbols, ...extra});
    expect(canRead(enumOf(["NEW", "PAID", "SHIPPED"]), enumOf(["NEW", "PAID"]))).toBe(true);
    const result = checkReadable(enumOf(["NEW", "PAID"]), enumOf(["NEW", "PAID", "SHIPPED"]));
    expect(result.issues).toEqual([expect.objectContaining({kind: "MISSING_ENUM_SYMBOLS", location: "/symbols"})]);
    expect(result.issues[0].message).toContain("SHIPPED");
    expect(canRead(enumOf(["UNKNOWN", "NEW", "PAID"], {default: "UNKNOWN"}), enumOf(["NEW", "PAID", "SHIPPED"]))).toBe(true);
    expect(kinds(enumOf(["A"]), {type: "enum", name: "Other", symbols: ["A"]})).toEqual(["NAME_MISMATCH"]);
  });

  it("fixed: same name and size", () => {
    const fixed = (name: string, size: number) => ({type: "fixed", name, size});
    expect(canRead(fixed("Md5", 16), fixed("Md5", 16))).toBe(true);
    expect(kinds(fixed("Md5", 16), fixed("Md5", 20))).toEqual(["FIXED_SIZE_MISMATCH"]);
    expect(kinds(fixed("Md5", 16), fixed("Sha", 16))).toEqual(["NAME_MISMATCH"]);
  });

  it("unions: every branch the writer may write must be readable; a reader union needs one branch that reads the writer", () => {
    expect(canRead(["null", "string"], "string")).toBe(true);
    expect(canRead(["null", "long"], "int")).toBe(true); // through a promotion
    expect(kinds(["null", "string"], "int")).toEqual(["MISSING_UNION_BRANCH"]);
    expect(canRead("string", ["null", "string"])).toBe(false); // the writer may write null
    expect(canRead(["null", "string", "int"], ["null", "string"])).toBe(true);
    const result = checkReadable(["null", "string"], ["null", "string", "int"]);
    expect(result.issues).toEqual([expect.objectContaining({kind: "MISSING_UNION_BRANCH", location: "/2"})]);
    expect(canRead(["null", "double"], ["null", "int", "float"])).toBe(true);
  });

  it("arrays and maps resolve their items and values, with paths that say where", () => {
    const order = (itemType: string) =>
      record("Order", [
        {name: "lines", type: {type: "array", items: record("Line", [{name: "qty", type: itemType}])}},
        {name: "tags", type: {type: "map", values: itemType}}
      ]);
    expect(canRead(order("long"), order("int"))).toBe(true);
    const result = checkReadable(order("int"), order("string"));
    expect(result.issues.map(({kind, path, location}) => ({kind, path, location}))).toEqual([
      {kind: "TYPE_MISMATCH", path: "lines[].qty", location: "/fields/0/type/items/fields/0/type"},
      {kind: "TYPE_MISMATCH", path: "tags{}", location: "/fields/1/type/values"}
    ]);
  });

  it("lists every reason, each with the path of its field", () => {
    const writer = record("Order", [
      {name: "id", type: "string"},
      {name: "customer", type: record("Customer", [{name: "email", type: "string"}])}
    ]);
    const reader = record("Order", [
      {name: "id", type: "long"},
      {name: "customer", type: record("Customer", [{name: "email", type: "string"}, {name: "phone", type: "string"}])},
      {name: "total", type: "double"}
    ]);
    const {issues} = checkReadable(reader, writer);
    expect(issues.map((i) => [i.kind, i.path])).toEqual([
      ["TYPE_MISMATCH", "id"],
      ["READER_FIELD_MISSING_DEFAULT_VALUE", "customer.phone"],
      ["READER_FIELD_MISSING_DEFAULT_VALUE", "total"]
    ]);
  });

  it("recursive schemas terminate", () => {
    const node = (valueType: string) => ({
      type: "record",
      name: "Node",
      fields: [{name: "value", type: valueType}, {name: "next", type: ["null", "Node"], default: null}]
    });
    expect(canRead(node("long"), node("int"))).toBe(true);
    expect(kinds(node("int"), node("long"))).toEqual(["TYPE_MISMATCH"]);
  });
});

// Confluent, "Schema Evolution and Compatibility": BACKWARD allows deleting fields and adding
// optional ones (fields with defaults); FORWARD allows adding fields and deleting optional ones;
// FULL allows adding and deleting optional fields only.
describe("Confluent's table of allowed changes", () => {
  const base = record("Order", [
    {name: "id", type: "long"},
    {name: "note", type: "string", default: ""},
    {name: "email", type: "string"}
  ]);
  const without = (name: string) => record("Order", base.fields.filter((f) => f.name !== name));
  const changes: Record<string, object> = {
    "add a field with a default": record("Order", [...base.fields, {name: "currency", type: "string", default: "EUR"}]),
    "add a field without a default": record("Order", [...base.fields, {name: "currency", type: "string"}]),
    "delete a field with a default": without("note"),
    "delete a field without a default": without("email")
  };
  const expected: Record<string, Partial<Record<CompatibilityLevel, boolean>>> = {
    "add a field with a default": {NONE: true, BACKWARD: true, FORWARD: true, FULL: true},
    "add a field without a default": {NONE: true, BACKWARD: false, FORWARD: true, FULL: false},
    "delete a field with a default": {NONE: true, BACKWARD: true, FORWARD: true, FULL: true},
    "delete a field without a default": {NONE: true, BACKWARD: true, FORWARD: false, FULL: false}
  };
  for (const [change, candidate] of Object.entries(changes)) {
    it(change, () => {
      for (const [level, allowed] of Object.entries(expected[change]) as [CompatibilityLevel, boolean][]) {
        expect(isCompatible(level, candidate, [base]), level).toBe(allowed);
        if (level !== "NONE") expect(isCompatible(`${level}_TRANSITIVE` as CompatibilityLevel, candidate, [base]), `${level}_TRANSITIVE`).toBe(allowed);
      }
    });
  }

  it("non-transitive levels check the latest schema only; transitive ones all of them", () => {
    const v1 = record("Customer", [{name: "id", type: "long"}]);
    const v2 = record("Customer", [{name: "id", type: "long"}, {name: "email", type: "string", default: ""}]);
    const v3 = record("Customer", [{name: "id", type: "long"}, {name: "email", type: "string"}]);
    expect(isCompatible("BACKWARD", v3, [v1, v2])).toBe(true);
    const report = checkCompatibility("BACKWARD_TRANSITIVE", v3, [v1, v2]);
    expect(report.compatible).toBe(false);
    expect(report.checks.filter((c) => !c.compatible).map((c) => [c.previousIndex, c.direction])).toEqual([[0, "backward"]]);
  });

  it("directions: BACKWARD = the new schema reads old data, FORWARD = old schemas read new data", () => {
    const added = changes["add a field without a default"];
    const report = checkCompatibility("FULL", added, [base]);
    expect(report.checks.map((c) => [c.direction, c.compatible])).toEqual([["backward", false], ["forward", true]]);
    expect(report.checks[0].issues[0]).toMatchObject({kind: "READER_FIELD_MISSING_DEFAULT_VALUE", path: "currency"});
  });

  it("gives a verdict at every level at once, and refuses an unknown level by name", () => {
    const verdicts = verdictsByLevel(changes["delete a field without a default"], [base]);
    expect(Object.keys(verdicts)).toEqual([...COMPATIBILITY_LEVELS]);
    expect(Object.fromEntries(Object.entries(verdicts).map(([k, v]) => [k, v.compatible]))).toEqual({
      NONE: true,
      BACKWARD: true,
      BACKWARD_TRANSITIVE: true,
      FORWARD: false,
      FORWARD_TRANSITIVE: false,
      FULL: false,
      FULL_TRANSITIVE: false
    });
    expect(() => isCompatible("SIDEWAYS" as CompatibilityLevel, base, [])).toThrow(/invalid compatibility level "SIDEWAYS": valid values are NONE, BACKWARD/);
    expect(isCompatible("FULL_TRANSITIVE", base, [])).toBe(true); // a first schema is always accepted
  });
});
