// What every broker experiment reports, the same whether it ran on the simulation or on a real
// broker: deliveries, duplicates, per-key order violations and lag. Every number but lag is read
// from the checker's verdict on the run's history (components/history), so a summary and the
// anomalies it counts can never disagree.
import {duplicateDeliveries, type Verdict} from "../../history/check.js";
import {describeCauses, tally} from "../../history/tally.js";
import {compareRuns} from "../../history/compare.js";
import type {History} from "../../history/history.js";

export interface ExperimentSummary {
  broker: string;
  /** Messages handed to application code (a redelivered message counts again). */
  deliveries: number;
  /** Deliveries of a message whose effect had already happened. */
  duplicates: number;
  /** Deliveries flagged by the broker as redelivered (RabbitMQ) or read again from an uncommitted offset (Kafka). */
  redelivered: number;
  /** Deliveries whose per-key sequence number is not above the last one seen for that key. */
  orderViolations: number;
  /** Messages still waiting for the group or queue when the run ended. */
  lag: number;
}

/** A run of a workload: its summary, the history it recorded and the checker's verdict on it. */
export interface RecordedRun {
  summary: ExperimentSummary;
  history: History;
  verdict: Verdict;
}

/** Lets time pass until `done` holds: virtual time on the simulation, real time on a broker. */
export type WaitUntil = (done: () => boolean, what: string) => Promise<void>;

export type Progress = (done: number, total: number) => void;

/** The summary's numbers, from the checker's verdict; `lag` is the broker's (the history does not see it). */
export function summarize(verdict: Verdict, broker: string, lag: number): ExperimentSummary {
  return {broker, deliveries: verdict.deliveries, duplicates: duplicateDeliveries(verdict), redelivered: verdict.redeliveries, orderViolations: verdict.reordered.length, lag};
}

/** The i-th message of a run: keys round-robin, sequence numbers per key. */
export function messageAt(i: number, keys: number): {key: string; seq: number} {
  return {key: `order-${i % keys}`, seq: Math.floor(i / keys)};
}

/** A field the simulation and the real broker disagree on, and why, as far as the histories say. */
export interface Difference {
  /** A summary field ("duplicates") or a checker count ("checker.lost"). */
  field: string;
  simulation: number;
  real: number;
  why: string;
}

/** One row of the side-by-side table. */
export interface ComparedField {
  field: string;
  simulation: number;
  real: number;
  agree: boolean;
}

export interface Agreement {
  agree: boolean;
  rows: ComparedField[];
  differences: Difference[];
}

const SUMMARY_FIELDS = ["deliveries", "duplicates", "redelivered", "orderViolations", "lag"] as const;
const TALLY_FIELDS = ["lost", "duplicated", "duplicates", "reordered", "uncommittedReads"] as const;

/** Side by side: the summaries and the checker's counts of a run on the simulation and on a real broker. */
export function agreement(simulation: RecordedRun, real: RecordedRun): Agreement {
  const [ts, tr] = [tally(simulation.verdict), tally(real.verdict)];
  const rows: ComparedField[] = [
    ...SUMMARY_FIELDS.map((field) => ({field, simulation: simulation.summary[field], real: real.summary[field]})),
    ...TALLY_FIELDS.map((field) => ({field: `checker.${field}`, simulation: ts[field], real: tr[field]}))
  ].map((row) => ({...row, agree: row.simulation === row.real}));
  const comparison = compareRuns({label: "the simulation", history: simulation.history}, {label: real.summary.broker, history: real.history});
  const where = comparison.divergence ? `; the histories first differ where, on ${real.summary.broker}, ${comparison.divergence.text}` : "";
  const messages = (anomaly: string) => {
    const c = comparison.consequences.find((x) => x.anomaly === anomaly);
    if (!c) return "";
    const list = (ms: string[]) => ms.slice(0, 5).join(", ") + (ms.length > 5 ? ` and ${ms.length - 5} more` : "");
    return [c.onlyB.length ? ` only on the real broker: ${list(c.onlyB)}` : "", c.onlyA.length ? ` only on the simulation: ${list(c.onlyA)}` : ""].filter(Boolean).join(";");
  };
  const reasons: Record<string, (s: number, r: number) => string> = {
    deliveries: (s, r) => `the real broker handed ${Math.abs(r - s)} ${r > s ? "more" : "fewer"} messages to the consumers`,
    duplicates: () => `messages delivered more than once (causes: simulation ${describeCauses(ts)}, real ${describeCauses(tr)});${messages("duplicated")}`,
    redelivered: () => "the brokers flagged a different number of deliveries as redelivered (RabbitMQ flags every message a closed channel held, handled or not)",
    orderViolations: () => `deliveries out of key order;${messages("reordered")}`,
    lag: (s, r) => `${r} messages were still waiting on the real broker when the run ended, ${s} on the simulation`,
    "checker.lost": () => `acknowledged messages never delivered;${messages("lost")}`,
    "checker.duplicated": () => `messages delivered more than once;${messages("duplicated")}`,
    "checker.duplicates": () => `deliveries beyond the first (causes: simulation ${describeCauses(ts)}, real ${describeCauses(tr)})`,
    "checker.reordered": () => `deliveries out of key order;${messages("reordered")}`,
    "checker.uncommittedReads": () => `reads of records in transactions that had not committed;${messages("uncommittedReads")}`
  };
  const differences = rows.filter((r) => !r.agree).map(({field, simulation: s, real: r}) => ({field, simulation: s, real: r, why: reasons[field](s, r).replace(/;$/, "") + where}));
  return {agree: differences.length === 0, rows, differences};
}

/**
 * A scenario's recorded run on a real RabbitMQ beside the simulation's run of the same scenario:
 * what src/data/recorded.json.ts gives a page (plain data, no DOM). `rows` is the side-by-side
 * table (summary fields, then the checker's counts prefixed "checker.").
 */
export interface RecordedComparison {
  scenario: string;
  title: string;
  brokerVersion: string;
  recordedAt: string;
  agree: boolean;
  rows: ComparedField[];
  differences: Difference[];
}
