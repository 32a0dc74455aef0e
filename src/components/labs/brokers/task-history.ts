// 11.3's task workloads (work queue, consumer group, share group) as histories, so their counts of
// redelivered and twice-handled tasks are the history checker's verdict. Two histories per run,
// because a delivery is not a handling: the broker's deliveries (a ticket in an agent's prefetch
// buffer was delivered, not started), and the handlings the agents' code started.
import {checkHistory, type Verdict} from "../../history/check.js";
import {messageId, type History, type Operation} from "../../history/history.js";
import type {TaskDelivery, Worker} from "./work-queue.js";

export interface TaskHistoryOptions {
  /** Job i has key i % keys and is the floor(i / keys)-th job of its key (default: every task a key of its own). */
  keys?: number;
  /** The workers, whose crashAtMs is a crash in the history. */
  workers?: readonly Worker[];
  /** "delivered": the broker's deliveries; "handled": the handlings the workers started. */
  as?: "delivered" | "handled";
}

const identity = (task: number, keys: number | undefined) => (keys === undefined ? {key: `ticket-${task}`, seq: 0} : {key: `customer-${task % keys}`, seq: Math.floor(task / keys)});

export function taskHistory(deliveries: readonly TaskDelivery[], {keys, workers = [], as = "delivered"}: TaskHistoryOptions = {}): History {
  const ops: Operation[] = [];
  const published = new Map<number, number>();
  for (const d of deliveries) published.set(d.task, d.publishedAt);
  for (const [task, time] of published) {
    const id = identity(task, keys);
    ops.push({type: "produce", phase: "ok", time, producer: "publisher", message: messageId(id.key, id.seq), ...id});
  }
  deliveries.forEach((d, i) => {
    const time = as === "handled" ? d.startedAt : d.time;
    if (time === null) return;
    const id = identity(d.task, keys);
    const message = messageId(id.key, id.seq);
    ops.push({type: "deliver", time, consumer: d.worker, message, ...id, redelivered: d.redelivered, deliveryTag: i + 1});
    if (d.ackedAt !== null) ops.push({type: "ack", time: d.ackedAt, consumer: d.worker, message, deliveryTag: i + 1});
  });
  for (const w of workers) if (w.crashAtMs !== undefined) ops.push({type: "crash", time: w.crashAtMs, process: w.name});
  return ops;
}

/** The checker's verdicts on a task run: what the broker delivered, and what the workers handled. */
export function checkTasks(deliveries: readonly TaskDelivery[], options: Omit<TaskHistoryOptions, "as"> = {}): {delivered: Verdict; handled: Verdict} {
  return {delivered: checkHistory(taskHistory(deliveries, {...options, as: "delivered"})), handled: checkHistory(taskHistory(deliveries, {...options, as: "handled"}))};
}
