import {describe, expect, it} from "vitest";
import {IncompatibleSchemaError, SchemaRegistry} from "../../src/components/schema/registry.js";
import {createAvroDeserializer, createAvroSerializer, runDeployOrder, sampleValue} from "../../src/components/schema/serde.js";
import {toType} from "../../src/components/schema/parse.js";
import {decodeWire} from "../../src/components/schema/wire.js";
import {createRandom} from "../../src/components/sim/index.js";
import {orderV1, record} from "./fixtures.js";

describe("serializer and deserializer", () => {
  it("register on first use, frame with the id, and read back through the registry", () => {
    const registry = new SchemaRegistry();
    const serialize = createAvroSerializer(registry, {subject: "orders-value", schema: orderV1});
    expect(registry.subjects()).toEqual([]);
    const bytes = serialize({id: 1, amount: 3.5});
    expect(registry.versions("orders-value")).toEqual([1]);
    expect(decodeWire(bytes, (id) => registry.schemaById(id)).schemaId).toBe(1);
    expect(createAvroDeserializer(registry)(bytes)).toEqual({id: 1, amount: 3.5});
    expect(serialize(null)).toBeNull(); // tombstones pass through
    expect(createAvroDeserializer(registry)(null)).toBeNull();
  });

  it("with a reader schema, deserialize into the consumer's own version", () => {
    const registry = new SchemaRegistry();
    const v2 = record("Order", [...orderV1.fields, {name: "currency", type: "string", default: "EUR"}]);
    const bytes = createAvroSerializer(registry, {subject: "orders-value", schema: orderV1})({id: 1, amount: 2});
    expect(createAvroDeserializer(registry, {readerSchema: v2})(bytes)).toEqual({id: 1, amount: 2, currency: "EUR"});
    expect(() => createAvroDeserializer(registry)("plain text")).toThrow(/expected the bytes of a framed Avro value \(Uint8Array\), got a string/);
  });

  it("fail on first use when the registry refuses the schema, or when autoRegister is off and it is unknown", () => {
    const registry = new SchemaRegistry({compatibility: "FULL"});
    registry.register("orders-value", orderV1);
    const required = record("Order", [...orderV1.fields, {name: "email", type: "string"}]);
    expect(() => createAvroSerializer(registry, {subject: "orders-value", schema: required})({id: 1, amount: 1, email: "x"})).toThrow(IncompatibleSchemaError);
    expect(() => createAvroSerializer(registry, {subject: "orders-value", schema: required, autoRegister: false})({})).toThrow(/Schema not found in subject "orders-value"/);
  });

  it("sampleValue draws valid values from the run's random source", () => {
    const schema = record("Everything", [
      {name: "s", type: "string"},
      {name: "e", type: {type: "enum", name: "E", symbols: ["A", "B"]}},
      {name: "f", type: {type: "fixed", name: "F", size: 3}},
      {name: "a", type: {type: "array", items: ["null", "double"]}},
      {name: "m", type: {type: "map", values: "bytes"}},
      {name: "u", type: ["null", "string", record("Inner", [{name: "x", type: "int"}])]}
    ]);
    const registry = new SchemaRegistry();
    const serialize = createAvroSerializer(registry, {subject: "t-value", schema});
    const random = createRandom(7);
    for (let i = 0; i < 50; i++) expect(() => serialize(sampleValue(schema, random))).not.toThrow();
    expect(sampleValue(schema, createRandom(3))).toEqual(sampleValue(schema, createRandom(3)));
  });

  it("sampleValue ends on a recursive schema, and says so when no finite value fits or a fixed is too big to draw", () => {
    // Three optional children per node: unbounded, more than one child each on average would grow forever.
    const tree = record("Node", ["a", "b", "c"].map((name) => ({name, type: ["null", "Node"]})));
    const list = record("List", [{name: "items", type: {type: "array", items: "List"}}, {name: "tags", type: {type: "map", values: "List"}}]);
    const valid = (schema: object, seeds: number) => {
      const type = toType(schema);
      for (let seed = 0; seed < seeds; seed++) expect(type.isValid(sampleValue(schema, createRandom(seed))), `seed ${seed}`).toBe(true);
    };
    valid(tree, 200);
    valid(list, 50);
    // Twenty optional children per node drew some 10^10 nodes by depth 10: the tab froze.
    const bushy = record("Bush", Array.from({length: 20}, (_, i) => ({name: `c${i}`, type: ["null", "Bush"]})));
    const start = performance.now();
    valid(bushy, 1);
    expect(performance.now() - start).toBeLessThan(1000);
    // Every Loop holds a Loop: no value of it is finite (avsc accepts the schema all the same).
    expect(() => sampleValue(record("Loop", [{name: "next", type: "Loop"}]), createRandom(1))).toThrow(/no finite value.*Loop.*"next"/);
    const ping = record("Ping", [{name: "pong", type: record("Pong", [{name: "ping", type: "Ping"}])}]);
    expect(() => sampleValue(ping, createRandom(1))).toThrow(/no finite value/);
    // A finite value exists whenever some choice ends: a union's other branch, an empty array.
    // (Each of these drew the endless branch for some seeds and was refused.)
    const loop = record("Loop", [{name: "next", type: "Loop"}]);
    const mid = record("Node", [{name: "kids", type: {type: "array", items: "Node"}}, {name: "c", type: [record("Mid", [{name: "n", type: "Node"}]), record("Leaf", [{name: "x", type: "int"}])]}]);
    const huge = {type: "fixed", name: "Huge", size: 2_000_000_000};
    for (const schema of [mid, record("R", [{name: "x", type: ["null", loop]}]), record("R", [{name: "xs", type: {type: "array", items: loop}}]), record("R", [{name: "f", type: ["null", huge]}])]) {
      valid(schema, 200);
    }
    // A fixed of 2 GB was allocated and filled byte by byte: the tab ran out of memory.
    expect(() => sampleValue(record("Big", [{name: "f", type: {type: "fixed", name: "Huge", size: 2_000_000_000}}]), createRandom(1))).toThrow(/Huge.*2,000,000,000 bytes.*at most 65,536/);
  });
});

