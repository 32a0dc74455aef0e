import {describe, expect, it} from "vitest";
import fc from "fast-check";
import {createSimulation, type TraceEvent} from "../../src/components/sim/index.js";
import {createCluster} from "../../src/components/kafka/cluster.js";
import {experiments} from "../../src/components/labs/ordering/index.js";
import {isLogViewRequest, logView, replay, stateAt, topicEvents} from "../../src/components/ui/log-state.js";
import lab from "../../data/scenarios/ordering-and-idempotency.json" with {type: "json"};

const parameters = (name: "atLeastOnce" | "transactions") => lab.experiments[name].parameters as never;

describe("the log's state replayed from a trace", () => {
  it("at the crash: billing-a's position is ahead of the group's committed offset, as the lab measured", async () => {
    const run = (await experiments.atLeastOnce.run(parameters("atLeastOnce"))) as {trace: TraceEvent[]; crashAt: number; committedAtCrash: number; positionAtCrash: number};
    const state = stateAt(run.trace, "payments", run.crashAt - 0.001);
    const billing = state.partitions[0].groups.billing;
    expect(billing.committed).toBe(run.committedAtCrash);
    expect(billing.members.map((m) => m.position)).toEqual([run.positionAtCrash]);
    expect(run.positionAtCrash).toBeGreaterThan(run.committedAtCrash);
    // The crashed member has no position; the lag still counts from the committed offset.
    const after = stateAt(run.trace, "payments", run.crashAt);
    expect(after.partitions[0].groups.billing.members).toEqual([]);
    expect(after.partitions[0].groups.billing.lag).toBe(after.partitions[0].highWatermark - run.committedAtCrash);
  });

  it("holds the last stable offset at an open transaction's first record while the high watermark moves on", async () => {
    const run = (await experiments.transactions.run(parameters("transactions"))) as {trace: TraceEvent[]};
    const events = topicEvents(run.trace, "payments");
    let open = 0;
    for (let n = 1; n <= events.length; n++) {
      const p = replay(events, "payments", n).partitions[0];
      const first = p.records.find((r) => r.open);
      expect(p.lastStableOffset).toBe(first ? first.offset : p.highWatermark);
      if (first) open++;
      // read_committed never reads past the LSO.
      for (const m of p.groups.read_committed?.members ?? []) expect(m.position).toBeLessThanOrEqual(p.lastStableOffset + 1);
    }
    expect(open).toBeGreaterThan(0);
    const final = replay(events, "payments").partitions[0];
    expect(final.records.some((r) => r.aborted)).toBe(true);
    expect(final.records.filter((r) => r.type === "abort").length).toBeGreaterThan(0);
    expect(final.lastStableOffset).toBe(final.highWatermark);
  });

  it("shows retention deleting records below the log start offset and compaction removing superseded keys", async () => {
    const sim = createSimulation({seed: 7});
    const cluster = createCluster(sim, {brokers: 1, cleanupIntervalMs: 500});
    cluster.createTopic("kept", {partitions: 1, config: {segmentBytes: 300, retentionMs: 1000}});
    cluster.createTopic("latest", {partitions: 1, config: {segmentBytes: 300, cleanupPolicy: "compact"}});
    const producer = cluster.producer({clientId: "p"});
    for (let i = 0; i < 40; i++) sim.schedule(i * 100, () => void producer.send([{topic: "kept", key: `k${i % 3}`, value: `v${i}`}, {topic: "latest", key: `k${i % 3}`, value: `v${i}`}]));
    await sim.advance(6000);
    const kept = replay(topicEvents(sim.trace.events, "kept"), "kept").partitions[0];
    expect(kept.logStartOffset).toBeGreaterThan(0);
    for (const r of kept.records) expect(r.removed === "deleted").toBe(r.offset < kept.logStartOffset);
    const latest = replay(topicEvents(sim.trace.events, "latest"), "latest").partitions[0];
    const compacted = latest.records.filter((r) => r.removed === "compacted");
    expect(compacted.length).toBe(sim.trace.filter("kafka.compact").reduce((n, e) => n + e.removed, 0));
    expect(compacted.length).toBeGreaterThan(0);
    // Every compacted record has a later record of the same key still in the log.
    for (const r of compacted) expect(latest.records.some((s) => s.key === r.key && s.offset > r.offset && !s.removed)).toBe(true);
  });

  it("state at time t equals replaying the events up to t; stepping forward then back returns the same state", async () => {
    const run = (await experiments.atLeastOnce.run(parameters("atLeastOnce"))) as {trace: TraceEvent[]; endTime: number};
    const events = topicEvents(run.trace, "payments");
    fc.assert(
      fc.property(fc.integer({min: 0, max: run.endTime}), (t) => {
        const upTo = run.trace.filter((e) => e.time <= t);
        expect(stateAt(run.trace, "payments", t).partitions).toEqual(replay(topicEvents(upTo, "payments"), "payments").partitions);
      }),
      {numRuns: 60}
    );
    fc.assert(
      fc.property(fc.integer({min: 0, max: events.length - 1}), (n) => {
        const before = replay(events, "payments", n);
        replay(events, "payments", n + 1);
        expect(replay(events, "payments", n)).toEqual(before);
        for (const p of before.partitions) {
          expect(p.logStartOffset).toBeLessThanOrEqual(p.lastStableOffset);
          expect(p.lastStableOffset).toBeLessThanOrEqual(p.highWatermark);
          for (const g of Object.values(p.groups)) expect(g.lag).toBeGreaterThanOrEqual(0);
        }
      }),
      {numRuns: 60}
    );
  });

  it("logView(trace) packs the busiest topic's events for the page, and says so when nothing was appended", async () => {
    const run = (await experiments.transactions.run(parameters("transactions"))) as {trace: TraceEvent[]};
    const request = logView({events: run.trace});
    expect(isLogViewRequest(request)).toBe(true);
    expect(request.topic).toBe("payments");
    expect(request.events.length).toBeGreaterThan(10);
    expect(structuredClone(request)).toEqual(request);
    expect(() => logView([])).toThrow(/no kafka.append/);
  });
});
