// CreatePartitions: a topic grows, never shrinks (Kafka's INVALID_PARTITIONS texts are those of
// ReplicationControlManager, see ReplicationControlManagerTest.testCreatePartitions). Written
// records stay where they are; keyed records sent afterwards go to murmur2(key) % the new count.
import {describe, expect, it} from "vitest";
import {KafkaError, partitionForKey} from "../../src/components/kafka/index.js";
import {Kafka} from "../../src/components/kafka/kafkajs.js";
import {thrown} from "../thrown.js";
import {setup} from "./helpers.js";

const keys = Array.from({length: 40}, (_, i) => `order-${i}`);

describe("createPartitions", () => {
  it("refuses the same count and a decrease with INVALID_PARTITIONS, an unknown topic with UNKNOWN_TOPIC_OR_PARTITION, and changes nothing", () => {
    const {cluster} = setup({partitions: 3});
    expect(thrown(() => cluster.createPartitions("orders", 3))).toMatchObject({code: "INVALID_PARTITIONS", message: "Topic already has 3 partition(s)."});
    expect(thrown(() => cluster.createPartitions("orders", 2))).toMatchObject({code: "INVALID_PARTITIONS", message: "The topic orders currently has 3 partition(s); 2 would not be an increase."});
    expect(thrown(() => cluster.createPartitions("payments", 4))).toMatchObject({code: "UNKNOWN_TOPIC_OR_PARTITION"});
    expect(thrown(() => cluster.createPartitions("orders", 3.5))).toBeInstanceOf(KafkaError);
    expect(cluster.topic("orders").partitions).toHaveLength(3);
  });

  it("adds empty partitions with the topic's replication factor; keyed records then follow murmur2 % the new count", async () => {
    const {sim, cluster} = setup({partitions: 3, replicationFactor: 2}, {brokers: 3});
    const producer = cluster.producer();
    void producer.send(keys.map((key) => ({topic: "orders", key, value: "before"})));
    await sim.runUntilIdle();
    const before = [0, 1, 2].map((p) => cluster.records("orders", p).map((r) => r.key));
    cluster.createPartitions("orders", 5);
    expect(cluster.offsets().map((o) => o.logEndOffset)).toEqual([...before.map((b) => b.length), 0, 0]);
    expect(cluster.offsets().map((o) => o.isr.length)).toEqual([2, 2, 2, 2, 2]);
    const metadata = await Promise.all([producer.send(keys.map((key) => ({topic: "orders", key, value: "after"}))), sim.runUntilIdle()]).then(([m]) => m);
    expect(metadata.map((m) => m.partition)).toEqual(keys.map((key) => partitionForKey(key, 5)));
    const moved = keys.filter((key) => partitionForKey(key, 3) !== partitionForKey(key, 5));
    expect(moved.length).toBeGreaterThan(10);
    // The records written before stay in their partitions, first in each log.
    for (const p of [0, 1, 2]) expect(cluster.records("orders", p).slice(0, before[p].length).map((r) => [r.key, r.value])).toEqual(before[p].map((k) => [k, "before"]));
    expect(sim.trace.filter("kafka.partitions.create")).toMatchObject([{topic: "orders", from: 3, to: 5}]);
  });

  it("a group reading the topic rebalances and reads the new partitions too", async () => {
    const {sim, cluster} = setup({partitions: 2});
    const consumer = cluster.consumer({groupId: "billing", autoOffsetReset: "earliest"});
    const read = new Set<number>();
    consumer.subscribe("orders");
    consumer.run({eachMessage: (r) => void read.add(r.partition)});
    await sim.advance(100);
    expect(consumer.assignment().map((tp) => tp.partition)).toEqual([0, 1]);
    cluster.createPartitions("orders", 4);
    const producer = cluster.producer();
    void producer.send(keys.map((key) => ({topic: "orders", key, value: 1})));
    await sim.advance(1000);
    expect(consumer.assignment().map((tp) => tp.partition)).toEqual([0, 1, 2, 3]);
    expect([...read].sort()).toEqual([0, 1, 2, 3]);
  });

  it("kafkajs admin.createPartitions grows a topic; a decrease rejects and validateOnly changes nothing", async () => {
    const kafka = new Kafka({clientId: "ops"});
    const admin = kafka.admin();
    await admin.createTopics({topics: [{topic: "orders", numPartitions: 2}]});
    expect(await admin.createPartitions({validateOnly: true, topicPartitions: [{topic: "orders", count: 6}]})).toBe(true);
    expect(kafka.cluster.topic("orders").partitions).toHaveLength(2);
    expect(await admin.createPartitions({topicPartitions: [{topic: "orders", count: 6}]})).toBe(true);
    expect(await admin.fetchTopicOffsets("orders")).toHaveLength(6);
    await expect(admin.createPartitions({topicPartitions: [{topic: "orders", count: 4}]})).rejects.toMatchObject({code: "INVALID_PARTITIONS", message: "The topic orders currently has 6 partition(s); 4 would not be an increase."});
  });
});