describe("deploy order", () => {
  const v1 = record("Order", [{name: "id", type: "long"}, {name: "email", type: "string"}]);
  // BACKWARD only: deletes a field that has no default.
  const backwardOnly = record("Order", [{name: "id", type: "long"}]);
  // FORWARD only: adds a field without a default.
  const forwardOnly = record("Order", [{name: "id", type: "long"}, {name: "email", type: "string"}, {name: "currency", type: "string"}]);
  const run = (schemas: object[], compatibility: "BACKWARD" | "FORWARD", first: "producer" | "consumer") =>
    runDeployOrder({
      schemas,
      compatibility,
      duration: 30_000,
      producer: [{at: 0, version: 1}, {at: first === "producer" ? 10_000 : 20_000, version: 2}],
      consumer: [{at: 0, version: 1}, {at: first === "consumer" ? 10_000 : 20_000, version: 2}]
    });

  it("BACKWARD change: consumers first is safe, producers first breaks old consumers until they upgrade", async () => {
    const safe = await run([v1, backwardOnly], "BACKWARD", "consumer");
    expect(safe.totals).toMatchObject({failed: 0, rejected: 0});
    expect(safe.totals.ok).toBe(safe.totals.produced);
    const broken = await run([v1, backwardOnly], "BACKWARD", "producer");
    expect(broken.totals.failed).toBe(90); // v2 records produced 10.0-18.9 s reach v1 consumers 1 s later, before 20 s
    expect(broken.failures[0].reason).toMatch(/^consumer v1 reading v2: .*"email" \(string\) has no default/);
    // Failures start one lag after the producers' deploy and stop once consumers run v2.
    const failing = broken.buckets.filter((b) => b.failed > 0).map((b) => b.start);
    expect(failing[0]).toBe(10_000);
    expect(failing.at(-1)).toBeLessThan(25_000);
  });

  it("FORWARD change: producers first is safe, consumers first breaks on old data", async () => {
    expect((await run([v1, forwardOnly], "FORWARD", "producer")).totals).toMatchObject({failed: 0, rejected: 0});
    const broken = await run([v1, forwardOnly], "FORWARD", "consumer");
    expect(broken.totals.failed).toBeGreaterThan(90);
    expect(broken.failures[0].reason).toMatch(/consumer v2 reading v1: .*"currency"/);
  });

  it("the registry refuses the producer's schema when the level forbids it", async () => {
    const result = await run([v1, forwardOnly], "BACKWARD", "producer");
    expect(result.totals.rejected).toBeGreaterThan(0);
    expect(result.sim.trace.filter("schema.register").map((e) => e.ok)).toEqual([true, false]);
  });

  it("replays exactly with the same seed", async () => {
    const a = await run([v1, backwardOnly], "BACKWARD", "producer");
    const b = await run([v1, backwardOnly], "BACKWARD", "producer");
    expect(a.sim.trace.events).toEqual(b.sim.trace.events);
    expect(a.sim.trace.filter("schema.").length).toBeGreaterThan(600);
  });

  it("names a bad deploy plan", async () => {
    await expect(runDeployOrder({schemas: [v1], producer: [{at: 0, version: 2}], consumer: [{at: 0, version: 1}]})).rejects.toThrow(/producer deploy version must be 1..1/);
    await expect(runDeployOrder({schemas: [v1], producer: [{at: 5, version: 1}], consumer: [{at: 0, version: 1}]})).rejects.toThrow(/producer needs a first deploy step at 0 ms/);
    await expect(runDeployOrder({schemas: [v1], producer: [{at: 0, version: 1}], consumer: [{at: 0, version: 1}], interval: 0})).rejects.toThrow(/interval must be a positive number of ms/);
  });
});
