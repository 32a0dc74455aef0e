// 11.4's counterfactuals: the same seed run twice with one setting changed, aligned by compareRuns
// (history/compare.ts): idempotence off against on, read_uncommitted against read_committed, and
// the at-least-once crash at another commit interval. The page loads this module (and compareRuns)
// only when the reader comes to a comparison: index.ts imports it lazily.
import {compareRuns} from "../../history/compare.js";
import type {Comparison} from "../../history/measures.js";
import type {TraceEvent} from "../../sim/index.js";
import {runAtLeastOnce, runProducerRetries, runTransactions, type AtLeastOnceParameters, type RetryParameters, type TransactionsParameters} from "./runs.js";

/** Two runs and their comparison; `traces` in the comparison's order, for the log view. */
export interface ComparedRuns {
  comparison: Comparison;
  traces: [TraceEvent[], TraceEvent[]];
}

/** Idempotence on against off: the same seed, the same lost answers (the retries run holds both sides). */
export async function runIdempotenceComparison(p: RetryParameters): Promise<ComparedRuns> {
  const [off, on] = (await runProducerRetries(p)).sides;
  return {comparison: compareRuns({label: on.idempotence, history: on.history}, {label: off.idempotence, history: off.history}), traces: [on.trace, off.trace]};
}

/** read_committed against read_uncommitted: two readers of one run, so the writes are the same. */
export async function runIsolationComparison(p: TransactionsParameters): Promise<ComparedRuns> {
  const r = await runTransactions(p);
  const {read_committed: committed, read_uncommitted: uncommitted} = r.readers();
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
