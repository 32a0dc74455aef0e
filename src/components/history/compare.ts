// Counterfactual comparison: two runs of the same seed that differ in one setting, aligned event
// by event. The runs agree until the first operation that differs (what happened, to which
// message, where; times are not compared, so a run on a real broker aligns with the simulation's);
// from there, the consequences are the differences between the checker's verdicts on each.
import {checkHistory, type DuplicateCause, type Verdict} from "./check.js";
import {anomalyCount, type Anomaly, type Comparison, type Consequence, type Divergence} from "./measures.js";

export type {Anomaly, Comparison, Consequence, Divergence} from "./measures.js";
import type {History, Operation} from "./history.js";

export interface Run {
  /** The setting that tells the run apart ("enable.idempotence=false"). */
  label: string;
  history: History;
}

/** True for what compareRuns returns, also once it has crossed from a code cell's worker as plain data. */
export function isComparison(value: unknown): value is Comparison {
  const c = value as Partial<Comparison> | null;
  return typeof c === "object" && c !== null && Array.isArray(c.labels) && c.labels.length === 2 && typeof c.text === "string" && Array.isArray(c.histories?.a) && Array.isArray(c.histories?.b) && typeof c.verdicts?.a === "object" && typeof c.verdicts?.b === "object";
}

const inTimeOrder = (history: History): Operation[] => history.map((op, i) => ({op, i})).sort((x, y) => x.op.time - y.op.time || x.i - y.i).map(({op}) => op);

/** Everything but the time, with keys in a fixed order. */
function signature(op: Operation): string {
  const {time: _, ...rest} = op;
  return JSON.stringify(Object.fromEntries(Object.entries(rest).sort(([x], [y]) => (x < y ? -1 : 1))));
}

export const seconds = (ms: number): string => `t = ${(ms / 1000).toFixed(2)} s`;

/** One operation in words; `before` (the run's earlier operations) tells a second append from a first. */
export function describeOperation(op: Operation, before: readonly Operation[] = []): string {
  const at = seconds(op.time);
  switch (op.type) {
    case "produce":
      return {invoke: `${op.producer} sends ${op.message} at ${at}`, ok: `${op.message} is acknowledged to ${op.producer} at ${at}`, fail: `${op.producer}'s send of ${op.message} fails at ${at}`, info: `${op.producer} never learns whether ${op.message} was written (${at})`}[op.phase];
    case "append": {
      const again = before.some((o) => o.type === "append" && o.message === op.message);
      return `${op.attempt > 0 ? `the retry at ${at}` : `at ${at} the producer`} appends ${op.message} at offset ${op.offset}${again ? " a second time" : ""}`;
    }
    case "deliver":
      return `${op.consumer} gets ${op.message}${op.offset === undefined ? "" : ` from offset ${op.offset} of partition ${op.partition}`}${op.redelivered ? " (redelivered)" : ""} at ${at}`;
    case "ack":
      return `${op.consumer} acknowledges ${op.message} at ${at}`;
    case "commit":
      return `${op.consumer} commits offset ${op.offset} of partition ${op.partition} at ${at}`;
    case "crash":
      return `${op.process} crashes at ${at}`;
    case "rebalance":
      return `${op.consumer}'s group rebalances at ${at}`;
    case "transaction":
      return `transaction ${op.transaction} ${op.outcome === "commit" ? "commits" : "aborts"} at ${at}`;
  }
}

/** The first position where the runs differ, or null. */
export function firstDivergence(a: History, b: History): Divergence | null {
  const [x, y] = [inTimeOrder(a), inTimeOrder(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] && y[i] && signature(x[i]) === signature(y[i])) continue;
    const text = y[i] ? describeOperation(y[i], y.slice(0, i)) : `the run ends where the other goes on (${describeOperation(x[i], x.slice(0, i))})`;
    return {index: i, a: x[i], b: y[i], text};
  }
  return null;
}

