// 11.4's experiments, as the claims and the page run them: where keys land and what a new
// partition does to them, per-key order through a consumer group, keyless records in sticky
// batches, at-least-once redelivery after a consumer crash, the idempotent handler, producer
// retries with idempotence off and on, and transactions read at both isolation levels.
// Defaults, presets and claims: data/scenarios/ordering-and-idempotency.json.
// Each experiment has a `view`: what the page draws (rows, summary tables, the events of the topic
// its log view replays), which is all the lab's worker (worker.ts) sends back besides the metrics.
import {experiment} from "../../claims/claim.js";
import {runPlacement, type PlacementRun} from "./placement.js";
import {runAtLeastOnce, runKeyless, runKeyOrder, runProducerRetries, runTransactions, KEYLESS_TOPICS, STRATEGIES, type AtLeastOnceRun, type KeylessRun, type KeyOrderRun, type OffsetSample, type RetryRun, type TransactionsRun} from "./runs.js";
import {retryTable, summarizeBatches, summarizeIsolation} from "./summaries.js";
import {runHandler} from "./handler.js";
import type {PaymentEffects} from "./cell.js";
import {logView, stableOffsetSteps, widestOpenTransaction} from "../../ui/log-state.js";
import {comparisonMetrics} from "../../history/measures.js";
import type {ComparedRuns, CommitIntervalParameters} from "./compare.js";
import type {RetryParameters, TransactionsParameters} from "./runs.js";

const percent = (share: number) => Math.round(100 * share);

/** `f` computed once per run: several metrics and the view read the same summary. */
function perRun<R extends object, T>(f: (run: R) => T): (run: R) => T {
  const cache = new WeakMap<R, T>();
  return (run) => {
    if (!cache.has(run)) cache.set(run, f(run));
    return cache.get(run)!;
  };
}

/** The growth step from the current partition count to one more. */
const nextStep = (r: PlacementRun) => r.growth.find((g) => g.from === r.partitions)!;

export const placement = experiment({
  run: runPlacement,
  metrics: {
    distinctKeys: (r: PlacementRun) => r.placements.length,
    partitionsUsed: (r: PlacementRun) => new Set(r.placements.map((p) => p.partition)).size,
    /** Keys that differ from another key only by spaces around them, and land on another partition than it. */
    spacedTwinsApart: (r: PlacementRun) => {
      const where = new Map(r.placements.map((p) => [p.key, p.partition]));
      return r.placements.filter((p) => p.key !== p.key.trim() && where.has(p.key.trim()) && where.get(p.key.trim()) !== p.partition).length;
    },
    movedOnGrowth: (r: PlacementRun) => nextStep(r).moved,
    movedPercent: (r: PlacementRun) => percent(nextStep(r).share),
    /** What a uniform hash predicts for that step: N / (N + 1) of the keys move. */
    uniformPercent: (r: PlacementRun) => percent(r.partitions / (r.partitions + 1)),
    /** Mean distance, in percentage points, between the bars and the dashed line over every step. */
    meanGapFromUniform: (r: PlacementRun) => Math.round(r.growth.reduce((sum, g) => sum + Math.abs(100 * g.share - 100 * (g.from / g.to)), 0) / r.growth.length)
  },
  view: (r: PlacementRun) => r
});

/** Orders whose events went to more than one partition. */
const splitOrders = (r: KeyOrderRun) => {
  const partitions = new Map<string, Set<number>>();
  for (const a of r.appends) partitions.set(a.order, (partitions.get(a.order) ?? new Set()).add(a.partition));
  return [...partitions.values()].filter((p) => p.size > 1).length;
};

export const keyOrder = experiment({
  run: runKeyOrder,
  metrics: {
    events: (r: KeyOrderRun) => r.appends.length,
    processed: (r: KeyOrderRun) => r.deliveries.length,
    outOfOrder: (r: KeyOrderRun) => r.violations.length,
    splitOrders,
    idleConsumers: (r: KeyOrderRun) => r.consumers.filter((c) => r.assignment[c].length === 0).length
  },
  view: ({history, verdict, ...rows}: KeyOrderRun) => rows
});

