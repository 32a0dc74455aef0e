// 11.5's page logic over the shipped data: every claim the page makes about a schema change is
// what the checker finds, the registry refuses what it should, the deploy order decides which
// side fails, and the byte inspector frames the typed value or names the field that does not fit.
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {
  checkSchemaFiles,
  deployPair,
  encodingNote,
  exampleValue,
  exampleVerdicts,
  inspectValue,
  parseVersions,
  readBothWays,
  registerVersions,
  registryRows,
  runDeploy,
  verdictReasons,
  verdictSummary,
  versionStatus,
  versionVerdicts,
  type SchemaExample
} from "../../../src/components/labs/schema/model.js";

const read = (file: string) => readFileSync(new URL(`../../../${file}`, import.meta.url), "utf8");
const files = ["v1", "v2", "v3"].map((name) => ({name, file: `data/schemas/${name}.avsc`, text: read(`data/schemas/${name}.avsc`)}));
const texts = files.map((f) => f.text);
const examples: SchemaExample[] = (JSON.parse(read("data/schemas/examples.json")) as {id: string; label: string; lesson: string; schema: object}[]).map(
  ({schema, ...rest}) => ({...rest, text: JSON.stringify(schema)})
);
const example = (id: string) => examples.find((e) => e.id === id)!.text;

describe("the shipped schemas", () => {
  it("are valid JSON and valid Avro", () => {
    expect(() => checkSchemaFiles([...files, ...examples.map((e) => ({file: e.id, text: e.text}))])).not.toThrow();
  });

  it("v2 is FULL after v1; v3 passes BACKWARD but not BACKWARD_TRANSITIVE, because of deliveryType", () => {
    const [v2, v3] = versionVerdicts(parseVersions(texts));
    expect(v2.ok && v2.reports.FULL_TRANSITIVE.compatible).toBe(true);
    expect(verdictSummary(v3, "BACKWARD").compatible).toBe(true);
    expect(verdictSummary(v3, "FORWARD_TRANSITIVE").compatible).toBe(true);
    expect(verdictSummary(v3, "BACKWARD_TRANSITIVE")).toEqual({compatible: false, text: "refused: v3 can't read v1"});
    expect(verdictSummary(v3, "FULL_TRANSITIVE").compatible).toBe(false);
    expect(verdictReasons(v3).map((r) => [r.reading, r.issue.kind, r.issue.path])).toEqual([["v3 reads v1 data", "READER_FIELD_MISSING_DEFAULT_VALUE", "deliveryType"]]);
  });
});

describe("the one-click examples teach what the checker finds (seed corrections 1 to 4)", () => {
  const verdicts = exampleVerdicts(texts[0], examples);
  const byId = (id: string) => (Array.isArray(verdicts) ? verdicts.find((v) => v.id === id)! : expect.fail(verdicts.error));
  it.each([
    ["add-with-default", true, true, "FULL"], // correction 1: FULL, not "old consumers see the default"
    ["add-without-default", false, true, "FORWARD"],
    ["delete-with-default", true, true, "FULL"], // correction 3: FORWARD allows deleting a field with a default
    ["delete-without-default", true, false, "BACKWARD"], // correction 3: BACKWARD allows deleting any field
    ["rename", false, false, "NONE"], // correction 4
    ["rename-with-alias", true, false, "BACKWARD"], // correction 4: the reader's alias makes it readable
    ["promote-int-to-long", true, false, "BACKWARD"],
    ["change-type", false, false, "NONE"]
  ] as const)("%s: BACKWARD %s, FORWARD %s, level %s", (id, backward, forward, level) => {
    expect(byId(id)).toMatchObject({backward, forward, level});
  });

  it("quiz question 3: with a default the new field passes both; without, FORWARD only (and BACKWARD, the default, refuses it)", () => {
    expect(byId("add-with-default")).toMatchObject({backward: true, forward: true});
    expect(byId("add-without-default")).toMatchObject({backward: false, forward: true});
    const {registrations} = registerVersions(parseVersions([texts[0], example("add-without-default")]), "BACKWARD");
    expect(registrations[1]).toMatchObject({ok: false, message: "409 Conflict: incompatible at BACKWARD"});
  });

  it("an invalid v1 gives a message, not a table", () => {
    expect(exampleVerdicts("{", examples)).toEqual({error: expect.stringContaining("line 1, column 2")});
  });
});

