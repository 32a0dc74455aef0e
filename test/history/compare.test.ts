// compareRuns on runs of the Kafka model that differ in one setting: a producer whose answers get
// lost retries; without idempotence the retry appends a second copy, which a consumer then reads.
import {describe, expect, it} from "vitest";
import {compareRuns, firstDivergence} from "../../src/components/history/compare.js";
import {messageId, type History, type Operation} from "../../src/components/history/history.js";
import {createCluster} from "../../src/components/kafka/cluster.js";
import {recordQueueExperiment, type AmqpConnection} from "../../src/components/labs/real-brokers/rabbitmq.js";
import {connect} from "../../src/components/rabbitmq/amqplib.js";
import {createBroker} from "../../src/components/rabbitmq/broker.js";
import {advanceUntil, createSimulation} from "../../src/components/sim/index.js";

/** Sends `records` keyed records with lost answers, then one consumer reads the partition: the history from the trace. */
async function retryRun({idempotent, seed = 4, records = 20, lostAcks = 0.3}: {idempotent: boolean; seed?: number; records?: number; lostAcks?: number}): Promise<History> {
  const sim = createSimulation({seed});
  const cluster = createCluster(sim, {brokers: 1, cleanupIntervalMs: 86_400_000});
  cluster.createTopic("payments", {partitions: 1});
  const producer = cluster.producer({clientId: "payment-service", idempotent, lostAcks, requestTimeoutMs: 200, deliveryTimeoutMs: 5_000, retryBackoffMs: 50});
  const history: Operation[] = [];
  const key = "order-1042";
  for (let seq = 0; seq < records; seq++) {
    const m = {key, seq, message: messageId(key, seq)};
    sim.schedule(10 + seq * 20, () => {
      history.push({type: "produce", phase: "invoke", producer: "payment-service", ...m, time: sim.now});
      producer.send({topic: "payments", key, value: {seq}}).then(
        () => history.push({type: "produce", phase: "ok", producer: "payment-service", ...m, time: sim.now}),
        () => history.push({type: "produce", phase: "fail", producer: "payment-service", ...m, time: sim.now})
      );
    });
  }
  await sim.runUntilIdle();
  const consumer = cluster.consumer({groupId: "ledger", clientId: "ledger-1", autoOffsetReset: "earliest"});
  consumer.subscribe("payments");
  consumer.run({eachMessage: () => {}});
  await sim.advance(30_000);
  const seqOf = (value: unknown) => (value as {seq: number}).seq;
  for (const e of sim.trace.filter("kafka.append")) history.push({type: "append", producer: e.producer, key, seq: seqOf(e.value), message: messageId(key, seqOf(e.value)), partition: e.partition, offset: e.offset, attempt: e.attempt, time: e.time});
  for (const e of sim.trace.filter("kafka.consume")) history.push({type: "deliver", consumer: "ledger-1", key, seq: seqOf(e.value), message: messageId(key, seqOf(e.value)), redelivered: false, partition: e.partition, offset: e.offset, time: e.time});
  return history;
}

describe("compareRuns", () => {
  it("finds where idempotence changes the run, and the duplicates it causes downstream", async () => {
    const on = {label: "enable.idempotence=true", history: await retryRun({idempotent: true})};
    const off = {label: "enable.idempotence=false", history: await retryRun({idempotent: false})};
    const comparison = compareRuns(on, off);
    // The guard: the runs really differ, and the idempotent one is clean.
    expect(comparison.verdicts.a.valid).toBe(true);
    const dup = comparison.consequences.find((c) => c.anomaly === "duplicated")!;
    expect(dup.a).toBe(0);
    expect(dup.b).toBeGreaterThan(0);
    expect(dup.onlyB.length).toBeGreaterThan(0);
    // Every duplicate of the run without idempotence is a producer retry's second append.
    for (const d of comparison.verdicts.b.duplicated) expect(new Set(d.causes.map((c) => c.kind))).toEqual(new Set(["producer-retry"]));
    // The first divergence is the first retry that writes again: an append of a message appended before.
    const div = comparison.divergence!;
    expect(div.b).toMatchObject({type: "append"});
    expect(div.b!.type === "append" && div.b!.attempt).toBeGreaterThan(0);
    const retried = div.b!.type === "append" ? div.b!.message : "";
    expect(off.history.filter((op) => op.type === "append" && op.message === retried)).toHaveLength(2);
    expect(comparison.text).toMatch(new RegExp(`^with enable\\.idempotence=false, the retry at t = \\d+\\.\\d\\d s appends ${retried} at offset \\d+ a second time: ${dup.b} duplicates? downstream`));
  });

  it("prefetch: a crasher that held more messages has more redelivered, and the same anomalies", async () => {
    const run = async (crasherPrefetch: number) => {
      const sim = createSimulation({seed: 1});
      const connection = await connect("amqp://simulated", {broker: createBroker(sim)});
      const p = {messages: 30, keys: 3, crasherPrefetch, handledBeforeCrash: 2, workerPrefetch: 5};
      const waitUntil = (done: () => boolean, what: string) => advanceUntil(sim, done, {what});
      return {label: `prefetch ${crasherPrefetch}`, ...(await recordQueueExperiment(connection as unknown as AmqpConnection, p, {broker: "simulation", waitUntil, queue: "q", clock: () => sim.now}))};
    };
    const [small, large] = [await run(2), await run(8)];
    expect(large.verdict.redeliveries).toBeGreaterThan(small.verdict.redeliveries);
    const comparison = compareRuns(small, large);
    // The runs part where the worker gets a message the crasher held without handling it: flagged redelivered.
    expect(comparison.divergence?.b).toMatchObject({type: "deliver", consumer: "worker", redelivered: true});
    expect(comparison.divergence?.a).toMatchObject({type: "deliver", consumer: "worker", redelivered: false});
    expect(comparison.consequences).toEqual([]);
    expect(comparison.text).toMatch(/^with prefetch 8, worker gets order-\d#\d \(redelivered\) at t = [\d.]+ s: the checker's verdicts are the same$/);
  });

  it("reports no divergence and no consequence for the same run twice", async () => {
    const a = await retryRun({idempotent: false});
    const comparison = compareRuns({label: "a", history: a}, {label: "b", history: await retryRun({idempotent: false})});
    expect(a.length).toBeGreaterThan(40);
    expect(comparison.divergence).toBeNull();
    expect(comparison.consequences).toEqual([]);
    expect(comparison.text).toBe("a and b do the same thing, operation for operation: the checker's verdicts are the same");
  });

  it("aligns by what happened, not when, and notices a run that stops early", () => {
    const d = (seq: number, time: number): Operation => ({type: "deliver", consumer: "c", key: "k", seq, message: messageId("k", seq), redelivered: false, time});
    expect(firstDivergence([d(0, 1), d(1, 2)], [d(0, 10), d(1, 20)])).toBeNull();
    expect(firstDivergence([d(0, 1), d(1, 2)], [d(0, 1)])).toMatchObject({index: 1, b: undefined, text: "the run ends where the other goes on (c gets k#1 at t = 0.00 s)"});
    expect(compareRuns({label: "x", history: [d(0, 1), d(1, 2)]}, {label: "y", history: [d(1, 1), d(0, 2)]}).consequences).toEqual([
      {anomaly: "reordered", a: 0, b: 1, onlyA: [], onlyB: ["k#0"], text: "1 delivery out of key order downstream with y, 0 with x"}
    ]);
  });
});
