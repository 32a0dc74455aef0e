// fast-check property of the produce path: for random sends (keyed, byte, JSON and explicitly
// placed records, repeated keys, non-ASCII text, own timestamps, headers, several topics, small
// segments), the partitions' logs, segments, record batches and send results are the ones a
// straightforward reference computes record by record: partitionForKey per key, one batch per
// partition per send in the order the partitions first occur, consecutive offsets and sequences,
// recordSize per record, and a segment rolled when the next record would pass segment.bytes.
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {createCluster, partitionForKey} from "../../src/components/kafka/index.js";
import {recordSize, type Headers} from "../../src/components/kafka/log.js";
import {createSimulation} from "../../src/components/sim/index.js";

const TOPICS = [
  {name: "orders", partitions: 5},
  {name: "payments", partitions: 2}
];

const record = fc.record({
  topic: fc.constantFrom(...TOPICS.map((t) => t.name)),
  key: fc.oneof(
    {weight: 6, arbitrary: fc.constantFrom("k1", "k2", "k3", "clé", "😀", "customer-42", "")},
    {weight: 1, arbitrary: fc.string({unit: "binary", maxLength: 6})},
    {weight: 1, arbitrary: fc.uint8Array({maxLength: 4})},
    {weight: 1, arbitrary: fc.integer({min: 0, max: 9})}
  ),
  /** An explicit partition (taken modulo the topic's count below), or the key's. */
  partition: fc.option(fc.nat(), {freq: 5, nil: undefined}),
  value: fc.oneof({weight: 4, arbitrary: fc.string({unit: "binary", maxLength: 12})}, {weight: 1, arbitrary: fc.record({id: fc.nat(99)})}),
  timestamp: fc.option(fc.nat(10_000), {freq: 4, nil: undefined}),
  headers: fc.option(fc.constant<Headers>({trace: "t", bin: new Uint8Array([1, 2])}), {freq: 6, nil: undefined})
}).map((r) => ({...r, partition: r.partition === undefined ? undefined : r.partition % TOPICS.find((t) => t.name === r.topic)!.partitions}));

