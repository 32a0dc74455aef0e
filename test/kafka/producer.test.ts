import {describe, expect, it} from "vitest";
import {KafkaConfigError, KafkaError, partitionForKey} from "../../src/components/kafka/index.js";
import {duplicateWrites} from "../../src/components/tables/index.js";
import {setup} from "./helpers.js";

describe("producer partitioning", () => {
  it("sends keyed records to toPositive(murmur2(key)) % numPartitions", async () => {
    const {sim, cluster} = setup({partitions: 6});
    const producer = cluster.producer();
    const keys = ["alice", "bob", "carol", "dave", "erin"];
    const sent = producer.send(keys.map((key) => ({topic: "orders", key, value: 1})));
    await sim.runUntilIdle();
    expect((await sent).map((m) => m.partition)).toEqual(keys.map((k) => partitionForKey(k, 6)));
  });

  it("keeps keyless records on one sticky partition until batch.size bytes, then moves (KIP-480/794)", async () => {
    const {sim, cluster} = setup({partitions: 4});
    const producer = cluster.producer({batchSize: 100});
    const results = [];
    for (let i = 0; i < 40; i++) results.push(producer.send({topic: "orders", value: "0123456789"})); // 18 bytes each
    await sim.runUntilIdle();
    const partitions = (await Promise.all(results)).map((m) => m[0].partition);
    const runs: number[][] = [];
    for (const p of partitions) (runs.at(-1)?.[0] === p ? runs.at(-1)! : (runs.push([]), runs.at(-1)!)).push(p);
    expect(runs.slice(0, -1).every((r) => r.length === 6)).toBe(true); // 6 x 18 bytes >= 100
    expect(runs.every((r, i) => i === 0 || r[0] !== runs[i - 1][0])).toBe(true);
    expect(new Set(partitions).size).toBeGreaterThan(1);
  });

  it("honours an explicit partition", async () => {
    const {sim, cluster} = setup({partitions: 3});
    const sent = cluster.producer().send({topic: "orders", key: "k", value: 1, partition: 2});
    await sim.runUntilIdle();
    expect((await sent)[0].partition).toBe(2);
  });
});

