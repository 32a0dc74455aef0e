import type * as kafkajs from "kafkajs";
import {describe, expect, expectTypeOf, it} from "vitest";
import {createCluster} from "../../src/components/kafka/index.js";
import {Kafka, type Consumer, type ConsumerConfig, type EachMessagePayload, type KafkaConfig, type Producer, type ProducerConfig, type ProducerRecord, type RecordMetadata, type Admin, type Transaction} from "../../src/components/kafka/kafkajs.js";
import {createSimulation, SimulationReentryError} from "../../src/components/sim/index.js";

describe("kafkajs-shaped facade", () => {
  it("runs kafkajs code: admin, producer.send, consumer.subscribe/run, fetchOffsets", async () => {
    const kafka = new Kafka({clientId: "shop", brokers: ["localhost:9092"]});
    const admin = kafka.admin();
    await admin.connect();
    expect(await admin.createTopics({topics: [{topic: "orders", numPartitions: 3, configEntries: [{name: "retention.ms", value: "60000"}]}]})).toBe(true);
    expect(await admin.createTopics({topics: [{topic: "orders"}]})).toBe(false);
    expect(kafka.cluster.topic("orders").config.retentionMs).toBe(60_000);
    const producer = kafka.producer();
    await producer.connect();
    const meta = await producer.send({topic: "orders", messages: [{key: "alice", value: "1"}, {key: "alice", value: "2"}]});
    expect(meta).toHaveLength(1);
    expect(meta[0]).toMatchObject({topicName: "orders", errorCode: 0, baseOffset: "0"});
    const consumer = kafka.consumer({groupId: "billing"});
    await consumer.connect();
    await consumer.subscribe({topics: ["orders"], fromBeginning: true});
    const seen: string[] = [];
    await consumer.run({eachMessage: async ({topic, partition, message}) => void seen.push(`${topic}/${partition}/${message.offset}/${message.value?.toString()}`)});
    await kafka.sim.runUntilIdle();
    expect(seen).toEqual([`orders/${meta[0].partition}/0/1`, `orders/${meta[0].partition}/1/2`]);
    const offsets = await admin.fetchOffsets({groupId: "billing", topics: ["orders"]});
    expect(offsets[0].partitions.find((p) => p.partition === meta[0].partition)?.offset).toBe("2");
    expect(await admin.fetchTopicOffsets("orders")).toContainEqual({partition: meta[0].partition, offset: "2", high: "2", low: "0"});
    await consumer.disconnect();
  });

  it("drive(): an answer that needs no time leaves the clock alone; one that can never come is REQUEST_TIMED_OUT", async () => {
    const kafka = new Kafka({clientId: "x"});
    expect(await kafka.drive(Promise.resolve(7))).toBe(7);
    expect(kafka.sim.now).toBe(0);
    await expect(kafka.drive(new Promise(() => {}))).rejects.toMatchObject({code: "REQUEST_TIMED_OUT"});
    let answer!: (v: string) => void;
    const later = new Promise<string>((resolve) => (answer = resolve));
    kafka.sim.schedule(5, () => answer("done"));
    expect(await kafka.drive(later)).toBe("done");
    expect(kafka.sim.now).toBe(6); // the clock moved past the answer's task in 1 ms steps
  });

  it("drive() inside a running simulation awaits without advancing: re-entry is a SimulationReentryError", async () => {
    const kafka = new Kafka({clientId: "x"});
    const sim = kafka.sim;
    let reentry: Promise<void> | null = null;
    let driven: Promise<string> | null = null;
    let answer!: (v: string) => void;
    const later = new Promise<string>((resolve) => (answer = resolve));
    // As a consumer's handler does: the task is still running (the kernel awaits it) when drive() wants to advance.
    sim.schedule(1, async () => {
      reentry = sim.advance(1);
      driven = kafka.drive(later);
      for (let tick = 0; tick < 32; tick++) await null;
    });
    sim.schedule(3, () => answer("from inside"));
    await sim.runUntilIdle();
    await expect(reentry).rejects.toBeInstanceOf(SimulationReentryError);
    expect(await driven).toBe("from inside");
    expect(sim.now).toBe(3);
  });

  it("follows kafkajs defaults: not idempotent, read_committed consumers, round-robin assignment", async () => {
    const kafka = new Kafka({clientId: "x", sim: createSimulation({seed: 2})});
    const producer = kafka.producer();
    expect(producer.isIdempotent()).toBe(false);
    expect(kafka.producer({idempotent: true}).isIdempotent()).toBe(true);
  });

  it("a transaction in eachMessage: consume, transform, produce and commit the input offset atomically", async () => {
    const sim = createSimulation({seed: 3});
    const cluster = createCluster(sim);
    const kafka = new Kafka({clientId: "etl", cluster});
    await kafka.admin().createTopics({topics: [{topic: "in", numPartitions: 2}, {topic: "out"}]});
    await kafka.producer().send({topic: "in", messages: ["a", "b", "c"].map((v) => ({key: v, value: v}))});
    const out = kafka.producer({transactionalId: "etl-1", idempotent: true});
    await out.connect();
    const consumer = kafka.consumer({groupId: "etl"});
    await consumer.subscribe({topic: "in", fromBeginning: true});
    await consumer.run({
      eachMessage: async ({topic, partition, message}) => {
        const txn = await out.transaction();
        await txn.send({topic: "out", messages: [{key: message.key, value: String(message.value).toUpperCase()}]});
        await txn.sendOffsets({consumerGroupId: "etl", topics: [{topic, partitions: [{partition, offset: String(Number(message.offset) + 1)}]}]});
        await txn.commit();
      }
    });
    await sim.runUntilIdle();
    expect(cluster.records("out", 0).filter((r) => r.type === "data").map((r) => r.value).sort()).toEqual(["A", "B", "C"]);
    expect(cluster.records("out", 0).filter((r) => r.type === "commit")).toHaveLength(3);
    const committed = [0, 1].map((p) => cluster.groups.committed("etl", "in", p) ?? 0);
    expect(committed.reduce((a, b) => a + b)).toBe(3);
  });

  it("seek before the partition is assigned is applied on assignment; pause stops a partition", async () => {
    const kafka = new Kafka({clientId: "s"});
    await kafka.admin().createTopics({topics: [{topic: "t"}]});
    await kafka.producer().send({topic: "t", messages: [0, 1, 2, 3].map((i) => ({value: String(i)}))});
    const consumer = kafka.consumer({groupId: "g"});
    await consumer.subscribe({topics: ["t"]});
    const seen: string[] = [];
    await consumer.run({eachMessage: async ({message}) => void seen.push(message.offset)});
    consumer.seek({topic: "t", partition: 0, offset: "2"});
    await kafka.sim.runUntilIdle();
    expect(seen).toEqual(["2", "3"]);
    consumer.pause([{topic: "t"}]);
    expect(consumer.paused()).toEqual([{topic: "t", partitions: [0]}]);
    expect(() => consumer.seek({topic: "t", partition: 0, offset: "-3"})).toThrow(/offset must be a string holding an integer >= 0/);
  });

  it("refuses bad input with the setting's name", async () => {
    const kafka = new Kafka();
    expect(() => kafka.consumer({groupId: ""})).toThrow(/groupId/);
    await expect(kafka.admin().createTopics({topics: [{topic: "x", numPartitions: 0}]})).rejects.toThrow(/numPartitions must be/);
    await expect(kafka.admin().createTopics({topics: [{topic: "x", configEntries: [{name: "compression.type", value: "lz4"}]}]})).rejects.toThrow(/compression.type/);
    expect(await kafka.admin().listTopics()).toEqual([]);
    const txProducer = kafka.producer({transactionalId: "t"});
    await expect(txProducer.send({topic: "x", messages: []})).rejects.toThrow(/inside a transaction/);
  });
});

