// An EventBridge run as tables: rule matches, target invocations with their retries, and the
// deliveries whose retries ran out. Pull-only: each function reads a finished run's trace.
import type {ColumnTable} from "./arquero.js";
import {eventsOf, tableOf, type Run} from "./table.js";

export function ruleMatches(run: Run): ColumnTable {
  return tableOf("ruleMatches", eventsOf(run, "eventbridge.match").map(([e, event]) => ({...e, event})));
}

/** Each attempt to deliver an event to a target, in trace order: delivered, or failed with its backoff. */
export function targetInvocations(run: Run): ColumnTable {
  const delivered = eventsOf(run, "eventbridge.deliver").map(([e, event]) => ({...e, event, outcome: "delivered"}));
  const failed = eventsOf(run, "eventbridge.deliver.failed").map(([e, event]) => ({...e, event, outcome: "failed"}));
  return tableOf("targetInvocations", [...delivered, ...failed].sort((a, b) => a.event - b.event));
}

/** Retries over: to the target's dead-letter queue, or dropped when it has none. */
export function retriesExhausted(run: Run): ColumnTable {
  const queued = eventsOf(run, "eventbridge.dlq").map(([e, event]) => ({...e, event, retries: e.attempt}));
  const dropped = eventsOf(run, "eventbridge.drop").map(([e, event]) => ({...e, event, retries: e.attempt, queue: null}));
  return tableOf("retriesExhausted", [...queued, ...dropped].sort((a, b) => a.event - b.event));
}