describe("reading one record both ways round", () => {
  it("the new reader fills the field from its default; the old reader skips it", () => {
    const [v1, v2] = parseVersions(texts);
    const readings = readBothWays(v1, v2);
    if (!Array.isArray(readings)) expect.fail(readings.error);
    const [backward, forward] = readings;
    expect(backward.rule).toMatch(/^BACKWARD/);
    expect(backward.written).not.toHaveProperty("deliveryType");
    expect(backward.read).toMatchObject({deliveryType: "STANDARD"});
    expect(forward.written).toHaveProperty("deliveryType");
    expect(forward.read).not.toHaveProperty("deliveryType");
  });

  it("without a default the new reader fails and says why", () => {
    const [backward] = readBothWays(...(parseVersions([texts[0], example("add-without-default")]) as [never, never])) as {error?: string}[];
    expect(backward.error).toContain('"deliveryType"');
  });

  it("a v1 with no finite value is a message in its rows, not an error that blanks the page's cards", () => {
    const loop = JSON.stringify({type: "record", name: "Loop", fields: [{name: "next", type: "Loop"}]});
    const readings = readBothWays(...(parseVersions([loop, texts[1]]) as [never, never])) as {error?: string}[];
    // The other way round, v2's records are drawn and the Loop reader refuses them as any reader would.
    expect(readings.map((r) => r.error)).toEqual([expect.stringMatching(/no finite value/), expect.stringMatching(/reader schema record Loop cannot read/)]);
  });
});

describe("the registry", () => {
  it("registers v1, v2, v3 at BACKWARD with ids and versions 1 to 3", () => {
    const {registry, registrations} = registerVersions(parseVersions(texts), "BACKWARD");
    expect(registrations.map((r) => r.ok && [r.id, r.version])).toEqual([[1, 1], [2, 2], [3, 3]]);
    expect(registryRows(registry, registrations).map((r) => r["from the editor"])).toEqual(["v1", "v2", "v3"]);
  });

  it("refuses v3 at FULL_TRANSITIVE with the version, direction and field", () => {
    const {registry, registrations} = registerVersions(parseVersions(texts), "FULL_TRANSITIVE");
    const refused = registrations[2];
    if (refused.ok) expect.fail("v3 was accepted");
    expect(refused.issues).toEqual([expect.objectContaining({version: 1, direction: "backward", kind: "READER_FIELD_MISSING_DEFAULT_VALUE", path: "deliveryType"})]);
    expect(registry.versions("orders-value")).toEqual([1, 2]);
  });

  it("skips an empty version and reports an invalid one without sending it", () => {
    const {registrations} = registerVersions(parseVersions([texts[0], "{,", ""]), "BACKWARD");
    expect(registrations.map((r) => r.name)).toEqual(["v1", "v2"]);
    expect(registrations[1]).toMatchObject({ok: false, message: expect.stringContaining("not sent: Not valid JSON, line 1, column 2")});
  });
});

describe("deploy order", () => {
  const pair = (id: string) => deployPair(texts[0], example(id)) as Exclude<ReturnType<typeof deployPair>, {error: string}>;
  const backwardChange = pair("delete-without-default");
  const forwardChange = pair("add-without-default");

  it("a BACKWARD change breaks old consumers when producers go first, and nothing when consumers go first", async () => {
    const producersFirst = await runDeploy(backwardChange.v1, backwardChange.v2, {order: "producers-first", level: "auto"});
    expect(producersFirst.change).toBe("BACKWARD");
    expect(producersFirst.totals.failed).toBeGreaterThan(150);
    expect(producersFirst.failures[0].reason).toContain("customerId");
    const consumersFirst = await runDeploy(backwardChange.v1, backwardChange.v2, {order: "consumers-first", level: "auto"});
    expect(consumersFirst.totals.failed).toBe(0);
  });

  it("a FORWARD change is the mirror image", async () => {
    expect((await runDeploy(forwardChange.v1, forwardChange.v2, {order: "producers-first", level: "auto"})).totals.failed).toBe(0);
    const consumersFirst = await runDeploy(forwardChange.v1, forwardChange.v2, {order: "consumers-first", level: "auto"});
    expect(consumersFirst.totals.failed).toBeGreaterThan(150);
    expect(consumersFirst.failures[0].reason).toContain("deliveryType");
  });

  it("a registry at BACKWARD refuses the FORWARD change at the producer: nothing fails at the consumer", async () => {
    const run = await runDeploy(forwardChange.v1, forwardChange.v2, {order: "producers-first", level: "BACKWARD"});
    expect(run.totals.rejected).toBeGreaterThan(0);
    expect(run.totals.failed).toBe(0);
  });

  it("the same options give the same run", async () => {
    const a = await runDeploy(backwardChange.v1, backwardChange.v2, {order: "together", level: "NONE", seed: 3});
    const b = await runDeploy(backwardChange.v1, backwardChange.v2, {order: "together", level: "NONE", seed: 3});
    expect(a).toEqual(b);
  });

  it("an invalid schema gives a message", () => {
    expect(deployPair(texts[0], '{"type": "record"}')).toEqual({error: expect.stringContaining("v2 is not a valid schema")});
  });
});

