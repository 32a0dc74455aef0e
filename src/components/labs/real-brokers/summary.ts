// What every broker experiment reports, the same whether it ran on the simulation or on a real
// broker: deliveries, duplicates, per-key order violations and lag. Every number but lag is read
// from the checker's verdict on the run's history (components/history), so a summary and the
// anomalies it counts can never disagree.
import {duplicateDeliveries, type Verdict} from "../../history/check.js";
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
