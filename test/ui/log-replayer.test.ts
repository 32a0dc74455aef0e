// stableOffsetSteps reads one replayer after every event; it must equal replaying every prefix
// from scratch (what it did before), step for step, on transactions that commit, abort, crash and fence.
import {describe, expect, it} from "vitest";
import {experiments} from "../../src/components/labs/ordering/index.js";
import {emptyPartition, replay, stableOffsetSteps, topicEvents} from "../../src/components/ui/log-state.js";
import type {TraceEvent} from "../../src/components/sim/trace.js";
import lab from "../../data/scenarios/ordering-and-idempotency.json" with {type: "json"};

const prefixSteps = (events: readonly TraceEvent[], topic: string) => {
  const mine = topicEvents(events, topic);
  return mine.map((e, i) => {
    const p = replay(mine, topic, i + 1).partitions[0] ?? emptyPartition(0);
    const pastLso: Record<string, number> = {};
    for (const g of Object.values(p.groups)) for (const m of g.members) pastLso[m.member] = m.position - p.lastStableOffset;
    return {time: e.time, lsoGap: p.highWatermark - p.lastStableOffset, pastLso};
  });
};

describe("stableOffsetSteps", () => {
  const defaults = lab.experiments.transactions.parameters;
  for (const set of [{}, {abortShare: 0.6, recordsPerTransaction: 6}, {crash: true, restart: false}, {crash: true, crashAtMs: 2600}, {transactions: 12, seed: 5, abortShare: 0.5, crash: true, crashAtMs: 4000}]) {
    it(`equals replaying every prefix: ${JSON.stringify(set)}`, async () => {
      const run = (await experiments.transactions.run({...defaults, ...set})) as {trace: TraceEvent[]};
      const expected = prefixSteps(run.trace, "payments");
      expect(expected.length).toBeGreaterThan(10);
      expect(stableOffsetSteps(run.trace, "payments")).toEqual(expected);
    });
  }
});
