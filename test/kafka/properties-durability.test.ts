// fast-check properties of writes (1,000 runs each): acks=all loses no acknowledged record under
// broker crashes and lost messages; the idempotent producer never writes a duplicate under retries.
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {scheduleFaults, type Fault} from "../../src/components/kafka/index.js";
import {duplicateWrites} from "../../src/components/tables/index.js";
import {setup} from "./helpers.js";

const RUNS = {numRuns: 1000};

const faultSchedule = fc.record({
  seed: fc.integer({min: 0, max: 1e6}),
  replicationFactor: fc.integer({min: 1, max: 3}),
  records: fc.integer({min: 1, max: 20}),
  lostAcks: fc.constantFrom(0, 0.1, 0.3),
  lostRequests: fc.constantFrom(0, 0.1),
  crashes: fc.array(fc.record({at: fc.integer({min: 0, max: 40}), broker: fc.integer({min: 0, max: 2}), forMs: fc.integer({min: 1, max: 300})}), {maxLength: 3})
});

function produceUnderFaults(s: typeof faultSchedule extends fc.Arbitrary<infer T> ? T : never, options: {idempotent: boolean}) {
  const {sim, cluster} = setup({partitions: 2, replicationFactor: s.replicationFactor}, {seed: s.seed, replicationMs: 3});
  const producer = cluster.producer({...options, lostAcks: s.lostAcks, lostRequests: s.lostRequests, requestTimeoutMs: 50, retryBackoffMs: 10, deliveryTimeoutMs: 100_000});
  const acked = new Set<number>();
  for (let i = 0; i < s.records; i++) {
    sim.schedule(i * 2, () => {
      producer.send({topic: "orders", key: `k${i % 3}`, value: i}).then(() => acked.add(i), () => undefined);
    });
  }
  scheduleFaults(sim, s.crashes.map((c): Fault => ({at: c.at, kind: "broker.crash", cluster, broker: c.broker, forMs: c.forMs})));
  return {sim, cluster, acked};
}

const logValues = (cluster: ReturnType<typeof setup>["cluster"]) => [0, 1].flatMap((p) => cluster.records("orders", p).map((r) => r.value as number));

describe("durability properties", () => {
  it("with acks=all, no acknowledged record is lost under any fault schedule", async () => {
    await fc.assert(
      fc.asyncProperty(faultSchedule, fc.boolean(), async (s, idempotent) => {
        const {sim, cluster, acked} = produceUnderFaults(s, {idempotent});
        await sim.runUntilIdle();
        const stored = new Set(logValues(cluster));
        expect(acked.size).toBeGreaterThan(0); // something was acknowledged, so something could have been lost
        for (const v of acked) expect(stored.has(v)).toBe(true);
      }),
      RUNS
    );
  });

  it("an idempotent producer never writes a duplicate under retries", async () => {
    await fc.assert(
      fc.asyncProperty(faultSchedule, async (s) => {
        const {sim, cluster, acked} = produceUnderFaults(s, {idempotent: true});
        await sim.runUntilIdle();
        const values = logValues(cluster);
        expect(acked.size).toBe(s.records); // every broker came back, so every send completed
        expect(values.sort((a, b) => a - b)).toEqual(Array.from({length: s.records}, (_, i) => i)); // each record once in the log
        expect(duplicateWrites(sim).numRows()).toBe(0);
      }),
      RUNS
    );
  });
});
