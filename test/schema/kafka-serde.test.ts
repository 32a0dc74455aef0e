// The Avro serde on the Kafka model, as Confluent's KafkaAvroSerializer sits in a real producer:
// v1 and v2 producers write to one topic, and a consumer at v2 reads both (BACKWARD: the new
// reader fills the field v1 lacks from its default).
import {describe, expect, it} from "vitest";
import {createSimulation} from "../../src/components/sim/index.js";
import {createCluster} from "../../src/components/kafka/index.js";
import {SchemaRegistry, topicNameStrategy} from "../../src/components/schema/registry.js";
import {createAvroDeserializer, createAvroSerializer} from "../../src/components/schema/serde.js";

const v1 = {type: "record", name: "OrderPlaced", namespace: "shop.orders", fields: [{name: "orderId", type: "string"}, {name: "total", type: "double"}]};
const v2 = {...v1, fields: [...v1.fields, {name: "deliveryType", type: "string", default: "STANDARD"}]};

describe("Avro serde on the Kafka model", () => {
  it("a v2 consumer reads what v1 and v2 producers wrote to the topic", async () => {
    const sim = createSimulation({seed: 5});
    const cluster = createCluster(sim);
    cluster.createTopic("orders", {partitions: 2});
    const registry = new SchemaRegistry();
    const subject = topicNameStrategy("orders", "value");
    const writeV1 = createAvroSerializer(registry, {subject, schema: v1});
    const writeV2 = createAvroSerializer(registry, {subject, schema: v2});
    const read = createAvroDeserializer(registry, {readerSchema: v2});

    const producer = cluster.producer();
    const sent = producer.send([
      {topic: "orders", key: "order-1", value: writeV1({orderId: "order-1", total: 10})},
      {topic: "orders", key: "order-2", value: writeV2({orderId: "order-2", total: 20, deliveryType: "EXPRESS"})}
    ]);
    const received: unknown[] = [];
    const consumer = cluster.consumer({groupId: "billing", autoOffsetReset: "earliest"});
    consumer.subscribe("orders");
    consumer.run({eachMessage: (record) => void received.push(read(record.value))});
    await sim.runUntilIdle();
    await sent;

    expect(registry.versions(subject)).toHaveLength(2);
    expect(received).toHaveLength(2);
    expect(received).toEqual(expect.arrayContaining([
      {orderId: "order-1", total: 10, deliveryType: "STANDARD"},
      {orderId: "order-2", total: 20, deliveryType: "EXPRESS"}
    ]));
  });
});
