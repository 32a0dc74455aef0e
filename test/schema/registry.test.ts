import {describe, expect, it} from "vitest";
import {IncompatibleSchemaError, SchemaRegistry, SchemaRegistryError, topicNameStrategy} from "../../src/components/schema/registry.js";
import {orderV1, record} from "./fixtures.js";

const withEmail = (withDefault: boolean) =>
  record("Order", [...orderV1.fields, withDefault ? {name: "email", type: "string", default: ""} : {name: "email", type: "string"}]);

describe("SchemaRegistry", () => {
  it("names subjects after the topic (TopicNameStrategy)", () => {
    expect(topicNameStrategy("orders")).toBe("orders-value");
    expect(topicNameStrategy("orders", "key")).toBe("orders-key");
  });

  it("numbers versions per subject and gives each distinct schema one global id", () => {
    const registry = new SchemaRegistry();
    expect(registry.register("orders-value", orderV1)).toEqual({id: 1, version: 1, created: true});
    expect(registry.register("orders-value", withEmail(true))).toEqual({id: 2, version: 2, created: true});
    // The same schema under another subject keeps its id, with that subject's own version 1.
    expect(registry.register("returns-value", orderV1)).toEqual({id: 1, version: 1, created: true});
    expect(registry.subjects()).toEqual(["orders-value", "returns-value"]);
    expect(registry.versions("orders-value")).toEqual([1, 2]);
    expect(registry.getVersion("orders-value").version).toBe(2);
    expect(registry.schemaById(2).schema()).toEqual(registry.getVersion("orders-value", 2).schema.schema());
  });

  it("returns the existing id for an identical schema, whatever its whitespace or key order", () => {
    const registry = new SchemaRegistry();
    registry.register("orders-value", orderV1);
    const sameText = `{"fields": [{"type": "long", "name": "id"}, {"name": "amount", "type": "double"}],\n "name": "Order", "type": "record"}`;
    expect(registry.register("orders-value", sameText)).toEqual({id: 1, version: 1, created: false});
    expect(registry.lookup("orders-value", sameText)?.version).toBe(1);
    // A different default is a different schema.
    registry.register("orders-value", withEmail(true));
    expect(registry.register("orders-value", record("Order", [...orderV1.fields, {name: "email", type: "string", default: "?"}])).created).toBe(true);
  });

  it("refuses an incompatible schema with Confluent's 409 message and every reason", () => {
    const registry = new SchemaRegistry(); // BACKWARD by default
    registry.register("orders-value", orderV1);
    let error: unknown;
    try {
      registry.register("orders-value", withEmail(false));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IncompatibleSchemaError);
    const refused = error as IncompatibleSchemaError;
    expect(refused.errorCode).toBe(409);
    expect(refused.message).toMatch(/^Schema being registered is incompatible with an earlier schema for subject "orders-value" \(compatibility BACKWARD\), details: \[\{version 1, backward, READER_FIELD_MISSING_DEFAULT_VALUE at \/fields\/2:/);
    expect(refused.issues).toEqual([expect.objectContaining({version: 1, direction: "backward", path: "email", kind: "READER_FIELD_MISSING_DEFAULT_VALUE"})]);
    // State intact after the refusal.
    expect(registry.versions("orders-value")).toEqual([1]);
    expect(() => registry.schemaById(2)).toThrow(/Schema 2 not found/);
  });

  it("applies the subject's own level over the global one, and falls back when it is cleared", () => {
    const registry = new SchemaRegistry({compatibility: "FULL"});
    expect(registry.compatibility()).toBe("FULL");
    registry.register("orders-value", orderV1);
    registry.setCompatibility("FORWARD", "orders-value");
    expect(registry.compatibility("orders-value")).toBe("FORWARD");
    expect(registry.testCompatibility("orders-value", withEmail(false)).compatible).toBe(true);
    registry.clearCompatibility("orders-value");
    expect(registry.testCompatibility("orders-value", withEmail(false)).compatible).toBe(false);
    registry.setCompatibility("NONE");
    expect(registry.register("orders-value", withEmail(false)).created).toBe(true);
    expect(() => registry.setCompatibility("backward" as never)).toThrow(/invalid compatibility level "backward": valid values are NONE, BACKWARD, BACKWARD_TRANSITIVE/);
  });

  it("soft-deletes: a deleted version leaves the checks and the listings, its id still resolves, numbering goes on", () => {
    const registry = new SchemaRegistry();
    registry.register("orders-value", orderV1);
    expect(registry.deleteVersion("orders-value", 1)).toBe(1);
    expect(registry.versions("orders-value")).toEqual([]);
    expect(registry.subjects()).toEqual([]);
    expect(registry.schemaById(1).name).toBe("Order");
    // Nothing live to be compatible with any more.
    expect(registry.register("orders-value", withEmail(false))).toEqual({id: 2, version: 2, created: true});
    expect(registry.allVersions().map((v) => [v.version, v.deleted])).toEqual([[1, true], [2, false]]);
    expect(registry.deleteSubject("orders-value")).toEqual([2]);
    expect(() => registry.getVersion("orders-value")).toThrow(SchemaRegistryError);
    expect(() => registry.deleteSubject("orders-value")).toThrow(/Subject 'orders-value' not found/);
  });

  it("names what is wrong with bad input", () => {
    const registry = new SchemaRegistry();
    registry.register("orders-value", orderV1);
    expect(() => registry.getVersion("orders-value", 7)).toThrow(/Version 7 not found/);
    expect(() => registry.getVersion("nope-value")).toThrow(/Subject 'nope-value' not found/);
    expect(() => registry.register("", orderV1)).toThrow(/subject must be a non-empty string/);
    expect(() => registry.register("orders-value", `{"type": "record", "name": "Order", "fields": [}`)).toThrow(/invalid JSON at 1:48: unexpected '}'/);
  });
});