const counts: Record<Anomaly, {messages: (v: Verdict) => string[]; noun: (n: number) => string}> = {
  lost: {messages: (v) => v.lost.map((l) => l.message), noun: (n) => (n === 1 ? "message lost" : "messages lost")},
  duplicated: {messages: (v) => v.duplicated.map((d) => d.message), noun: (n) => (n === 1 ? "duplicate" : "duplicates")},
  reordered: {messages: (v) => v.reordered.map((r) => r.record.message), noun: (n) => (n === 1 ? "delivery out of key order" : "deliveries out of key order")},
  uncommittedReads: {messages: (v) => v.uncommittedReads.map((u) => u.delivery.message), noun: (n) => (n === 1 ? "uncommitted read" : "uncommitted reads")}
};

export function compareRuns(a: Run, b: Run): Comparison {
  const verdicts = {a: checkHistory(a.history), b: checkHistory(b.history)};
  const consequences: Consequence[] = [];
  for (const [anomaly, {messages, noun}] of Object.entries(counts) as [Anomaly, (typeof counts)[Anomaly]][]) {
    const [na, nb] = [anomalyCount(verdicts.a, anomaly), anomalyCount(verdicts.b, anomaly)];
    const [ma, mb] = [new Set(messages(verdicts.a)), new Set(messages(verdicts.b))];
    const onlyA = [...ma].filter((m) => !mb.has(m));
    const onlyB = [...mb].filter((m) => !ma.has(m));
    if (na === nb && onlyA.length === 0 && onlyB.length === 0) continue;
    const text = `${nb} ${noun(nb)} downstream with ${b.label}, ${na} with ${a.label}`;
    consequences.push({anomaly, a: na, b: nb, onlyA, onlyB, text});
  }
  const divergence = firstDivergence(a.history, b.history);
  // When the first run acted first (a commit the other never made then), say so before what the second did instead.
  const aFirst = divergence?.a && divergence.b && divergence.a.time < divergence.b.time ? `with ${a.label}, ${describeOperation(divergence.a)}; ` : "";
  const headline = divergence ? `${aFirst}with ${b.label}, ${divergence.text}` : `${a.label} and ${b.label} do the same thing, operation for operation`;
  const effects = consequences.map((c) => (c.a === 0 ? `${c.b} ${counts[c.anomaly].noun(c.b)} downstream` : c.text));
  const text = `${headline}: ${effects.length ? effects.join("; ") : "the checker's verdicts are the same"}`;
  return {labels: [a.label, b.label], divergence, histories: {a: a.history, b: b.history}, verdicts, consequences, text};
}

/** One anomaly of a verdict at the moment it shows: a lost message's acknowledgement, a duplicate or reordered delivery, an uncommitted read. */
export interface Moment {
  anomaly: Anomaly;
  message: string;
  time: number;
  text: string;
}

/** Every anomaly of a verdict at its moment, in time order. */
export function anomalyMoments(verdict: Verdict): Moment[] {
  const moments: Moment[] = [
    ...verdict.lost.map((l) => ({anomaly: "lost" as const, message: l.message, time: l.acknowledged.time, text: `${l.message} is acknowledged at ${seconds(l.acknowledged.time)} and never delivered`})),
    ...verdict.duplicated.flatMap((d) =>
      d.deliveries.slice(1).map((op, i) => ({anomaly: "duplicated" as const, message: d.message, time: op.time, text: `${describeOperation(op)} again (${causeText(d.causes[i])})`}))
    ),
    ...verdict.reordered.map((r) => ({anomaly: "reordered" as const, message: r.record.message, time: r.record.time, text: `${describeOperation(r.record)}, after ${r.after.message}`})),
    ...verdict.uncommittedReads.map((u) => ({anomaly: "uncommittedReads" as const, message: u.delivery.message, time: u.delivery.time, text: `${describeOperation(u.delivery)} while transaction ${u.transaction} is ${u.outcome === "open" ? "open" : "aborted"}`}))
  ];
  return moments.sort((x, y) => x.time - y.time);
}

function causeText(cause: DuplicateCause): string {
  switch (cause.kind) {
    case "producer-retry":
      return `a producer retry appended it at offset ${cause.append.offset}`;
    case "crash":
      return `${cause.crash.process} crashed at ${seconds(cause.crash.time)}`;
    case "rebalance":
      return `${cause.rebalance.consumer}'s group rebalanced at ${seconds(cause.rebalance.time)}`;
    case "redelivered":
      return "flagged redelivered";
    case "unexplained":
      return "the history does not say why";
  }
}