const scenario = fc.record({
  segmentBytes: fc.constantFrom(14, 40, 120, 1 << 30),
  /** Each send's records and the virtual ms the test waits before the next send. */
  sends: fc.array(fc.record({records: fc.array(record, {minLength: 1, maxLength: 12}), wait: fc.constantFrom(0, 0, 1, 7)}), {minLength: 1, maxLength: 12})
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;
type Input = Scenario["sends"][number]["records"][number];

const keyBytes = (key: unknown) => (typeof key === "string" || key instanceof Uint8Array ? key : JSON.stringify(key));
const partitionOf = (r: Input) => {
  const n = TOPICS.find((t) => t.name === r.topic)!.partitions;
  return r.partition ?? partitionForKey(keyBytes(r.key), n);
};

/** The reference: what each partition's log, segments and each send's result should be. */
function reference(s: Scenario) {
  const logs = new Map<string, {offset: number; key: unknown; value: unknown; timestamp: number; size: number; sequence: number; batch: number; sendIndex: number}[]>();
  const results: {topic: string; partition: number; offset: number; timestamp: number}[][] = [];
  let now = 0, batch = 0, sent = 0;
  for (const send of s.sends) {
    const groups = new Map<string, number[]>();
    send.records.forEach((r, i) => {
      const where = `${r.topic}-${partitionOf(r)}`;
      groups.set(where, [...(groups.get(where) ?? []), i]);
    });
    const result: (typeof results)[number] = [];
    for (const [where, indexes] of groups) {
      batch++;
      const log = logs.get(where) ?? [];
      logs.set(where, log);
      const sequence = log.length;
      indexes.forEach((i, k) => {
        const r = send.records[i];
        const key = r.key ?? null, timestamp = r.timestamp ?? now, offset = log.length;
        log.push({offset, key, value: r.value, timestamp, size: recordSize(key, r.value, r.headers), sequence: sequence + k, batch, sendIndex: sent + i});
        result[i] = {topic: r.topic, partition: partitionOf(r), offset, timestamp};
      });
    }
    results.push(result);
    sent += send.records.length;
    now += send.wait;
  }
  const segments = new Map<string, [number, number, number][]>();
  for (const [where, log] of logs) {
    const segs: [number, number, number][] = [];
    for (const r of log) {
      const last = segs.at(-1);
      if (!last || last[2] + r.size > s.segmentBytes) segs.push([r.offset, 1, r.size]);
      else (last[1]++, (last[2] += r.size));
    }
    segments.set(where, segs);
  }
  return {logs, segments, results};
}

describe("produce path (property, against a record-by-record reference)", () => {
  it("gives the reference's offsets, keys, values, timestamps, sizes, sequences, segments, batches and results", async () => {
    const seen = {multiPartitionSends: 0, singlePartitionSends: 0, rolls: 0, repeatedKeys: 0, ownTimestamps: 0, waits: 0};
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const sim = createSimulation({seed: 1});
        const cluster = createCluster(sim, {brokers: 3});
        for (const t of TOPICS) cluster.createTopic(t.name, {partitions: t.partitions, config: {segmentBytes: s.segmentBytes}});
        const producer = cluster.producer();
        const results: unknown[] = [];
        const pending: Promise<unknown>[] = [];
        for (const [n, send] of s.sends.entries()) {
          pending.push(producer.send(send.records).then((m) => (results[n] = m)));
          if (send.wait > 0) await sim.advance(send.wait);
        }
        await sim.runUntilIdle();
        await Promise.all(pending);

        const expected = reference(s);
        expect(results).toEqual(expected.results);
        const appends = sim.trace.filter("kafka.append");
        for (const t of TOPICS) {
          for (let p = 0; p < t.partitions; p++) {
            const where = `${t.name}-${p}`;
            const log = expected.logs.get(where) ?? [];
            const records = cluster.records(t.name, p);
            expect(records.map((r) => ({offset: r.offset, key: r.key, value: r.value, timestamp: r.timestamp, size: r.size, sequence: r.sequence}))).toEqual(
              log.map(({offset, key, value, timestamp, size, sequence}) => ({offset, key, value, timestamp, size, sequence}))
            );
            expect(records.every((r) => r.type === "data" && r.producerId === producer.producerId && r.producerEpoch === producer.producerEpoch)).toBe(true);
            const traced = appends.filter((e) => e.topic === t.name && e.partition === p);
            expect(traced.map((e) => [e.offset, e.batch, e.sendIndex, e.sequence, e.timestamp])).toEqual(log.map((r) => [r.offset, r.batch, r.sendIndex, r.sequence, r.timestamp]));
            const segments = cluster.partition(t.name, p).log.segmentInfo();
            expect(segments.map((g) => [g.baseOffset, g.records, g.bytes])).toEqual(log.length === 0 ? [[0, 0, 0]] : expected.segments.get(where));
            seen.rolls += Math.max(0, segments.length - 1);
          }
        }
        for (const send of s.sends) {
          const partitions = new Set(send.records.map((r) => `${r.topic}-${partitionOf(r)}`));
          if (partitions.size > 1) seen.multiPartitionSends++;
          else seen.singlePartitionSends++;
          const keys = send.records.map((r) => r.key).filter((k) => typeof k === "string");
          if (new Set(keys).size < keys.length) seen.repeatedKeys++;
          if (send.records.some((r) => r.timestamp !== undefined)) seen.ownTimestamps++;
          if (send.wait > 0) seen.waits++;
        }
      }),
      {numRuns: 300}
    );
    // Guard: every interesting case occurred often.
    for (const [name, count] of Object.entries(seen)) expect(count, name).toBeGreaterThan(50);
  });
});
