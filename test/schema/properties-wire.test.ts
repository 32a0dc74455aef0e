// Wire-format and resolution properties over random record schemas (fast-check, 1,000 runs each).
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {resolverFor} from "../../src/components/schema/avro.js";
import {canRead} from "../../src/components/schema/compatibility.js";
import {toType} from "../../src/components/schema/parse.js";
import {sampleValue} from "../../src/components/schema/serde.js";
import {decodeWire, encodeWire} from "../../src/components/schema/wire.js";
import {createRandom} from "../../src/components/sim/index.js";
import {copy, defaultFor, schemaOf, shape, toSchema, topRecord} from "./arbitraries.js";

describe("random record schemas", () => {
  it("round-trip through the wire format", () => {
    fc.assert(
      fc.property(topRecord, fc.integer(), (s, seed) => {
        const type = toType(schemaOf(s));
        const value = sampleValue(type, createRandom(seed));
        const bytes = encodeWire(seed >>> 1, type, value);
        const decoded = decodeWire(bytes, () => type);
        expect(decoded.schemaId).toBe(seed >>> 1);
        expect(type.isValid(decoded.value)).toBe(true);
        expect(encodeWire(seed >>> 1, type, decoded.value)).toEqual(bytes);
      }),
      {numRuns: 1000}
    );
  });

  it("the checker agrees with avsc's resolver on a schema and a random variant of it", () => {
    // Variants: one field's type replaced by another random type, or one field renamed.
    fc.assert(
      fc.property(topRecord, fc.nat(), shape, fc.boolean(), fc.integer(), (s, pick, replacement, rename, seed) => {
        const writer = schemaOf(s);
        const reader = copy(writer);
        const field = reader.fields[pick % reader.fields.length];
        if (rename) field.name = "renamed";
        else {
          field.type = toSchema(replacement, {next: 100});
          const value = defaultFor(field.type);
          if (value === undefined) delete field.default;
          else field.default = value;
        }
        const [r, w] = [toType(reader), toType(writer)];
        const readable = canRead(r, w);
        let resolves = true;
        try {
          resolverFor(r, w);
        } catch {
          resolves = false;
        }
        expect(resolves).toBe(readable);
        if (readable) {
          const value = sampleValue(w, createRandom(seed));
          expect(r.isValid(decodeWire(encodeWire(1, w, value), () => w, r).value)).toBe(true);
        }
      }),
      {numRuns: 1000}
    );
  });
});