const [sticky, roundRobin] = STRATEGIES;
const batchSummaries = perRun(summarizeBatches);
const batchSummary = (r: KeylessRun, strategy: string) => batchSummaries(r).find((s) => s.partitioner === strategy)!;

export const keyless = experiment({
  run: runKeyless,
  metrics: {
    stickyBatches: (r: KeylessRun) => batchSummary(r, sticky).batches,
    roundRobinBatches: (r: KeylessRun) => batchSummary(r, roundRobin).batches,
    stickyRecordsPerBatch: (r: KeylessRun) => batchSummary(r, sticky)["records per batch"],
    roundRobinRecordsPerBatch: (r: KeylessRun) => batchSummary(r, roundRobin)["records per batch"],
    stickyPartitionsUsed: (r: KeylessRun) => batchSummary(r, sticky)["partitions used"],
    roundRobinPartitionsUsed: (r: KeylessRun) => batchSummary(r, roundRobin)["partitions used"]
  },
  view: (r: KeylessRun) => ({partitions: r.partitions, records: r.records, batches: r.batches, summary: batchSummaries(r), topicLog: logView(r.trace, {topic: KEYLESS_TOPICS[0]})})
});

const redelivered = (r: AtLeastOnceRun) => r.deliveries.filter((d) => d.duplicate).map((d) => d.offset);

export const atLeastOnce = experiment({
  run: runAtLeastOnce,
  metrics: {
    /** The offset billing-a processed last before its crash (-1: none). */
    lastProcessedOffset: (r: AtLeastOnceRun) => r.positionAtCrash - 1,
    /** The committed offset at the crash: the next offset to read. */
    committedOffset: (r: AtLeastOnceRun) => r.committedAtCrash,
    /** Offsets processed but not committed at the crash: position - committed. */
    uncommitted: (r: AtLeastOnceRun) => Math.max(0, r.positionAtCrash - r.committedAtCrash),
    redelivered: (r: AtLeastOnceRun) => r.duplicates,
    /** The lowest and highest offsets delivered twice (-1: none). */
    firstRedelivered: (r: AtLeastOnceRun) => (redelivered(r).length ? Math.min(...redelivered(r)) : -1),
    lastRedelivered: (r: AtLeastOnceRun) => (redelivered(r).length ? Math.max(...redelivered(r)) : -1),
    /** Acknowledged events never delivered (the checker's lost): at-least-once loses none. */
    lost: (r: AtLeastOnceRun) => r.verdict.lost.length,
    takeoverAfterMs: (r: AtLeastOnceRun) => (r.takeoverAt !== null && r.crashAt !== null ? r.takeoverAt - r.crashAt : -1),
    /** billing-a's position at the crash: one past the last offset it processed. */
    positionAtCrash: (r: AtLeastOnceRun) => r.positionAtCrash,
    /** The first offset billing-b processed after the takeover (-1: none). */
    takeoverStartsAt: (r: AtLeastOnceRun) => r.deliveries.find((d) => d.consumer === "billing-b")?.offset ?? -1
  },
  view: ({history, verdict, trace, ...rows}: AtLeastOnceRun) => ({...rows, topicLog: logView(trace, {topic: "payments"})})
});

export const handler = experiment({
  run: runHandler,
  metrics: {
    deliveries: (r: PaymentEffects) => r.deliveries,
    events: (r: PaymentEffects) => r.events,
    rows: (r: PaymentEffects) => r.rows.reduce((n, row) => n + row.rows, 0),
    duplicateEffects: (r: PaymentEffects) => r.duplicateEffects,
    overcharged: (r: PaymentEffects) => r.overcharged
  },
  view: (r: PaymentEffects) => r
});

