// 11.4's counterfactuals: the same seed run twice with one setting changed, aligned by compareRuns
// (history/compare.ts). Idempotence and isolation come from runs that already hold both sides; the
// commit interval runs the at-least-once experiment a second time with the other interval.
import {compareRuns, type Comparison} from "../../history/compare.js";
import type {Operation} from "../../history/history.js";
import type {TraceEvent} from "../../sim/index.js";
import {runAtLeastOnce, type AtLeastOnceParameters, type RetryRun, type TransactionsRun} from "./runs.js";

/** Two runs and their comparison; `traces` in the comparison's order, for the log view. */
export interface ComparedRuns {
  comparison: Comparison;
  traces: [TraceEvent[], TraceEvent[]];
}

/** Idempotence on against off: the same seed, the same lost answers. */
export function idempotenceComparison(r: RetryRun): ComparedRuns {
  const [off, on] = r.sides;
  return {comparison: compareRuns({label: on.idempotence, history: on.history}, {label: off.idempotence, history: off.history}), traces: [on.trace, off.trace]};
}

/** read_committed against read_uncommitted: two readers of one run, so the writes are the same. */
export function isolationComparison(r: TransactionsRun): ComparedRuns {
  const {read_committed: committed, read_uncommitted: uncommitted} = r.readers;
  return {comparison: compareRuns({label: "read_committed", history: committed.history}, {label: "read_uncommitted", history: uncommitted.history}), traces: [r.trace, r.trace]};
}

export interface CommitIntervalParameters extends AtLeastOnceParameters {
  /** The interval the page's one is compared with. */
  otherCommitIntervalMs: number;
}

/** The at-least-once run at otherCommitIntervalMs against the page's commitIntervalMs, same seed, same crash. */
export async function runCommitIntervals(p: CommitIntervalParameters): Promise<ComparedRuns> {
  const [a, b] = [await runAtLeastOnce({...p, commitIntervalMs: p.otherCommitIntervalMs}), await runAtLeastOnce(p)];
  const label = (ms: number) => `auto.commit.interval.ms=${ms}`;
  return {comparison: compareRuns({label: label(p.otherCommitIntervalMs), history: a.history}, {label: label(p.commitIntervalMs), history: b.history}), traces: [a.trace, b.trace]};
}

/** Whether the second run's operation at the divergence is of this type (an append, a commit, a delivery...). */
export const divergenceIs = (r: ComparedRuns, type: Operation["type"]) => r.comparison.divergence?.b?.type === type;
