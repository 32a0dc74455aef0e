// fast-check properties of share groups (KIP-932): whatever members do with their records
// (accept, release, reject, hold past the lock, crash), checked on the trace of the run.
// fast-check prints the failing case's seed and path; the model's own seed is in the case.
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {sleep, type ShareConsumer} from "../../src/components/kafka/share-consumer.js";
import {advanceUntilSettled, createRandom} from "../../src/components/sim/index.js";
import {setup} from "./helpers.js";

type Action = "ACCEPT" | "RELEASE" | "REJECT" | "hold" | "crash";

const scenario = fc.record({
  seed: fc.integer({min: 0, max: 1e6}),
  records: fc.integer({min: 1, max: 25}),
  partitions: fc.integer({min: 1, max: 2}),
  members: fc.integer({min: 1, max: 3}),
  deliveryCountLimit: fc.integer({min: 2, max: 5}),
  recordLockDurationMs: fc.integer({min: 40, max: 200}),
  maxPollRecords: fc.integer({min: 1, max: 5}),
  actions: fc.array(fc.constantFrom<Action>("ACCEPT", "ACCEPT", "RELEASE", "REJECT", "hold", "crash"), {minLength: 1, maxLength: 12})
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

async function runScenario(s: Scenario) {
  const {sim, cluster} = setup({partitions: s.partitions}, {seed: s.seed});
  cluster.shareGroups.configure("g", {autoOffsetReset: "earliest", deliveryCountLimit: s.deliveryCountLimit, recordLockDurationMs: s.recordLockDurationMs});
  await advanceUntilSettled(sim, cluster.producer().send(Array.from({length: s.records}, (_, i) => ({topic: "orders", key: `k${i % 4}`, value: i}))));
  const random = createRandom(`${s.seed}/share-properties`);
  const members: ShareConsumer[] = [];
  let done = false;
  // A member works through its polls: each record takes 1-20 ms, then the scripted action.
  const work = async (c: ShareConsumer, script: (i: number) => Action) => {
    let i = 0;
    while (c.state === "subscribed" && !done) {
      for (const r of await c.poll(100)) {
        if (c.state !== "subscribed") return;
        await sleep(sim, 1 + Math.floor(random.next() * 20));
        const action = script(i++);
        if (action === "crash") return c.crash();
        if (action === "hold") await sleep(sim, s.recordLockDurationMs + 10); // the lock expires; the late ACCEPT is refused
        if (c.state !== "subscribed") return;
        c.acknowledge(r, action === "hold" ? "ACCEPT" : action);
      }
    }
  };
  for (let m = 0; m < s.members; m++) {
    const c = cluster.shareConsumer({groupId: "g", acknowledgementMode: "explicit", maxPollRecords: s.maxPollRecords});
    c.subscribe("orders");
    members.push(c);
    void work(c, (i) => s.actions[(i + m) % s.actions.length]);
  }
  // A member that joins later and accepts everything: the run must end with every record settled.
  sim.schedule(500, () => {
    const finisher = cluster.shareConsumer({groupId: "g", acknowledgementMode: "explicit", maxPollRecords: s.maxPollRecords});
    finisher.subscribe("orders");
    void work(finisher, () => "ACCEPT");
  });
  const settled = () => Array.from({length: s.partitions}, (_, p) => cluster.shareGroups.sharePartition("g", "orders", p)).every((sp) => sp.startOffset === cluster.partition("orders", sp.partition).logEndOffset);
  while (sim.now < 60_000 && !(sim.now > 500 && settled())) await sim.advance(50);
  done = true;
  return {sim, cluster, settled: settled()};
}

describe("share group properties", () => {
  it("no record is held by two members at once; counts rise by one per delivery; nothing past the limit; every record ends accepted, rejected or archived", async () => {
    let checkedAcquisitions = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const {sim, settled} = await runScenario(s);
        const events = sim.trace.events.filter((e) => e.kind.startsWith("kafka.share."));
        const acquires = events.filter((e) => e.kind === "kafka.share.acquire");
        expect(acquires.length).toBeGreaterThanOrEqual(s.records); // non-empty: every record was delivered at least once
        checkedAcquisitions += acquires.length;
        const holder = new Map<string, string | null>();
        const count = new Map<string, number>();
        const final = new Map<string, string>();
        for (const e of events) {
          if (!("offset" in e)) continue;
          const id = `${e.partition}/${e.offset}`;
          switch (e.kind) {
            case "kafka.share.acquire":
              expect(holder.get(id) ?? null, `offset ${id} acquired by ${e.member} while held`).toBeNull();
              expect(final.get(id), `offset ${id} acquired after it was settled`).toBeUndefined();
              expect(e.deliveryCount).toBe((count.get(id) ?? 0) + 1);
              expect(e.deliveryCount).toBeLessThanOrEqual(s.deliveryCountLimit);
              holder.set(id, e.member);
              count.set(id, e.deliveryCount);
              break;
            case "kafka.share.acknowledge":
              expect(holder.get(id)).toBe(e.member);
              holder.set(id, null);
              if (e.type === "ACCEPT") final.set(id, "ACCEPT");
              break;
            case "kafka.share.lock-expired":
            case "kafka.share.release":
              expect(holder.get(id)).toBe(e.member);
              holder.set(id, null);
              break;
            case "kafka.share.archive":
              expect(holder.get(id) ?? null).toBeNull();
              final.set(id, e.reason);
              break;
          }
        }
        // A released or expired record below the limit was delivered again, with a higher count.
        for (const e of events) {
          if ((e.kind === "kafka.share.lock-expired" || e.kind === "kafka.share.release" || (e.kind === "kafka.share.acknowledge" && e.type === "RELEASE")) && e.deliveryCount < s.deliveryCountLimit) {
            expect(acquires.some((a) => a.partition === e.partition && a.offset === e.offset && a.deliveryCount > e.deliveryCount && a.time >= e.time)).toBe(true);
          }
        }
        expect(settled).toBe(true);
        expect(final.size).toBe(s.records);
      }),
      {numRuns: 150}
    );
    expect(checkedAcquisitions).toBeGreaterThan(0);
  });
});