const side = (r: RetryRun, idempotent: boolean) => r.summary[idempotent ? 1 : 0];
/** Deliveries the checker found out of the key's send order, reading the partition after the run. */
const outOfSendOrder = (r: RetryRun, idempotent: boolean) => r.sides[idempotent ? 1 : 0].verdict.reordered.length;

export const retries = experiment({
  run: runProducerRetries,
  metrics: {
    lostAnswers: (r: RetryRun) => side(r, false)["lost answers"],
    retriesOff: (r: RetryRun) => side(r, false).retries,
    retriesOn: (r: RetryRun) => side(r, true).retries,
    duplicatesOff: (r: RetryRun) => side(r, false)["duplicate copies"],
    duplicatesOn: (r: RetryRun) => side(r, true)["duplicate copies"],
    outOfOrderOff: (r: RetryRun) => outOfSendOrder(r, false),
    outOfOrderOn: (r: RetryRun) => outOfSendOrder(r, true),
    recordsSent: (r: RetryRun) => side(r, true)["records sent"],
    recordsInLogOn: (r: RetryRun) => side(r, true)["records in the log"],
    failedSendsOn: (r: RetryRun) => side(r, true)["sends failed (delivery.timeout.ms)"]
  },
  view: (r: RetryRun) => ({log: r.log, summary: r.summary, table: retryTable(r)})
});

const isolationSummaries = perRun(summarizeIsolation);
const isolation = (r: TransactionsRun, level: "read_uncommitted" | "read_committed") => isolationSummaries(r).find((s) => s.consumer === level)!;
const lsoSteps = perRun((r: TransactionsRun) => stableOffsetSteps(r.trace, "payments"));

/** The longest stretch (ms) during which the last stable offset stayed below the high watermark. */
function longestLsoLag(r: TransactionsRun): number {
  let longest = 0;
  let since: number | null = null;
  for (const s of r.samples) {
    if (s.lastStableOffset < s.highWatermark) since ??= s.time;
    else since = null;
    if (since !== null) longest = Math.max(longest, s.time - since);
  }
  return longest;
}

/**
 * The samples where the high watermark or the last stable offset moved, and the last one: drawn
 * as steps, the same lines as every 10 ms sample, with a few dozen points instead of thousands.
 */
function offsetChanges(samples: OffsetSample[]): OffsetSample[] {
  return samples.filter((s, i) => i === 0 || i === samples.length - 1 || s.highWatermark !== samples[i - 1].highWatermark || s.lastStableOffset !== samples[i - 1].lastStableOffset);
}

/** The most a reader's position got past the last stable offset, over every step of the log (log-state.ts). */
const pastLso = (r: TransactionsRun, reader: string) => Math.max(...lsoSteps(r).map((s) => s.pastLso[reader] ?? -Infinity));

const abortsFor = (r: TransactionsRun, reason: string) => r.ends.filter((e) => e.outcome === "abort" && e.reason === reason);

