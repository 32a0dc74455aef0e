import {describe, expect, it} from "vitest";
import fc from "fast-check";
import {createRequire} from "node:module";
import {murmur2, partitionForKey, toPositive} from "../../src/components/kafka/partitioner.js";

const require = createRequire(import.meta.url);
const kafkajsMurmur2: (key: Buffer | string) => number = require("kafkajs/src/producer/partitioners/default/murmur2.js");

describe("murmur2", () => {
  // Kafka's own vectors: clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java (testMurmur2).
  it.each([
    ["21", -973932308],
    ["foobar", -790332482],
    ["a-little-bit-long-string", -985981536],
    ["a-little-bit-longer-string", -1486304829],
    ["lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971],
    ["abc", 479470107]
  ])("murmur2(%j) = %i", (key, expected) => {
    expect(murmur2(key)).toBe(expected);
    expect(murmur2(new TextEncoder().encode(key))).toBe(expected);
  });

  it("hashes strings as their UTF-8 bytes, untrimmed", () => {
    fc.assert(
      fc.property(fc.string({unit: "binary"}), (s) => {
        expect(murmur2(s)).toBe(murmur2(new TextEncoder().encode(s)));
      }),
      {numRuns: 1000}
    );
    expect(murmur2(" order-1")).not.toBe(murmur2("order-1"));
  });

  it("agrees with kafkajs's Java-compatible partitioner on any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({maxLength: 64}), (bytes) => {
        expect(murmur2(bytes)).toBe(kafkajsMurmur2(Buffer.from(bytes)));
      }),
      {numRuns: 1000}
    );
  });
});

describe("partitionForKey", () => {
  it("uses toPositive (n & 0x7fffffff), not Math.abs", () => {
    expect(toPositive(-2147483648)).toBe(0);
    expect(toPositive(-1)).toBe(0x7fffffff);
    expect(partitionForKey("21", 7)).toBe((-973932308 & 0x7fffffff) % 7);
  });

  it("is always within [0, numPartitions)", () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({min: 1, max: 10_000}), (key, n) => {
        const p = partitionForKey(key, n);
        expect(Number.isInteger(p) && p >= 0 && p < n).toBe(true);
      }),
      {numRuns: 1000}
    );
  });

  it.each([0, -3, 2.5, Number.NaN, Infinity])("rejects %s partitions with a RangeError", (n) => {
    expect(() => partitionForKey("k", n)).toThrow(RangeError);
    expect(() => partitionForKey("k", n)).toThrow(/numPartitions must be a positive integer/);
  });
});
