// Share groups (KIP-932): acquisition, acknowledgement types, locks, delivery counts, modes.
import {describe, expect, it} from "vitest";
import {KafkaError} from "../../src/components/kafka/index.js";
import {Kafka} from "../../src/components/kafka/kafkajs.js";
import type {ShareGroupConfig} from "../../src/components/kafka/share-group.js";
import {advanceUntilSettled} from "../../src/components/sim/index.js";
import {setup} from "./helpers.js";

/** A topic with `records` records already written, and a share group reading from the earliest offset. */
async function written(records: number, config: Partial<ShareGroupConfig> = {}, partitions = 1) {
  const {sim, cluster} = setup({partitions});
  const producer = cluster.producer();
  await advanceUntilSettled(sim, producer.send(Array.from({length: records}, (_, i) => ({topic: "orders", key: `k${i % 3}`, value: `v${i}`, partition: i % partitions}))));
  cluster.shareGroups.configure("workers", {autoOffsetReset: "earliest", ...config});
  const run = <T>(p: Promise<T>) => advanceUntilSettled(sim, p);
  return {sim, cluster, run, sp: () => cluster.shareGroups.sharePartition("workers", "orders", 0)};
}

describe("share groups", () => {
  it("two members read the same partition, and no record goes to both", async () => {
    const {cluster, run, sp} = await written(10);
    const a = cluster.shareConsumer({groupId: "workers", maxPollRecords: 4});
    const b = cluster.shareConsumer({groupId: "workers", maxPollRecords: 4});
    a.subscribe("orders");
    b.subscribe("orders");
    const [ra, rb] = await run(Promise.all([a.poll(1000), b.poll(1000)]));
    expect(ra).toHaveLength(4);
    expect(rb).toHaveLength(4);
    const offsets = [...ra, ...rb].map((r) => r.offset);
    expect(new Set(offsets).size).toBe(8);
    expect(sp().inFlight().filter((r) => r.state === "ACQUIRED")).toHaveLength(8);
    expect([...ra, ...rb].every((r) => r.deliveryCount === 1)).toBe(true);
  });

  it("implicit mode: the next poll accepts the previous batch and the SPSO moves past it", async () => {
    const {cluster, run, sp} = await written(6);
    const c = cluster.shareConsumer({groupId: "workers", maxPollRecords: 3});
    c.subscribe("orders");
    const first = await run(c.poll(1000));
    expect(() => c.acknowledge(first[0])).toThrow(/explicit/);
    expect(sp().startOffset).toBe(0);
    const second = await run(c.poll(1000));
    expect(second.map((r) => r.offset)).toEqual([3, 4, 5]);
    expect(sp().startOffset).toBe(3);
    await run(c.commitSync());
    expect(sp().startOffset).toBe(6);
    expect(sp().inFlight()).toEqual([]);
  });

  it("explicit mode: poll refuses while records of the last poll are unacknowledged", async () => {
    const {cluster, run} = await written(4);
    const c = cluster.shareConsumer({groupId: "workers", acknowledgementMode: "explicit", maxPollRecords: 2});
    c.subscribe("orders");
    const records = await run(c.poll(1000));
    expect(records).toHaveLength(2);
    c.acknowledge(records[0], "ACCEPT");
    await expect(c.poll(1000)).rejects.toThrow(KafkaError);
    c.acknowledge(records[1], "ACCEPT");
    expect((await run(c.poll(1000))).map((r) => r.offset)).toEqual([2, 3]);
  });

  it("RELEASE makes a record available again, delivered with a higher delivery count", async () => {
    const {cluster, run, sp} = await written(1);
    const c = cluster.shareConsumer({groupId: "workers", acknowledgementMode: "explicit"});
    c.subscribe("orders");
    const [r1] = await run(c.poll(1000));
    c.acknowledge(r1, "RELEASE");
    const [r2] = await run(c.poll(1000));
    expect(r2.offset).toBe(r1.offset);
    expect([r1.deliveryCount, r2.deliveryCount]).toEqual([1, 2]);
    c.acknowledge(r2, "ACCEPT");
    await run(c.commitSync());
    expect(sp().startOffset).toBe(1);
  });

  it("REJECT archives the record: never delivered again, and the SPSO moves past it", async () => {
    const {sim, cluster, run, sp} = await written(2);
    const c = cluster.shareConsumer({groupId: "workers", acknowledgementMode: "explicit", maxPollRecords: 1});
    c.subscribe("orders");
    const [r0] = await run(c.poll(1000));
    c.acknowledge(r0, "REJECT");
    const [r1] = await run(c.poll(1000));
    expect(r1.offset).toBe(1);
    c.acknowledge(r1, "ACCEPT");
    expect(await run(c.poll(2000))).toEqual([]);
    expect(sp().startOffset).toBe(2);
    expect(sim.trace.filter("kafka.share.archive").map((e) => e.offset)).toEqual([0]);
  });

  it("a crashed member's records stay locked for the lock duration, then return with delivery count 2", async () => {
    const {sim, cluster, run} = await written(3, {recordLockDurationMs: 30_000});
    const crashing = cluster.shareConsumer({groupId: "workers"});
    crashing.subscribe("orders");
    const held = await run(crashing.poll(1000));
    expect(held).toHaveLength(3);
    const crashedAt = sim.now;
    crashing.crash();
    const other = cluster.shareConsumer({groupId: "workers"});
    other.subscribe("orders");
    const again = await run(other.poll(60_000));
    expect(again.map((r) => r.offset)).toEqual([0, 1, 2]);
    expect(again.every((r) => r.deliveryCount === 2)).toBe(true);
    const acquiredAgainAt = sim.trace.filter("kafka.share.acquire").filter((e) => e.deliveryCount === 2)[0].time;
    expect(acquiredAgainAt - crashedAt).toBeGreaterThanOrEqual(29_990);
    expect(acquiredAgainAt - crashedAt).toBeLessThan(31_000);
  });

  it("acknowledging after the lock expired is refused with INVALID_RECORD_STATE", async () => {
    const {sim, cluster, run} = await written(1, {recordLockDurationMs: 100});
    const c = cluster.shareConsumer({groupId: "workers", acknowledgementMode: "explicit"});
    c.subscribe("orders");
    const [r] = await run(c.poll(1000));
    await sim.advance(200);
    c.acknowledge(r, "ACCEPT");
    const errors = await run(c.commitSync());
    expect(errors.map((e) => e.code)).toEqual(["INVALID_RECORD_STATE"]);
    expect(sim.trace.filter("kafka.share.lock-expired")).toHaveLength(1);
  });

  it("after group.share.delivery.count.limit deliveries a released record is archived", async () => {
    const {sim, cluster, run} = await written(1, {deliveryCountLimit: 3});
    const c = cluster.shareConsumer({groupId: "workers", acknowledgementMode: "explicit"});
    c.subscribe("orders");
    const counts: number[] = [];
    for (let i = 0; i < 5; i++) {
      const records = await run(c.poll(1000));
      for (const r of records) {
        counts.push(r.deliveryCount);
        c.acknowledge(r, "RELEASE");
      }
    }
    expect(counts).toEqual([1, 2, 3]);
    expect(sim.trace.filter("kafka.share.archive").map((e) => e.reason)).toEqual(["delivery-count-limit"]);
  });

  it("closing releases what the member holds at once (delivery count kept)", async () => {
    const {cluster, run} = await written(2);
    const a = cluster.shareConsumer({groupId: "workers", acknowledgementMode: "explicit"});
    a.subscribe("orders");
    const held = await run(a.poll(1000));
    expect(held).toHaveLength(2);
    for (const r of held) a.acknowledge(r, "RELEASE");
    await run(a.close());
    const b = cluster.shareConsumer({groupId: "workers"});
    b.subscribe("orders");
    expect((await run(b.poll(1000))).map((r) => r.deliveryCount)).toEqual([2, 2]);
  });

  it("share.auto.offset.reset latest (the default) skips records written before the group first reads", async () => {
    const {cluster, run} = await written(5, {autoOffsetReset: "latest"});
    const c = cluster.shareConsumer({groupId: "workers"});
    c.subscribe("orders");
    expect(await run(c.poll(1000))).toEqual([]);
    await run(cluster.producer().send([{topic: "orders", key: "k", value: "after"}]));
    expect((await run(c.poll(1000))).map((r) => r.value)).toEqual(["after"]);
  });

  it("group.share.partition.max.record.locks bounds the in-flight window", async () => {
    const {cluster, run, sp} = await written(10, {partitionMaxRecordLocks: 3});
    const a = cluster.shareConsumer({groupId: "workers"});
    const b = cluster.shareConsumer({groupId: "workers"});
    a.subscribe("orders");
    b.subscribe("orders");
    const [ra, rb] = await run(Promise.all([a.poll(1000), b.poll(200)]));
    expect(ra).toHaveLength(3);
    expect(rb).toEqual([]);
    expect(sp().endOffset - sp().startOffset).toBe(3);
  });

  it("refuses bad configuration with a message naming the setting", async () => {
    const {cluster} = await written(0);
    expect(() => cluster.shareConsumer({groupId: ""})).toThrow(/groupId/);
    expect(() => cluster.shareConsumer({groupId: "g", acknowledgementMode: "manual" as never})).toThrow(/share.acknowledgement.mode/);
    expect(() => cluster.shareGroups.configure("g", {deliveryCountLimit: 1})).toThrow(/delivery.count.limit/);
  });
});