describe("acks and retries", () => {
  it("acks=0 resolves without an offset; acks=1 after the leader's append; acks=all after every in-sync replica", async () => {
    const {sim, cluster} = setup({partitions: 1, replicationFactor: 3}, {networkMs: 1, replicationMs: 5});
    const order: string[] = [];
    const sends = ([0, 1, "all"] as const).map((acks) => cluster.producer({acks, idempotent: false}).send({topic: "orders", value: acks}).then((m) => (order.push(String(acks)), m)));
    await sim.runUntilIdle();
    const [zero, one, all] = await Promise.all(sends);
    expect([zero[0].offset, one[0].offset, all[0].offset]).toEqual([-1, 1, 2]);
    expect(order).toEqual(["0", "1", "all"]);
    const acks = sim.trace.filter("kafka.ack");
    expect(acks.map((e) => e.time)).toEqual([2, 7]); // 1 ms there and back; acks=all also waits for the followers (5 ms)
  });

  it("acks=0 settles a send at once, before anything reaches the broker: each record's partition in call order, no offset", async () => {
    const {sim, cluster} = setup({partitions: 4});
    const keys = Array.from({length: 40}, (_, i) => `order-${i}`);
    let settled: {partition: number; offset: number}[] | null = null;
    void cluster.producer({acks: 0, idempotent: false}).send(keys.map((key) => ({topic: "orders", key, value: key}))).then((m) => (settled = m));
    await Promise.resolve();
    expect(settled).not.toBeNull();
    expect(settled!.map((m) => m.partition)).toEqual(keys.map((k) => partitionForKey(k, 4)));
    expect(new Set(settled!.map((m) => m.partition)).size).toBe(4);
    expect(settled!.every((m) => m.offset === -1)).toBe(true);
    expect(sim.trace.filter("kafka.append")).toHaveLength(0);
    await sim.runUntilIdle();
    expect(sim.trace.filter("kafka.append").map((e) => e.value).sort()).toEqual([...keys].sort());
  });

  it("acks=1 can lose an acknowledged record when the leader dies before followers copy it; acks=all cannot", async () => {
    for (const acks of [1, "all"] as const) {
      const {sim, cluster} = setup({partitions: 1, replicationFactor: 3}, {replicationMs: 10});
      const acked: number[] = [];
      void cluster.producer({acks, idempotent: false}).send({topic: "orders", value: "x"}).then((m) => void acked.push(m[0].offset));
      sim.schedule(3, () => cluster.crashBroker(0)); // leader of partition 0
      await sim.runUntilIdle();
      const log = cluster.records("orders", 0).map((r) => r.value);
      if (acks === 1) {
        expect(acked).toEqual([0]);
        expect(log).toEqual([]); // acknowledged, then truncated away by the new leader
      } else {
        expect(log).toEqual(["x"]); // retried to the new leader, then acknowledged
        expect(acked).toHaveLength(1);
      }
    }
  });

  it("refuses acks=all writes below min.insync.replicas and retries until the replicas return", async () => {
    const {sim, cluster} = setup({partitions: 1, replicationFactor: 2, config: {minInsyncReplicas: 2}}, {brokers: 2});
    cluster.crashBroker(1);
    const sent = cluster.producer().send({topic: "orders", value: "x"});
    sim.schedule(1000, () => cluster.restartBroker(1));
    await sim.runUntilIdle();
    expect(sim.trace.filter("kafka.produce.error").some((e) => e.code === "NOT_ENOUGH_REPLICAS")).toBe(true);
    expect((await sent)[0].offset).toBe(0);
  });

  it("sends each record as it was at send(): a record object changed afterwards, even before a retry, is written unchanged", async () => {
    const {sim, cluster} = setup({partitions: 2});
    const producer = cluster.producer({idempotent: false});
    producer.loseAcks(1);
    const records = ["a", "b", "c"].map((key) => ({topic: "orders", key, value: `${key}-sent`, headers: {h: "sent"}, timestamp: 5}));
    const sent = producer.send(records);
    for (const r of records) Object.assign(r, {key: "changed", value: "changed", headers: {h: "changed"}, timestamp: 9});
    await sim.runUntilIdle();
    const written = [0, 1].flatMap((p) => cluster.records("orders", p)).map((r) => [r.key, r.value, r.headers?.h, r.timestamp]);
    expect(written.length).toBeGreaterThan(3); // a batch was written twice: the retry sent its copy of the records too
    expect(new Set(written.map(String))).toEqual(new Set(["a,a-sent,sent,5", "b,b-sent,sent,5", "c,c-sent,sent,5"]));
    expect((await sent).map((m) => m.timestamp)).toEqual([5, 5, 5]);
  });

  it("a lost acknowledgement makes a non-idempotent producer write the record twice", async () => {
    const {sim, cluster} = setup({partitions: 1});
    const producer = cluster.producer({idempotent: false});
    producer.loseAcks(1);
    const sent = producer.send({topic: "orders", key: "k", value: "once"});
    await sim.runUntilIdle();
    expect(cluster.records("orders", 0).map((r) => r.value)).toEqual(["once", "once"]);
    expect((await sent)[0].offset).toBe(1);
    expect(duplicateWrites(sim).objects()).toMatchObject([{offsets: [0, 1], key: "k"}]);
    expect(sim.now).toBeGreaterThanOrEqual(30_000); // the retry waited for request.timeout.ms
  });

  it("the idempotent producer (the default) retries the same batch and the broker drops the copy", async () => {
    const {sim, cluster} = setup({partitions: 1});
    const producer = cluster.producer();
    expect(producer.idempotent).toBe(true);
    producer.loseAcks(2);
    const sent = producer.send({topic: "orders", key: "k", value: "once"});
    await sim.runUntilIdle();
    expect(cluster.records("orders", 0).map((r) => [r.value, r.producerId, r.sequence])).toEqual([["once", producer.producerId, 0]]);
    expect((await sent)[0].offset).toBe(0);
    expect(sim.trace.filter("kafka.produce.duplicate")).toHaveLength(1);
  });

  it("an idempotent producer keeps order when a request is lost and a later batch overtakes it", async () => {
    const {sim, cluster} = setup({partitions: 1}, {seed: 3});
    const producer = cluster.producer({lostRequests: 0.3, requestTimeoutMs: 1000});
    const sends = Array.from({length: 20}, (_, i) => producer.send({topic: "orders", key: "k", value: i}));
    await sim.runUntilIdle();
    await Promise.all(sends);
    expect(sim.trace.filter("kafka.request.lost").length).toBeGreaterThan(0);
    expect(cluster.records("orders", 0).map((r) => r.value)).toEqual(Array.from({length: 20}, (_, i) => i));
  });

  it("acknowledges a retried batch the broker no longer remembers as written, with offset -1, and writes it once", async () => {
    // Kafka's Sender on DUPLICATE_SEQUENCE_NUMBER: the batch is in the log but its offset is no
    // longer cached (the broker keeps 5 batches per producer), so the send succeeds without one.
    const {sim, cluster} = setup({partitions: 1}, {seed: 4});
    const producer = cluster.producer({lostAcks: 0.2, requestTimeoutMs: 100, retryBackoffMs: 10});
    const sends = Array.from({length: 20}, (_, i) => producer.send({topic: "orders", key: "k", value: `v${i}`}));
    await sim.runUntilIdle();
    const offsets = (await Promise.all(sends)).map(([m]) => m.offset);
    offsets.forEach((offset, i) => expect([i, -1]).toContain(offset));
    expect(offsets).toContain(-1);
    expect(cluster.records("orders", 0).map((r) => r.value)).toEqual(Array.from({length: 20}, (_, i) => `v${i}`));
  });

  it("keeps at most max.in.flight batches unanswered per partition (at most 5 with idempotence)", async () => {
    const {sim, cluster} = setup({partitions: 1});
    const producer = cluster.producer({maxInFlight: 2});
    const sends = Array.from({length: 6}, (_, i) => producer.send({topic: "orders", key: "k", value: `v${i}`}));
    await sim.advance(cluster.networkMs);
    expect(cluster.records("orders", 0)).toHaveLength(2);
    await sim.runUntilIdle();
    expect((await Promise.all(sends)).map(([m]) => m.offset)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(() => cluster.producer({maxInFlight: 6})).toThrow(/maxInFlight must be at most 5 with an idempotent producer/);
    expect(() => cluster.producer({maxInFlight: 0})).toThrow(/maxInFlight/);
  });

  it("gives up after delivery.timeout.ms with DELIVERY_TIMEOUT", async () => {
    const {sim, cluster} = setup({partitions: 1});
    const producer = cluster.producer({lostRequests: 1, deliveryTimeoutMs: 60_000});
    const sent = producer.send({topic: "orders", value: 1});
    const failure = sent.catch((e: KafkaError) => e.code);
    await sim.runUntilIdle();
    expect(await failure).toBe("DELIVERY_TIMEOUT");
  });
});

describe("bad producer input", () => {
  it("names the setting and the allowed values, and sends nothing", async () => {
    const {sim, cluster} = setup({partitions: 2});
    expect(() => cluster.producer({acks: 2 as never})).toThrow(/acks must be one of 0, 1, -1, "all", got 2/);
    expect(() => cluster.producer({acks: 1, idempotent: true})).toThrow(/idempotent producer needs acks "all"/);
    expect(cluster.producer({acks: 1}).idempotent).toBe(false); // conflicting defaults disable idempotence, as Kafka 3.2+
    expect(() => cluster.producer({lostAcks: 2})).toThrow(/lostAcks must be a probability in \[0, 1\]/);
    const producer = cluster.producer();
    expect(() => producer.send([{topic: "orders", value: 1}, {topic: "nope", value: 2}])).toThrow(/topic "nope" does not exist/);
    expect(() => producer.send({topic: "orders", value: 1, partition: 5})).toThrow(/partition must be an integer in \[0, 1\]/);
    expect(() => producer.send({topic: "orders", value: undefined})).toThrow(KafkaConfigError);
    await sim.runUntilIdle();
    expect(cluster.offsets().map((o) => o.logEndOffset)).toEqual([0, 0]);
    expect(cluster.appended).toBe(0);
  });

  it("refuses keyless records in a compacted topic", () => {
    const {cluster} = setup({partitions: 1, config: {cleanupPolicy: "compact"}});
    expect(() => cluster.producer().send({topic: "orders", value: 1})).toThrow(/compacted topic orders cannot accept a record without a key/);
  });

  it("stops a run at 5,000,000 records with a RangeError naming the limit", () => {
    const {cluster} = setup({partitions: 1}, {maxRecords: 10});
    const producer = cluster.producer();
    producer.send(Array.from({length: 10}, (_, i) => ({topic: "orders", value: i})));
    expect(() => producer.send({topic: "orders", value: "one too many"})).toThrow(RangeError);
    expect(() => producer.send({topic: "orders", value: "one too many"})).toThrow(/at most 10 records \(maxRecords; hard limit 5,000,000\)/);
    expect(() => setup({}, {maxRecords: 5_000_001})).toThrow(/maxRecords must be an integer in \[1, 5000000\]/);
  });
});
