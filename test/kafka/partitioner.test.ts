import {describe, expect, it} from "vitest";
import fc from "fast-check";
import {createRequire} from "node:module";
import {keyPartitioner, murmur2, partitionForKey, toPositive} from "../../src/components/kafka/partitioner.js";

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

describe("keyPartitioner (partitionForKey with a memo of key hashes)", () => {
  it("gives partitionForKey's partition for repeated, long and byte keys, any partition count, across starting over", () => {
    let repeats = 0, overflows = 0, long = 0, bytes = 0;
    fc.assert(
      fc.property(
        fc.integer({min: 1, max: 8}),
        fc.array(fc.tuple(fc.oneof(fc.string({maxLength: 6}), fc.string({unit: "binary", minLength: 65, maxLength: 80}), fc.uint8Array({maxLength: 8})), fc.integer({min: 1, max: 50})), {minLength: 1, maxLength: 60}),
        (limit, calls) => {
          const memo = keyPartitioner(limit);
          const seen = new Set<string>();
          // Every key twice in a row and the whole list twice: the second look-ups hit the memo, or miss after it started over.
          for (const [key, n] of [...calls, ...calls]) {
            for (let twice = 0; twice < 2; twice++) expect(memo(key, n)).toBe(partitionForKey(key, n));
            if (typeof key === "string" && seen.has(key)) repeats++;
            if (typeof key === "string") seen.add(key);
            if (typeof key !== "string") bytes++;
            else if (key.length > 64) long++;
          }
          if (seen.size > limit) overflows++;
        }
      ),
      {numRuns: 300}
    );
    // Guard: the interesting cases occurred.
    expect(repeats).toBeGreaterThan(100);
    expect(overflows).toBeGreaterThan(10);
    expect(long).toBeGreaterThan(10);
    expect(bytes).toBeGreaterThan(10);
  });

  it("hashes a byte key's current contents (bytes are never memoised)", () => {
    const memo = keyPartitioner();
    const key = new TextEncoder().encode("order-1");
    const before = memo(key, 1000);
    key[6] = "2".charCodeAt(0);
    expect(memo(key, 1000)).toBe(partitionForKey("order-2", 1000));
    expect(before).toBe(partitionForKey("order-1", 1000));
  });

  it("refuses bad partition counts and limits with a RangeError", () => {
    const memo = keyPartitioner();
    memo("k", 3);
    for (const n of [0, -3, 2.5, Number.NaN]) expect(() => memo("k", n)).toThrow(/numPartitions must be a positive integer/);
    for (const limit of [0, -1, 1.5]) expect(() => keyPartitioner(limit)).toThrow(/limit must be a positive integer/);
  });
});
