// fast-check properties of delivery (1,000 runs each): offset order per consumer, and at-least-once
// with exactly-once effects for a consumer that upserts by event id. Both are checked against the
// trace and the log (the records actually in the partitions), never against what the test wrote.
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {ASSIGNORS, scheduleFaults, type AssignorName, type Consumer, type Fault} from "../../src/components/kafka/index.js";
import {setup} from "./helpers.js";

const RUNS = {numRuns: 1000};

const scenario = fc.record({
  seed: fc.integer({min: 0, max: 1e6}),
  partitions: fc.integer({min: 1, max: 3}),
  members: fc.integer({min: 1, max: 3}),
  records: fc.integer({min: 1, max: 20}),
  assignor: fc.constantFrom<AssignorName>(...ASSIGNORS),
  autoCommit: fc.boolean(),
  /** Per member except the last: crash after this many records (0 = never). */
  crashAfter: fc.array(fc.integer({min: 0, max: 8}), {minLength: 2, maxLength: 2}),
  pauseAt: fc.option(fc.integer({min: 0, max: 50}), {nil: undefined}),
  lostAcks: fc.constantFrom(0, 0.2)
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function run(s: Scenario) {
  const {sim, cluster} = setup({partitions: s.partitions}, {seed: s.seed});
  const producer = cluster.producer({lostAcks: s.lostAcks, requestTimeoutMs: 200});
  for (let i = 0; i < s.records; i++) void producer.send({topic: "orders", key: `k${i % 5}`, value: {id: i}});
  const processed: number[] = [];
  /** The consumer's effects: event id -> the record (partition, offset) it was last applied from. */
  const store = new Map<number, {partition: number; offset: number}>();
  const consumers: Consumer[] = [];
  const faults: Fault[] = [];
  for (let m = 0; m < s.members; m++) {
    const c = cluster.consumer({groupId: "g", assignor: s.assignor, autoCommit: s.autoCommit, autoCommitIntervalMs: 20, autoOffsetReset: "earliest", sessionTimeoutMs: 100, maxPollRecords: 4});
    c.subscribe("orders");
    let sinceCommit = 0;
    c.run({
      eachMessage: (r) => {
        const {id} = r.value as {id: number};
        processed.push(id);
        store.set(id, {partition: r.partition, offset: r.offset}); // upsert by event id
        if (!s.autoCommit && ++sinceCommit % 3 === 0) {
          try {
            c.commit();
          } catch {
            // a commit from a stale generation fails (CommitFailedException): the records are redone
          }
        }
      }
    });
    consumers.push(c);
    const crash = s.crashAfter[m] ?? 0;
    if (m < s.members - 1 && crash > 0) faults.push({at: 0, kind: "consumer.crash", consumer: c, afterRecords: crash});
  }
  if (s.pauseAt !== undefined) faults.push({at: s.pauseAt, kind: "consumer.pause", consumer: consumers[s.members - 1], forMs: 30});
  scheduleFaults(sim, faults);
  return {sim, cluster, processed, store};
}

describe("delivery properties", () => {
  it("every consumer sees each partition's records in offset order", async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const {sim} = run(s);
        await sim.runUntilIdle();
        const last = new Map<string, number>();
        let consumed = 0;
        for (const e of sim.trace.events) {
          if (e.kind === "kafka.consumer.revoke") for (const p of e.partitions as string[]) last.delete(`${e.member}/${p}`);
          if (e.kind !== "kafka.consume") continue;
          consumed++;
          const k = `${e.member}/${e.topic}-${e.partition}`;
          if (last.has(k)) compared++;
          expect(e.offset as number).toBeGreaterThan(last.get(k) ?? -1);
          last.set(k, e.offset as number);
        }
        expect(consumed).toBeGreaterThanOrEqual(s.records); // at least once each: the order was checked on real deliveries
      }),
      RUNS
    );
    expect(compared).toBeGreaterThan(RUNS.numRuns); // many deliveries followed another on the same partition
  });

  it("at-least-once with crashes: every record is processed, and upserting by event id gives exactly-once effects", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const {sim, cluster, processed, store} = run(s);
        await sim.runUntilIdle();
        // The log: every event once (the producer is idempotent), wherever its key put it.
        const log = Array.from({length: s.partitions}, (_, partition) => cluster.records("orders", partition).map((r) => ({partition, offset: r.offset, id: (r.value as {id: number}).id}))).flat();
        const ids = log.map((r) => r.id).sort((a, b) => a - b);
        expect(ids).toEqual(Array.from({length: s.records}, (_, i) => i));
        expect(new Set(processed)).toEqual(new Set(ids)); // at least once
        expect(processed.length).toBeGreaterThanOrEqual(log.length);
        // Exactly-once effects: one effect per event, and it is the log's record of that event.
        expect(store).toEqual(new Map(log.map((r) => [r.id, {partition: r.partition, offset: r.offset}])));
      }),
      RUNS
    );
  });
});
