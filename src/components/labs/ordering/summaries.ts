// 11.4's summary tables, as queries on the runs' tables (tables/: arquero): the batches each
// partitioner sent, what each isolation level read, and the producer's retries with idempotence
// off and on (folded from the run's summaries). The lab's worker computes them (arquero never loads with the page) and the claims
// read the same rows.
import {aq, op, recordsAppended, recordsConsumed} from "../../tables/index.js";
import type {TraceEvent} from "../../sim/index.js";
import {ISOLATIONS, KEYLESS_TOPICS, STRATEGIES, type Isolation, type KeylessRun, type RetrySummary} from "./runs.js";

export interface BatchSummary {
  partitioner: string;
  batches: number;
  "records per batch": number;
  "partitions used": number;
}

/** Per partitioner: the batches its topic received, the records they carried on average, and the partitions they went to. */
export function summarizeBatches(run: Pick<KeylessRun, "records" | "trace">): BatchSummary[] {
  // One producer per topic, so a topic's batch numbers are its producer's batches.
  const byTopic = recordsAppended(run.trace)
    .groupby("topic")
    .rollup({batches: op.distinct("batch"), partitions: op.distinct("partition")})
    .objects() as {topic: string; batches: number; partitions: number}[];
  return STRATEGIES.map((partitioner, i) => {
    const {batches = 0, partitions = 0} = byTopic.find((t) => t.topic === KEYLESS_TOPICS[i]) ?? {};
    return {partitioner, batches, "records per batch": batches ? Math.round((10 * run.records) / batches) / 10 : 0, "partitions used": partitions};
  });
}

export interface IsolationSummary {
  consumer: Isolation;
  /** Records handed to the consumer. */
  read: number;
  /** Reads of records whose transaction aborted, or had not ended when the run did. */
  aborted: number;
  open: number;
  /** Records of committed transactions the consumer never read. */
  "committed missed": number;
}

const place = ["topic", "partition", "offset"];

/**
 * Each consumer's reads (its member id is its isolation level), joined with the records the log
 * holds and how their transaction ended; the history checker's verdict on each reader agrees
 * (test/labs/ordering/summaries.test.ts): its uncommitted reads, split by outcome, and its lost records.
 */
export function summarizeIsolation(run: {trace: readonly TraceEvent[]}): IsolationSummary[] {
  const appended = recordsAppended(run.trace).select(...place, "transaction");
  const reads = recordsConsumed(run.trace).select("member", ...place).join(appended, [place]);
  const counts = reads
    .groupby("member")
    .rollup({read: op.count(), aborted: (d: {transaction: string}) => op.sum(d.transaction === "aborted" ? 1 : 0), open: (d: {transaction: string}) => op.sum(d.transaction === "open" ? 1 : 0)})
    .objects() as {member: string; read: number; aborted: number; open: number}[];
  const committed = appended.filter((d: {transaction: string}) => d.transaction === "committed");
  return [...ISOLATIONS].reverse().map((consumer) => {
    const {read = 0, aborted = 0, open = 0} = counts.find((c) => c.member === consumer) ?? {};
    const missed = committed.antijoin(reads.params({consumer}).filter((d: {member: string}, $: {consumer: string}) => d.member === $.consumer), [place]).numRows();
    return {consumer, read, aborted, open, "committed missed": missed};
  });
}

/** The retry summaries as one row per measure and a column per setting (narrow screens keep every column). */
export function retryTable(run: {summary: RetrySummary[]}): Record<string, string | number>[] {
  return aq
    .from(run.summary)
    .fold(aq.not("idempotence"), {as: ["measure", "value"]})
    .groupby("measure")
    .pivot("idempotence", "value")
    .rename({"enable.idempotence=false": "idempotence off", "enable.idempotence=true": "idempotence on"})
    .objects() as Record<string, string | number>[];
}