describe("kafka.shareConsumer(): the Java KafkaShareConsumer's shape (kafkajs has none)", () => {
  it("subscribe, poll, acknowledge, commitSync, close", async () => {
    const kafka = new Kafka({clientId: "jobs"});
    await kafka.admin().createTopics({topics: [{topic: "jobs", numPartitions: 2}]});
    await kafka.producer().send({topic: "jobs", messages: Array.from({length: 4}, (_, i) => ({key: `k${i}`, value: `job ${i}`}))});
    const consumer = kafka.shareConsumer({groupId: "workers", acknowledgementMode: "explicit", autoOffsetReset: "earliest"});
    consumer.subscribe(["jobs"]);
    const records = await consumer.poll(1000);
    expect(records.map((r) => r.value).sort()).toEqual(["job 0", "job 1", "job 2", "job 3"]);
    for (const r of records) consumer.acknowledge(r, r.value === "job 0" ? "RELEASE" : "ACCEPT");
    expect(await consumer.commitSync()).toEqual([]);
    const again = await consumer.poll(1000);
    expect(again.map((r) => [r.value, r.deliveryCount])).toEqual([["job 0", 2]]);
    consumer.acknowledge(again[0]);
    await consumer.close();
    expect(() => kafka.shareConsumer({groupId: ""})).toThrow(/groupId/);
  });
});
