// An EventBridge run as tables: rule matches, target invocations with their retries, and the
// deliveries whose retries ran out. Pull-only: each function reads a finished run's trace.
import type {ColumnTable} from "./arquero.js";
import {eventsOf, tableOfEvents, type Run} from "./table.js";

export function ruleMatches(run: Run): ColumnTable {
  return tableOfEvents("ruleMatches", eventsOf(run, "eventbridge.match"));
}

/** Each attempt to deliver an event to a target, in trace order: delivered, or failed with its backoff. */
export function targetInvocations(run: Run): ColumnTable {
  const events = eventsOf(run, "eventbridge.deliver", "eventbridge.deliver.failed");
  return tableOfEvents("targetInvocations", events, {outcome: events.map(([e]) => (e.kind === "eventbridge.deliver" ? "delivered" : "failed"))});
}

/** Retries over: to the target's dead-letter queue, or dropped when it has none. */
export function retriesExhausted(run: Run): ColumnTable {
  const events = eventsOf(run, "eventbridge.dlq", "eventbridge.drop");
  return tableOfEvents("retriesExhausted", events, {retries: events.map(([e]) => e.attempt)});
}
