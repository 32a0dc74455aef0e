import {describe, expect, it} from "vitest";
import {committedOffsets, createCluster, duplicateDeliveries, lag, logEndOffsets, orderViolations, throughput} from "../../src/components/kafka/index.js";
import {createSimulation} from "../../src/components/sim/index.js";

async function scenario(seed: number) {
  const sim = createSimulation({seed});
  const cluster = createCluster(sim, {brokers: 3});
  cluster.createTopic("orders", {partitions: 3, replicationFactor: 2});
  const producer = cluster.producer({lostAcks: 0.1, requestTimeoutMs: 100});
  const consumers = [0, 1].map(() => cluster.consumer({groupId: "g", autoOffsetReset: "earliest", autoCommitIntervalMs: 200}));
  for (const c of consumers) {
    c.subscribe("orders");
    c.run({eachMessage: () => undefined});
  }
  for (let t = 0; t < 20; t++) sim.schedule(t * 50, () => void producer.send({topic: "orders", key: `k${t % 4}`, value: {id: t}}));
  sim.schedule(300, () => consumers[0].crashAfter(2));
  await sim.runUntilIdle();
  return {sim, cluster};
}

describe("metrics from the trace", () => {
  it("the same seed and scenario give the same trace; another seed does not", async () => {
    const [a, b, c] = await Promise.all([scenario(7), scenario(7), scenario(8)]);
    expect(JSON.stringify(a.sim.trace.events)).toBe(JSON.stringify(b.sim.trace.events));
    expect(JSON.stringify(a.sim.trace.events)).not.toBe(JSON.stringify(c.sim.trace.events));
  });

  it("returns flat rows for Plot and arquero", async () => {
    const {sim, cluster} = await scenario(7);
    const events = sim.trace.events;
    const ends = logEndOffsets(events);
    const last = new Map(ends.map((r) => [r.partition, r.logEndOffset]));
    expect([...last].sort()).toEqual(cluster.offsets().map((o) => [o.partition, o.logEndOffset]));
    expect(committedOffsets(events).every((r) => r.group === "g" && Number.isInteger(r.offset))).toBe(true);
    const lags = lag(events, {bucketMs: 100});
    expect(lags.every((r) => r.time % 100 === 0 && r.lag >= 0)).toBe(true);
    expect(lags.filter((r) => r.time === lags.at(-1)!.time).every((r) => r.lag === 0)).toBe(true);
    const produced = throughput(events, {bucketMs: 500}).filter((r) => r.series === "produced");
    expect(produced.reduce((n, r) => n + r.records, 0)).toBe(sim.trace.filter("kafka.append").length);
    expect(duplicateDeliveries(events).every((r) => r.deliveries > 1)).toBe(true);
    expect(orderViolations(events)).toEqual([]); // keyed records keep per-key order, redeliveries aside
  });

  it("sees per-key order violations when a non-idempotent producer's retry overtakes", async () => {
    const sim = createSimulation({seed: 11});
    const cluster = createCluster(sim);
    cluster.createTopic("orders", {partitions: 1});
    const producer = cluster.producer({idempotent: false, lostRequests: 0.5, requestTimeoutMs: 50});
    for (let i = 0; i < 10; i++) void producer.send({topic: "orders", key: "k", value: i}).catch(() => undefined);
    const c = cluster.consumer({groupId: "g", autoOffsetReset: "earliest"});
    c.subscribe("orders");
    c.run({eachMessage: () => undefined});
    await sim.runUntilIdle();
    const rows = orderViolations(sim.trace.events);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]).toMatchObject({group: "g", key: "k"});
    expect(rows.every((r) => r.sendIndex < r.after)).toBe(true);
  });
});
