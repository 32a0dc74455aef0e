import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {KafkaConfigError, KafkaError} from "../../src/components/kafka/index.js";
import {BLOCK, PartitionLog, recordColumns, recordSize, topicConfig} from "../../src/components/kafka/log.js";
import {setup} from "./helpers.js";

const rec = (key: string | null, value: unknown) => ({key, value});

describe("partition log", () => {
  it("gives consecutive offsets from 0 and keeps records in order", () => {
    const log = new PartitionLog(topicConfig(), 0);
    expect([0, 1, 2].map((i) => log.append(rec("k", `v${i}`), 10 + i, 10 + i))).toEqual([0, 1, 2]);
    expect(log.logEndOffset).toBe(3);
    expect(log.records().map((r) => [r.offset, r.value, r.timestamp])).toEqual([[0, "v0", 10], [1, "v1", 11], [2, "v2", 12]]);
  });

  it("rolls a new segment when segment.bytes would be exceeded or segment.ms passed", () => {
    const size = recordSize("k", "0123456789");
    const log = new PartitionLog(topicConfig({segmentBytes: size * 2, segmentMs: 1000}), 0);
    for (let i = 0; i < 5; i++) log.append(rec("k", "0123456789"), 0, 0);
    expect(log.segmentInfo().map((s) => [s.baseOffset, s.records, s.active])).toEqual([[0, 2, false], [2, 2, false], [4, 1, true]]);
    log.append(rec("k", "x"), 2000, 2000);
    expect(log.segmentInfo().at(-1)).toMatchObject({baseOffset: 5, records: 1, active: true});
  });

  // A string's size is its UTF-8 length, as the producer's serializer writes it: a surrogate pair
  // is one 4-byte character, a lone surrogate the 3-byte U+FFFD that TextEncoder writes for it.
  it("sizes a string key or value as its UTF-8 bytes", () => {
    const utf8 = new TextEncoder();
    const sizes = {pair: 0, lone: 0};
    fc.assert(
      fc.property(fc.string({unit: "binary"}), fc.string({unit: fc.constantFrom("a", "é", "€", "😀", "\ud83d", "\ude00")}), (a, b) => {
        if (/[\ud800-\udbff][\udc00-\udfff]/.test(a + b)) sizes.pair++;
        if (/(^|[^\ud800-\udbff])[\udc00-\udfff]|[\ud800-\udbff]($|[^\udc00-\udfff])/.test(a + b)) sizes.lone++;
        expect(recordSize(a, b)).toBe(8 + utf8.encode(a).length + utf8.encode(b).length);
      })
    );
    // Guard: the strings drawn had both surrogate pairs and lone surrogates in them.
    expect(sizes.pair).toBeGreaterThan(5);
    expect(sizes.lone).toBeGreaterThan(5);
  });

  // Records of strings are sized when first read (log.ts, sizeBound): the sizes and roll points
  // must be the ones sizing at append gives, for ASCII, 2- and 3-byte characters and surrogates.
  it("sizes and rolls records of strings as if each were sized at append", () => {
    const input: [string | null, string | null][] = [["k", "v"], ["clé", "café"], [null, "€€€"], ["😀", null], ["a", "0123456789"], ["ü", "ß"], ["k", "x".repeat(40)]];
    const sizes = input.map(([k, v]) => recordSize(k, v));
    // "clé"/"café" takes 2 bytes more than its characters: one byte short of room for it after the first record.
    const segmentBytes = sizes[0] + sizes[1] - 1;
    const log = new PartitionLog(topicConfig({segmentBytes}), 0);
    log.appendBatch(recordColumns(input.map(([key, value]) => ({key, value}))), 0, 0, {producerId: -1, producerEpoch: -1, sequence: -1, flags: 0});
    expect(log.records().map((r) => r.size)).toEqual(sizes);
    // An exact fit stays in the segment; the next record rolls one (the expected split is by exact sizes).
    const expected: number[][] = [];
    let bytes = 0;
    for (const [i, size] of sizes.entries()) {
      if (expected.length === 0 || bytes + size > segmentBytes) expected.push([]), (bytes = 0);
      expected.at(-1)!.push(i);
      bytes += size;
    }
    expect(expected[0]).toEqual([0]);
    expect(log.segmentInfo().map((s) => [s.baseOffset, s.records, s.bytes])).toEqual(expected.map((offsets) => [offsets[0], offsets.length, offsets.reduce((n, i) => n + sizes[i], 0)]));
    expect(log.size).toBe(sizes.reduce((a, b) => a + b, 0));
  });

  it("appends a batch as it would append its records one by one, whether the batch fits by its size bound or not", () => {
    const text = fc.oneof(fc.constant(null), fc.string({maxLength: 12}), fc.string({unit: "binary", maxLength: 6}));
    const rarely = <T, U>(arbitrary: fc.Arbitrary<T>, otherwise: fc.Arbitrary<U>) => fc.oneof({weight: 8, arbitrary: otherwise}, {weight: 1, arbitrary});
    // Mostly records of strings (sized lazily); now and then a number, an object or headers (sized at append).
    const record = fc.record({key: text, value: rarely(fc.oneof(fc.integer(), fc.constant({n: 1})), text), headers: rarely(fc.constant({h: "x"}), fc.constant(undefined))});
    let fitted = 0, split = 0;
    fc.assert(
      fc.property(fc.integer({min: 14, max: 1500}), fc.array(fc.array(record, {minLength: 1, maxLength: 12}), {minLength: 1, maxLength: 8}), (segmentBytes, batches) => {
        const config = topicConfig({segmentBytes});
        const whole = new PartitionLog(config, 0), single = new PartitionLog(config, 0);
        const origin = {producerId: 7, producerEpoch: 0, sequence: 0, flags: 0};
        for (const [b, batch] of batches.entries()) {
          const columns = recordColumns(batch);
          const segments = whole.segments.length;
          whole.appendBatch(columns, b, b, origin);
          for (const [k, r] of batch.entries()) single.append(r, b, b, {...origin, sequence: k});
          if (columns.sizeBound >= 0 && whole.segments.length === segments && batch.length > 1) fitted++;
          if (whole.segments.length - segments > (segments === 1 && whole.segments[0].baseOffset === 0 ? 0 : 1)) split++;
        }
        expect(whole.records()).toEqual(single.records());
        expect(whole.segmentInfo()).toEqual(single.segmentInfo());
      }),
      {seed: 11, numRuns: 300}
    );
    // Both paths ran: batches taken whole by their bound, and batches split across segments record by record.
    expect(fitted).toBeGreaterThan(20);
    expect(split).toBeGreaterThan(20);
  });

  // Kafka's UnifiedLog.deleteSegments: "we must always have at least one segment, so if we are going
  // to delete all the segments, create a new one first". The active segment is deleted too.
  it("retention by time deletes every expired segment below the high watermark, the active one too, and rolls an empty one", () => {
    const log = new PartitionLog(topicConfig({segmentBytes: recordSize("k", "v") * 2, retentionMs: 100}), 0);
    for (let i = 0; i < 5; i++) log.append(rec("k", "v"), i, i);
    expect(log.applyRetention(50, log.logEndOffset)).toEqual([]);
    const deleted = log.applyRetention(1000, log.logEndOffset);
    expect(deleted.map((s) => [s.baseOffset, s.records])).toEqual([[0, 2], [2, 2], [4, 1]]);
    expect(log.logStartOffset).toBe(5);
    expect(log.logEndOffset).toBe(5);
    expect(log.segmentInfo()).toEqual([{baseOffset: 5, nextOffset: 5, records: 0, bytes: 0, created: 1000, maxTimestamp: -Infinity, active: true}]);
    expect(log.records()).toEqual([]);
    expect(log.applyRetention(5000, log.logEndOffset)).toEqual([]); // an empty active segment is never deleted
    expect(log.append(rec("k", "after"), 6000, 6000)).toBe(5);
  });

  // UnifiedLogTest.testCannotDeleteSegmentsAtOrAboveHighWatermark: 100 expired records, the high
  // watermark raised one offset at a time; retention runs after each step.
  it("retention never deletes a segment at or above the high watermark (UnifiedLogTest)", () => {
    const log = new PartitionLog(topicConfig({segmentBytes: recordSize("k", "test00") * 7, retentionMs: 999}), 0);
    for (let i = 0; i < 100; i++) log.append(rec("k", `test${String(i).padStart(2, "0")}`), 0, 0);
    expect(log.segments.length).toBeGreaterThan(5);
    expect([log.logStartOffset, log.logEndOffset]).toEqual([0, 100]);
    for (let hw = 0; hw <= 100; hw++) {
      log.applyRetention(1000, hw);
      expect(log.logStartOffset).toBeLessThanOrEqual(hw);
      const [head, ...tail] = log.segmentInfo();
      expect(head.baseOffset).toBeLessThanOrEqual(hw);
      expect(head.baseOffset).toBeGreaterThanOrEqual(log.logStartOffset);
      for (const s of tail) expect(s.baseOffset).toBeGreaterThan(hw);
    }
    expect(log.logStartOffset).toBe(100);
    expect(log.segments).toHaveLength(1);
    expect(log.active.length).toBe(0);
  });

  it("retention by bytes keeps the newest segments within retention.bytes", () => {
    const size = recordSize("k", "v");
    const log = new PartitionLog(topicConfig({segmentBytes: size * 2, retentionBytes: size * 3}), 0);
    for (let i = 0; i < 7; i++) log.append(rec("k", "v"), 0, 0);
    log.applyRetention(0, log.logEndOffset);
    expect(log.logStartOffset).toBe(4);
    expect(log.size).toBeLessThanOrEqual(size * 3);
  });

  it("retention by bytes takes the same path: with retention.bytes 0 every segment goes, the active one too", () => {
    const log = new PartitionLog(topicConfig({segmentBytes: recordSize("k", "v") * 2, retentionBytes: 0}), 0);
    for (let i = 0; i < 5; i++) log.append(rec("k", "v"), 0, 0);
    expect(log.applyRetention(0, 4)).toHaveLength(2); // the active segment [4] ends above the high watermark
    expect(log.logStartOffset).toBe(4);
    expect(log.applyRetention(0, 5).map((s) => s.baseOffset)).toEqual([4]);
    expect([log.logStartOffset, log.logEndOffset, log.size]).toEqual([5, 5, 0]);
  });

  it("retention never deletes above the high watermark", () => {
    const log = new PartitionLog(topicConfig({segmentBytes: 14, retentionMs: 0}), 0);
    for (let i = 0; i < 4; i++) log.append(rec("k", "v"), 0, 0);
    log.applyRetention(100, 1);
    expect(log.logStartOffset).toBe(1);
  });

  it("compaction keeps the newest record per key, keeps offsets, and drops old tombstones", () => {
    const size = recordSize("a", "1");
    const log = new PartitionLog(topicConfig({cleanupPolicy: "compact", segmentBytes: size * 3, deleteRetentionMs: 100}), 0);
    const input: [string, string | null][] = [["a", "1"], ["b", "1"], ["a", "2"], ["c", "1"], ["b", null], ["a", "3"], ["d", "1"]];
    for (const [k, v] of input) log.append(rec(k, v), 0, 0);
    const removed = log.compact(10, log.logEndOffset);
    // closed segments hold offsets 0..5; the active one (offset 6) is not cleaned
    expect(log.records().map((r) => [r.offset, r.key, r.value])).toEqual([[3, "c", "1"], [4, "b", null], [5, "a", "3"], [6, "d", "1"]]);
    expect(removed).toBe(3);
    log.compact(1000, log.logEndOffset); // the tombstone is older than delete.retention.ms now
    expect(log.records().map((r) => r.key)).toEqual(["c", "a", "d"]);
  });

  // Keys and values are stored in blocks of BLOCK entries (log.ts, References): appends across block
  // boundaries and truncations into, onto and below a boundary keep every record.
  it("keeps keys and values across storage blocks through appends and truncation", () => {
    let crossed = 0, truncatedAcross = 0;
    fc.assert(
      fc.property(
        fc.array(fc.record({append: fc.integer({min: 1, max: 20_000}), truncateBy: fc.oneof(fc.integer({min: 0, max: 20_000}), fc.constant(-1))}), {minLength: 1, maxLength: 6}),
        (steps) => {
          const log = new PartitionLog(topicConfig(), 0);
          const expected: [number, string | null, unknown][] = [];
          for (const step of steps) {
            const batch = Array.from({length: step.append}, (_, i) => rec(`k${i % 7}`, expected.length + i));
            log.appendBatch(recordColumns(batch), 0, 0, {producerId: -1, producerEpoch: -1, sequence: -1, flags: 0});
            for (const r of batch) expected.push([expected.length, r.key, r.value]);
            if (expected.length > BLOCK) crossed++;
            // -1: truncate exactly onto the last block boundary below the end. Later appends write into blocks that held records.
            const keep = step.truncateBy < 0 ? Math.floor((expected.length - 1) / BLOCK) * BLOCK : Math.max(0, expected.length - step.truncateBy);
            if (Math.floor(keep / BLOCK) < Math.floor((expected.length - 1) / BLOCK)) truncatedAcross++;
            log.truncateTo(keep);
            expected.length = keep;
          }
          expect(log.records().map((r) => [r.offset, r.key, r.value])).toEqual(expected);
        }
      ),
      {numRuns: 40}
    );
    expect(crossed).toBeGreaterThan(15);
    expect(truncatedAcross).toBeGreaterThan(5);
  });

  it("finds the first offset at or after a timestamp", () => {
    const log = new PartitionLog(topicConfig(), 0);
    for (const t of [10, 20, 30]) log.append(rec(null, t), t, t);
    expect(log.offsetForTimestamp(15)).toBe(1);
    expect(log.offsetForTimestamp(30)).toBe(2);
    expect(log.offsetForTimestamp(31)).toBeNull();
  });

  it("refuses bad topic configs with the setting and its allowed values", () => {
    expect(() => topicConfig({cleanupPolicy: "forever" as never})).toThrow(/cleanupPolicy must be one of "delete", "compact", "compact,delete"/);
    expect(() => topicConfig({retentionMs: -5})).toThrow(/retentionMs \(or -1 for no limit\)/);
    expect(() => topicConfig({segmentBytes: 0})).toThrow(KafkaConfigError);
    expect(() => topicConfig({retention: 1} as never)).toThrow(/unknown topic config "retention"/);
  });
});

