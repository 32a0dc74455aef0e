// What 11.3's page draws, derived from each experiment's run where it runs (the lab's worker,
// worker.ts): plain rows that the worker hands to the page quickly, with nothing left for the
// page's thread to compute but the drawing. A run holds a simulation and its whole trace; these
// hold the few hundred rows a chart shows, the events a log view steps through, and what a
// refusal says.
import {logView as logViewOf} from "../../ui/log-state.js";
import type {FieldExplanation, MatchExplanation} from "../../eventbridge/pattern.js";
import {fmt} from "../../eventbridge/pattern/values.js";
import type {LogWorkloadRun} from "./kafka-log.js";
import {PROTOCOL_LABELS, PROTOCOLS, type RebalanceRun} from "./rebalance.js";
import type {TaskComparisonRun, TaskComparisonOptions} from "./share-group.js";
import type {TaskDelivery} from "./work-queue.js";

/** An error as plain data (a worker's message keeps only the standard errors' names): what the page shows for it. */
export interface Refusal {
  name: string;
  message: string;
}

export const refusal = (error: Error | null): Refusal | null => (error ? {name: error.name, message: error.message} : null);

/** 11.3's log workload: each group's progress and the orders topic's log (whose events the page's flow diagram reads too: log-flow.ts). */
export function kafkaLogView(run: LogWorkloadRun, groups: readonly string[]) {
  return {groups, progress: run.progress, log: logViewOf(run.cluster.sim.trace, {topic: "orders"})};
}

export interface RebalanceView {
  /** The panels' labels, one per protocol, in order. */
  labels: string[];
  /** The window drawn around the join, in seconds. */
  domain: [number, number];
  joinAt: number;
  /** Records per second per member, per protocol, inside the window. */
  rates: {label: string; member: string; time: number; perSecond: number}[];
  /** When a partition lost its owner, inside the window. */
  gaps: {label: string; from: number}[];
  /** Every protocol's members, sorted, and the highest rate: the panels share colours and y scale. */
  members: string[];
  yMax: number;
}

/** A window around the join (before it, the members' own staggered joins rebalance too), in seconds. */
export function rebalanceView({options: {joinAtMs, sampleMs, durationMs}, runs}: RebalanceRun): RebalanceView {
  const [from, to] = [Math.max(0, joinAtMs - 3_000), Math.min(durationMs, joinAtMs + 9_000)];
  const inWindow = (t: number) => t >= from && t <= to;
  const rates = runs.flatMap((r) => r.rate.filter((d) => inWindow(d.time)).map((d) => ({label: PROTOCOL_LABELS[r.protocol], member: d.member, time: d.time / 1000, perSecond: (d.records * 1000) / sampleMs})));
  return {
    labels: PROTOCOLS.map((p) => PROTOCOL_LABELS[p]),
    domain: [from / 1000, to / 1000],
    joinAt: joinAtMs / 1000,
    rates,
    gaps: runs.flatMap((r) => r.gaps.filter((g) => inWindow(g.from)).map((g) => ({label: PROTOCOL_LABELS[r.protocol], from: g.from / 1000}))),
    members: [...new Set(rates.map((d) => d.member))].sort(),
    yMax: Math.max(1, ...rates.map((d) => d.perSecond))
  };
}

export type TaskRow = Pick<TaskDelivery, "task" | "worker" | "startedAt" | "redelivered" | "duplicate"> & {broker: string; to: number; acked: boolean};

export interface TaskComparisonView {
  brokers: string[];
  workers: string[];
  crashAtMs: number;
  slowJob: number;
  /** One row per handling (a delivery the worker started). */
  rows: TaskRow[];
}

/** The three outcomes' handlings, each ending at its ack or, never acknowledged, at the crash. */
export function taskComparisonView(run: TaskComparisonRun, {crashAtMs, slowJob, workers}: TaskComparisonOptions): TaskComparisonView {
  return {
    brokers: run.outcomes.map((o) => o.broker),
    workers: workers.map((w) => w.name),
    crashAtMs,
    slowJob,
    rows: run.outcomes.flatMap((o) =>
      o.deliveries
        .filter((d) => d.startedAt !== null)
        .map((d) => ({broker: o.broker, task: d.task, worker: d.worker, startedAt: d.startedAt, to: d.ackedAt ?? Math.max(d.startedAt!, crashAtMs), redelivered: d.redelivered, duplicate: d.duplicate, acked: d.ackedAt !== null}))
    )
  };
}

/** A pattern explanation as the page shows it: each event value as its text. */
export type ShownExplanation = Omit<MatchExplanation, "fields"> & {fields: (Omit<FieldExplanation, "eventValue"> & {eventValue: string})[]};

/**
 * Each event value as fmt's text (at most 80 characters; "(missing)" for an absent field): the
 * value itself could be an array nested 20,000 deep, which the worker's postMessage could not
 * clone (its stack overflowed) and JSON.stringify could not print.
 */
export function shownExplanation(explanation: MatchExplanation): ShownExplanation {
  return {...explanation, fields: explanation.fields.map((f) => ({...f, eventValue: f.present ? fmt(f.eventValue) : "(missing)"}))};
}