describe("the byte inspector", () => {
  const [v1, v2] = parseVersions(texts);
  const order = {orderId: "o-1", customerId: "c-7", items: 300, total: 42.5, currency: "EUR", deliveryType: "EXPRESS"};

  it("frames the typed value: magic byte, big-endian id, then the fields in schema order", () => {
    const inspection = inspectValue(v2, JSON.stringify(order), 258);
    if (!inspection.ok) expect.fail(inspection.message);
    expect(Array.from(inspection.bytes.slice(0, 9))).toEqual([0, 0, 0, 1, 2, 6, 0x6f, 0x2d, 0x31]);
    const items = inspection.regions.find((r) => r.path === "items")!;
    expect(items.hex).toBe("d8 04");
    expect(encodingNote(items)).toBe("zig-zag varint: 300 → 600, 7 bits a byte");
    expect(encodingNote(inspection.regions.find((r) => r.path === "orderId")!)).toContain("length 3 as a zig-zag varint (hex 06)");
    expect(inspection.regions.map((r) => r.label)).toEqual(["magic byte", "schema id 258", "orderId", "customerId", "items", "total", "currency", "deliveryType"]);
  });

  it("names each field that does not fit, with its value", () => {
    const inspection = inspectValue(v2, JSON.stringify({...order, customerId: 7, deliveryType: "DRONE"}), 2);
    expect(inspection).toMatchObject({ok: false, stage: "value"});
    if (inspection.ok) return;
    expect(inspection.problems).toEqual([
      {path: "customerId", value: 7, expected: "string"},
      {path: "deliveryType", value: "DRONE", expected: "enum shop.orders.DeliveryType"}
    ]);
  });

  it("explains bad JSON, an unregistered version and an empty one", () => {
    expect(inspectValue(v1, "{orderId: 1}", 1)).toMatchObject({ok: false, stage: "json"});
    expect(inspectValue(v1, "{}", undefined)).toMatchObject({ok: false, stage: "id"});
    expect(inspectValue(parseVersions(["", ""])[1], "{}", 1)).toMatchObject({ok: false, stage: "schema"});
  });

  it("starts from a value that fits each version", () => {
    for (const version of parseVersions(texts)) {
      if (version.blank || !version.parsed.ok) expect.fail(`${version.name} does not parse`);
      expect(inspectValue(version, JSON.stringify(exampleValue(version.parsed.type)), 1).ok).toBe(true);
    }
  });
});

describe("errors a reader can act on", () => {
  it("a JSON error gives line and column; an unknown type its name", () => {
    const [status] = parseVersions(['{\n  "type": "record",\n  "name": "A"\n  "fields": []\n}']).map(versionStatus);
    expect(status).toEqual({ok: false, message: expect.stringMatching(/^Not valid JSON, line 4, column 3: /)});
    expect(versionStatus(parseVersions(['{"type": "record", "name": "A", "fields": [{"name": "x", "type": "strin"}]}'])[0]).message).toContain('unknown type "strin"');
  });

  it("checkSchemaFiles names the file", () => {
    expect(() => checkSchemaFiles([{file: "data/schemas/v9.avsc", text: '{"type": "nope"}'}])).toThrow(/data\/schemas\/v9\.avsc: invalid Avro schema/);
  });

  it("a version with an error leaves its verdicts out, with the reason", () => {
    const [v2] = versionVerdicts(parseVersions([texts[0], "{", ""]));
    expect(v2).toMatchObject({ok: false, message: "no verdict: v2 is not a valid schema (see the error under it)"});
  });
});