describe("cluster topics", () => {
  it("refuses 0 partitions, a duplicate topic and a replication factor above the broker count, and stays intact", () => {
    const {cluster} = setup({partitions: 2});
    expect(() => cluster.createTopic("t", {partitions: 0})).toThrow(/numPartitions must be an integer in \[1, 10000\], got 0/);
    expect(() => cluster.createTopic("orders")).toThrow(KafkaError);
    expect(() => cluster.createTopic("t", {replicationFactor: 4})).toThrow(/replicationFactor \(at most the 3 brokers\)/);
    expect(() => cluster.createTopic("bad name")).toThrow(/topic name/);
    expect([...cluster.topics.keys()]).toEqual(["orders"]);
    expect(() => cluster.partition("orders", 2)).toThrow(/partition must be an integer in \[0, 1\]/);
  });

  it("runs retention on the log.retention.check.interval", async () => {
    const {sim, cluster} = setup({partitions: 1, config: {segmentMs: 1000, retentionMs: 5000}}, {cleanupIntervalMs: 10_000});
    const producer = cluster.producer();
    for (let t = 0; t < 8; t++) {
      void producer.send({topic: "orders", value: t});
      await sim.advance(1000);
    }
    await sim.advance(10_000);
    const deletes = sim.trace.filter("kafka.segment.delete");
    expect(deletes.length).toBeGreaterThan(0);
    expect(cluster.offsets()[0].logStartOffset).toBeGreaterThan(0);
  });

  it("a cluster's time retention empties a partition whose every record expired once followers have them", async () => {
    const {sim, cluster} = setup({partitions: 1, replicationFactor: 3, config: {segmentMs: 1000, retentionMs: 5000}}, {brokers: 3, cleanupIntervalMs: 10_000, replicationMs: 5});
    const producer = cluster.producer();
    for (let t = 0; t < 4; t++) {
      void producer.send({topic: "orders", value: t});
      await sim.advance(1000);
    }
    await sim.advance(10_000 - sim.now); // the first cleanup: everything is older than 5 s
    const [offsets] = cluster.offsets();
    expect(offsets.logEndOffset).toBe(4);
    expect(offsets.logStartOffset).toBe(4);
    expect(cluster.records("orders", 0)).toEqual([]);
    expect(sim.trace.filter("kafka.segment.delete").map((e) => e.baseOffset)).toEqual([0, 1, 2, 3]);
  });
});
