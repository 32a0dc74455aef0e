import avsc from "avsc";
import {describe, expect, it} from "vitest";
import {InvalidValueError} from "../../src/components/schema/parse.js";
import {decodeWire, encodeWire, inspectWire, WireFormatError} from "../../src/components/schema/wire.js";
import {orderV1, record} from "./fixtures.js";
import {thrown} from "../thrown.js";

const lookup = (schemas: Record<number, object>) => (id: number) => schemas[id];
const errorOf = (fn: () => unknown) => thrown<WireFormatError>(fn);

describe("wire format", () => {
  it("is magic byte 0x00, the schema id as 4 bytes big-endian, then avsc's Avro binary body", () => {
    const value = {id: 42, amount: 9.5};
    const bytes = encodeWire(258, orderV1, value);
    expect(bytes.constructor).toBe(Uint8Array); // a plain Uint8Array, also in Node
    expect(Array.from(bytes.subarray(0, 5))).toEqual([0, 0, 0, 1, 2]);
    expect(Array.from(bytes.subarray(5))).toEqual(Array.from(avsc.Type.forSchema(orderV1 as never).toBuffer(value)));
    expect(decodeWire(bytes, lookup({258: orderV1}))).toEqual({schemaId: 258, value});
  });

  it("round-trips values larger than the scratch buffer, and independent results", () => {
    const schema = record("Blob", [{name: "text", type: "string"}]);
    const big = {text: "x".repeat(100_000)};
    const first = encodeWire(1, schema, big);
    const second = encodeWire(1, schema, {text: "small"});
    expect(decodeWire(first, () => schema).value).toEqual(big);
    expect(decodeWire(second, () => schema).value).toEqual({text: "small"});
    // Accepts a view inside a larger buffer.
    const padded = new Uint8Array(second.length + 10);
    padded.set(second, 7);
    expect(decodeWire(padded.subarray(7, 7 + second.length), () => schema).value).toEqual({text: "small"});
  });

  it("resolves the writer's schema to the reader's: defaults fill in, aliases rename, unknown fields are skipped", () => {
    const v1 = record("Customer", [{name: "id", type: "long"}, {name: "mail", type: "string"}, {name: "age", type: "int"}]);
    const v2 = record("Customer", [
      {name: "id", type: "long"},
      {name: "email", type: "string", aliases: ["mail"]},
      {name: "country", type: "string", default: "NL"}
    ]);
    const bytes = encodeWire(1, v1, {id: 7, mail: "a@example.com", age: 40});
    expect(decodeWire(bytes, lookup({1: v1}), v2).value).toEqual({id: 7, email: "a@example.com", country: "NL"});
  });

  it("says clearly what is wrong with the bytes", () => {
    const bytes = encodeWire(1, orderV1, {id: 1, amount: 2});
    expect(errorOf(() => decodeWire(new TextEncoder().encode('{"id":1}'), lookup({1: orderV1})))).toMatchObject({
      kind: "magic-byte",
      message: expect.stringMatching(/^Unknown magic byte! Expected 0x00, found 0x7b \(it starts like JSON text/)
    });
    expect(errorOf(() => decodeWire(bytes.subarray(0, 3), lookup({1: orderV1})))).toMatchObject({kind: "too-short", message: expect.stringMatching(/3 byte\(s\) cannot be/)});
    expect(errorOf(() => decodeWire(bytes, lookup({})))).toMatchObject({kind: "unknown-schema", message: expect.stringMatching(/unknown schema id 1/)});
    expect(errorOf(() => decodeWire(bytes.subarray(0, bytes.length - 2), lookup({1: orderV1})))).toMatchObject({kind: "truncated"});
    // After a longer record, a truncated one does not read the longer record's leftover bytes.
    const note = record("Note", [{name: "text", type: "string"}, {name: "n", type: "long"}]);
    const long = encodeWire(2, note, {text: "y".repeat(500), n: 1});
    const short = encodeWire(2, note, {text: "z", n: 2});
    expect(decodeWire(long, () => note).value).toEqual({text: "y".repeat(500), n: 1});
    expect(errorOf(() => decodeWire(short.subarray(0, short.length - 1), () => note))).toMatchObject({kind: "truncated"});
    expect(decodeWire(short, () => note).value).toEqual({text: "z", n: 2});
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(errorOf(() => decodeWire(longer, lookup({1: orderV1})))).toMatchObject({kind: "trailing-bytes"});
    expect(errorOf(() => decodeWire("text" as never, lookup({1: orderV1})))).toMatchObject({kind: "not-bytes"});
    const reader = record("Order", [...orderV1.fields, {name: "email", type: "string"}]);
    const unresolvable = errorOf(() => decodeWire(bytes, lookup({1: orderV1}), reader));
    expect(unresolvable.kind).toBe("unresolvable");
    expect(unresolvable.issues).toEqual([expect.objectContaining({path: "email", kind: "READER_FIELD_MISSING_DEFAULT_VALUE"})]);
    expect(() => encodeWire(-1, orderV1, {})).toThrow(/schemaId must be an integer from 0 to 2147483647/);
  });

  it("names the field and value that do not fit the schema", () => {
    const error = errorOf(() => encodeWire(1, orderV1, {id: 1, amount: "12.50"})) as unknown as InvalidValueError;
    expect(error).toBeInstanceOf(InvalidValueError);
    expect(error.message).toBe('value does not match schema record Order: amount = "12.50" is not a valid double');
    expect(error.problems).toEqual([{path: "amount", value: "12.50", expected: "double"}]);
  });

  it("annotates the bytes by region for the byte inspector", () => {
    const schema = record("Order", [
      {name: "id", type: "long"},
      {name: "customer", type: record("Customer", [{name: "name", type: "string"}, {name: "vip", type: "boolean"}])},
      {name: "note", type: ["null", "string"]}
    ]);
    const bytes = encodeWire(3, schema, {id: 300, customer: {name: "Ada", vip: true}, note: null});
    const regions = inspectWire(bytes, () => schema);
    expect(regions.map((r) => [r.kind, r.label, r.start, r.end, r.depth])).toEqual([
      ["magic", "magic byte", 0, 1, 0],
      ["schema-id", "schema id 3", 1, 5, 0],
      ["field", "id", 5, 7, 0],
      ["field", "customer", 7, 12, 0],
      ["field", "customer.name", 7, 11, 1],
      ["field", "customer.vip", 11, 12, 1],
      ["field", "note", 12, 13, 0]
    ]);
    expect(regions[2]).toMatchObject({hex: "d8 04", value: 300, type: "long"});
    expect(regions.at(-1)!.end).toBe(bytes.length);
  });
});