export const transactions = experiment({
  run: runTransactions,
  metrics: {
    committedRead: (r: TransactionsRun) => isolation(r, "read_committed").read,
    committedReadAborted: (r: TransactionsRun) => isolation(r, "read_committed").aborted,
    committedMissed: (r: TransactionsRun) => isolation(r, "read_committed")["committed missed"],
    uncommittedRead: (r: TransactionsRun) => isolation(r, "read_uncommitted").read,
    uncommittedReadAborted: (r: TransactionsRun) => isolation(r, "read_uncommitted").aborted,
    aborted: (r: TransactionsRun) => r.ends.filter((e) => e.outcome === "abort").length,
    /** How much later read_committed read each committed record than read_uncommitted, at most (ms). */
    maxCommittedDelayMs: (r: TransactionsRun) => {
      const uncommitted = new Map(r.deliveries.filter((d) => d.isolation === "read_uncommitted").map((d) => [d.offset, d.time]));
      return Math.max(0, ...r.deliveries.filter((d) => d.isolation === "read_committed").map((d) => d.time - (uncommitted.get(d.offset) ?? d.time)));
    },
    longestLsoLagMs: longestLsoLag,
    /** The most offsets between the last stable offset and the high watermark. */
    maxLsoGap: (r: TransactionsRun) => Math.max(0, ...lsoSteps(r).map((s) => s.lsoGap)),
    committedPastLso: (r: TransactionsRun) => pastLso(r, "read_committed"),
    uncommittedPastLso: (r: TransactionsRun) => pastLso(r, "read_uncommitted"),
    timeoutAborts: (r: TransactionsRun) => abortsFor(r, "timeout").length,
    fencedAborts: (r: TransactionsRun) => abortsFor(r, "fenced").length,
    /** From the crash to the abort of the transaction it left open (-1: no such abort). */
    orphanAbortAfterMs: (r: TransactionsRun) => {
      const end = r.crashAt === null ? undefined : r.ends.find((e) => e.outcome === "abort" && e.time >= r.crashAt! && e.reason !== "abort");
      return end ? end.time - r.crashAt! : -1;
    }
  },
  view: (r: TransactionsRun) => {
    const {trace, readers, ...rows} = r;
    return {
      ...rows,
      samples: offsetChanges(r.samples),
      summary: isolationSummaries(r),
      topicLog: logView(trace, {topic: "payments"}),
      /** Where the log view opens: the moment the most records waited for a marker. */
      openAt: widestOpenTransaction(lsoSteps(r))
    };
  }
});

// --- Comparisons: the same seed with one setting changed (compare.ts, loaded when first run) ------

const compared = comparisonMetrics((r: ComparedRuns) => r.comparison);
/** The second run's operation where the runs first part. */
const partsAt = (r: ComparedRuns) => r.comparison.divergence?.b;

export const idempotenceCompare = experiment({
  run: (p: RetryParameters) => import("./compare.js").then((m) => m.runIdempotenceComparison(p)),
  metrics: {
    ...compared,
    /** Idempotence off first departs from on by appending a second copy, a retry's. */
    divergesAtRetryAppend: (r: ComparedRuns) => partsAt(r)?.type === "append" && (partsAt(r) as {attempt: number}).attempt > 0
  },
  view: (r: ComparedRuns) => r
});

export const isolationCompare = experiment({
  run: (p: TransactionsParameters) => import("./compare.js").then((m) => m.runIsolationComparison(p)),
  metrics: {
    ...compared,
    /** read_uncommitted first departs from read_committed by reading a record. */
    divergesAtRead: (r: ComparedRuns) => partsAt(r)?.type === "deliver"
  },
  view: (r: ComparedRuns) => r
});

export const commitIntervals = experiment({
  run: (p: CommitIntervalParameters) => import("./compare.js").then((m) => m.runCommitIntervals(p)),
  metrics: {
    ...compared,
    /** The intervals first part at an offset commit (whichever run makes it). */
    divergesAtCommit: (r: ComparedRuns) => r.comparison.divergence?.a?.type === "commit" || partsAt(r)?.type === "commit"
  },
  view: (r: ComparedRuns) => r
});

export const experiments = {placement, keyOrder, keyless, atLeastOnce, commitIntervals, handler, retries, idempotenceCompare, transactions, isolationCompare};

/** What the page draws of each run: the experiment's view, as the worker sends it. */
export type PlacementView = ReturnType<typeof placement.view>;
export type KeyOrderView = ReturnType<typeof keyOrder.view>;
export type KeylessView = ReturnType<typeof keyless.view>;
export type AtLeastOnceView = ReturnType<typeof atLeastOnce.view>;
export type RetryView = ReturnType<typeof retries.view>;
export type TransactionsView = ReturnType<typeof transactions.view>;