describe("facade types against kafkajs's own .d.ts", () => {
  it("accepts kafkajs's inputs and returns values kafkajs code can use", () => {
    // Inputs written for kafkajs are valid here...
    expectTypeOf<kafkajs.ProducerRecord>().toMatchTypeOf<ProducerRecord>();
    expectTypeOf<{clientId: string; brokers: string[]}>().toMatchTypeOf<KafkaConfig>();
    expectTypeOf<Pick<kafkajs.ProducerConfig, "idempotent" | "transactionalId" | "transactionTimeout" | "maxInFlightRequests">>().toMatchTypeOf<ProducerConfig>();
    expectTypeOf<Pick<kafkajs.ConsumerConfig, "groupId" | "sessionTimeout" | "readUncommitted" | "heartbeatInterval">>().toMatchTypeOf<ConsumerConfig>();
    expectTypeOf<Parameters<kafkajs.Admin["createTopics"]>[0]>().toMatchTypeOf<Parameters<Admin["createTopics"]>[0]>();
    expectTypeOf<Parameters<kafkajs.Admin["createPartitions"]>[0]>().toMatchTypeOf<Parameters<Admin["createPartitions"]>[0]>();
    expectTypeOf<Parameters<kafkajs.Consumer["subscribe"]>[0]>().toMatchTypeOf<Parameters<Consumer["subscribe"]>[0]>();
    expectTypeOf<Parameters<kafkajs.Consumer["seek"]>[0]>().toMatchTypeOf<Parameters<Consumer["seek"]>[0]>();
    expectTypeOf<Parameters<kafkajs.Transaction["sendOffsets"]>[0]>().toMatchTypeOf<Parameters<Transaction["sendOffsets"]>[0]>();
    // ...and our configs and results are valid kafkajs values.
    expectTypeOf<ProducerConfig>().toMatchTypeOf<kafkajs.ProducerConfig>();
    expectTypeOf<Omit<ConsumerConfig, "assignor">>().toMatchTypeOf<kafkajs.ConsumerConfig>();
    expectTypeOf<RecordMetadata>().toMatchTypeOf<kafkajs.RecordMetadata>();
    expectTypeOf<Omit<EachMessagePayload, "message">>().toMatchTypeOf<Omit<kafkajs.EachMessagePayload, "message">>();
    // Keys, values and header values are what was sent (string or bytes), not Node Buffers: the browser has none.
    expectTypeOf<Omit<EachMessagePayload["message"], "key" | "value" | "headers">>().toMatchTypeOf<Omit<Extract<kafkajs.KafkaMessage, {attributes: number}>, "key" | "value" | "size" | "headers">>();
    // Every method we offer exists on kafkajs's clients with the same name.
    expectTypeOf<keyof Producer>().toMatchTypeOf<keyof kafkajs.Producer>();
    expectTypeOf<keyof Consumer>().toMatchTypeOf<keyof kafkajs.Consumer>();
    expectTypeOf<keyof Admin>().toMatchTypeOf<keyof kafkajs.Admin>();
    expectTypeOf<keyof Transaction>().toMatchTypeOf<keyof kafkajs.Transaction>();
    expectTypeOf<Producer["send"]>().returns.toMatchTypeOf<Promise<kafkajs.RecordMetadata[]>>();
    const record = {topic: "orders", messages: [{key: "k", value: "v", headers: {source: "web"}}]} satisfies kafkajs.ProducerRecord;
    expectTypeOf(record).toMatchTypeOf<ProducerRecord>();
  });
});
