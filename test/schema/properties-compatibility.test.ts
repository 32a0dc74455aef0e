// Compatibility properties over random record schemas (fast-check, 1,000 runs each).
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {COMPATIBILITY_LEVELS, isCompatible} from "../../src/components/schema/compatibility.js";
import {toType} from "../../src/components/schema/parse.js";
import {sampleValue} from "../../src/components/schema/serde.js";
import {decodeWire, encodeWire} from "../../src/components/schema/wire.js";
import {createRandom} from "../../src/components/sim/index.js";
import {copy, defaultFor, schemaOf, shape, toSchema, topRecord} from "./arbitraries.js";

describe("random record schemas", () => {
  it("are compatible with themselves at every level", () => {
    fc.assert(
      fc.property(topRecord, (s) => {
        // Parsed separately: equal schemas, distinct avsc Types.
        const [a, b] = [toType(schemaOf(s)), toType(schemaOf(s))];
        for (const level of COMPATIBILITY_LEVELS) {
          expect(isCompatible(level, a, [b])).toBe(true);
          expect(isCompatible(level, b, [a, b])).toBe(true);
        }
      }),
      {numRuns: 1000}
    );
  });

  it("adding a field with a default passes FULL, and the new reader fills it in from old data", () => {
    fc.assert(
      fc.property(topRecord, shape, fc.integer(), (s, added, seed) => {
        const v1 = schemaOf(s);
        const v2 = copy(v1);
        let type = toSchema(added, {next: 100});
        let value = defaultFor(type);
        if (value === undefined) (type = ["null", type]), (value = null);
        v2.fields.push({name: "added", type, default: value});
        const [t1, t2] = [toType(v1), toType(v2)];
        expect(isCompatible("FULL", t2, [t1])).toBe(true);
        expect(isCompatible("FULL_TRANSITIVE", t2, [t1, t1])).toBe(true);
        const old = sampleValue(v1, createRandom(seed)) as Record<string, unknown>;
        const read = decodeWire(encodeWire(1, t1, old), () => t1, t2).value as Record<string, unknown>;
        expect(t2.isValid(read)).toBe(true);
        expect(Object.keys(read)).toEqual([...Object.keys(old), "added"]);
      }),
      {numRuns: 1000}
    );
  });

  it("deleting a field passes BACKWARD, and FORWARD exactly when the field had a default", () => {
    fc.assert(
      fc.property(topRecord, fc.nat(), (s, pick) => {
        const v1 = schemaOf(s);
        const v2 = copy(v1);
        const [removed] = v2.fields.splice(pick % v2.fields.length, 1);
        const [t1, t2] = [toType(v1), toType(v2)];
        expect(isCompatible("BACKWARD", t2, [t1])).toBe(true);
        expect(isCompatible("FORWARD", t2, [t1])).toBe(removed.default !== undefined);
      }),
      {numRuns: 1000}
    );
  });
});
