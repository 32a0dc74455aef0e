// The workloads' summary comes from the checker's verdict. Differential: on any sequence of
// deliveries it gives the numbers the former ad-hoc counters gave (a redelivered message counts
// again; a duplicate is a delivery of a message delivered before; an order violation a delivery
// whose seq is not above the key's previous one), which test/real compares with real brokers.
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {checkHistory} from "../../../src/components/history/check.js";
import {messageId, type DeliverOp} from "../../../src/components/history/history.js";
import {messageAt, summarize} from "../../../src/components/labs/real-brokers/summary.js";
import {recordQueueExperiment, type AmqpConnection} from "../../../src/components/labs/real-brokers/rabbitmq.js";
import {recordLogExperiment, type KafkaClient} from "../../../src/components/labs/real-brokers/kafka.js";
import {advanceUntil, createSimulation} from "../../../src/components/sim/index.js";
import {createBroker} from "../../../src/components/rabbitmq/broker.js";
import {connect} from "../../../src/components/rabbitmq/amqplib.js";
import {Kafka} from "../../../src/components/kafka/kafkajs.js";

/** The counting rules as the summary's field comments state them, written out independently. */
function counted(deliveries: {key: string; seq: number; redelivered: boolean}[]) {
  const seen = new Set<string>();
  const last = new Map<string, number>();
  let duplicates = 0;
  let orderViolations = 0;
  for (const {key, seq} of deliveries) {
    if (seen.has(`${key}#${seq}`)) duplicates++;
    seen.add(`${key}#${seq}`);
    if (seq <= (last.get(key) ?? -1)) orderViolations++;
    last.set(key, seq);
  }
  return {deliveries: deliveries.length, duplicates, redelivered: deliveries.filter((d) => d.redelivered).length, orderViolations};
}

describe("summarize(checkHistory(history))", () => {
  it("counts what the summary's fields say, on any delivery sequence", () => {
    let withDuplicates = 0;
    fc.assert(
      fc.property(fc.array(fc.record({i: fc.nat(30), redelivered: fc.boolean()}), {maxLength: 60}), (picks) => {
        const deliveries = picks.map(({i, redelivered}) => ({...messageAt(i, 3), redelivered}));
        const history: DeliverOp[] = deliveries.map((d, time) => ({type: "deliver", consumer: "c", message: messageId(d.key, d.seq), ...d, time}));
        const summary = summarize(checkHistory(history), "b", 7);
        const expected = counted(deliveries);
        if (expected.duplicates > 0) withDuplicates++;
        expect(summary).toEqual({broker: "b", lag: 7, ...expected});
      })
    );
    expect(withDuplicates).toBeGreaterThan(10);
  });
});

describe("the workloads record their history", () => {
  it("RabbitMQ: publishes confirmed, the crasher's handled messages redelivered after its crash", async () => {
    const sim = createSimulation({seed: 1});
    const connection = await connect("amqp://simulated", {broker: createBroker(sim)});
    const p = {messages: 20, keys: 2, crasherPrefetch: 5, handledBeforeCrash: 3, workerPrefetch: 4};
    const run = await recordQueueExperiment(connection as unknown as AmqpConnection, p, {broker: "simulation", waitUntil: (done, what) => advanceUntil(sim, done, {what}), queue: "q", clock: () => sim.now});
    expect(run.history.filter((op) => op.type === "produce" && op.phase === "ok")).toHaveLength(20);
    expect(run.history.filter((op) => op.type === "ack")).toHaveLength(20);
    expect(run.verdict.lost).toEqual([]);
    expect(run.verdict.duplicated.map((d) => [d.message, d.causes.map((c) => c.kind)])).toEqual([
      ["order-0#0", ["crash"]],
      ["order-1#0", ["crash"]],
      ["order-0#1", ["crash"]]
    ]);
    expect(run.summary).toMatchObject({deliveries: 23, duplicates: 3, redelivered: 5});
  });

  it("Kafka: every record read with its partition and offset, the re-reads after the crash explained by it", async () => {
    const sim = createSimulation({seed: 1});
    const kafka = new Kafka({clientId: "t", sim});
    const p = {partitions: 2, messages: 30, keys: 3, handledBeforeCrash: 4};
    const run = await recordLogExperiment(kafka as unknown as KafkaClient, p, {broker: "simulation", waitUntil: (done, what) => advanceUntil(sim, done, {what, limitMs: 3_600_000}), topic: "t", clock: () => sim.now});
    const deliveries = run.history.filter((op) => op.type === "deliver");
    expect(deliveries.every((d) => d.partition !== undefined && d.offset !== undefined)).toBe(true);
    expect(run.history.filter((op) => op.type === "commit").length).toBe(30);
    expect(run.verdict.duplicated).toHaveLength(4);
    expect(run.verdict.duplicated.every((d) => d.causes[0].kind === "crash")).toBe(true);
    expect(run.summary).toMatchObject({deliveries: 34, duplicates: 4, redelivered: 4, lag: 0});
  });
});
