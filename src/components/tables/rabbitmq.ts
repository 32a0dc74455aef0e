// A RabbitMQ run as tables: publishes, deliveries, consumer acknowledgements and dead-letters.
// Pull-only: each function reads a finished run's trace.
import type {ColumnTable} from "./arquero.js";
import {eventsOf, tableOf, type Run} from "./table.js";

export function messagesPublished(run: Run): ColumnTable {
  return tableOf("messagesPublished", eventsOf(run, "rabbitmq.publish").map(([e, event]) => ({...e, event})));
}

export function messagesDelivered(run: Run): ColumnTable {
  return tableOf("messagesDelivered", eventsOf(run, "rabbitmq.deliver").map(([e, event]) => ({...e, event})));
}

/** basic.ack and basic.nack/basic.reject, in trace order. */
export function consumerAcks(run: Run): ColumnTable {
  const acks = eventsOf(run, "rabbitmq.ack").map(([e, event]) => ({...e, event, outcome: "ack", requeue: false}));
  const nacks = eventsOf(run, "rabbitmq.nack").map(([e, event]) => ({...e, event, outcome: "nack"}));
  return tableOf("consumerAcks", [...acks, ...nacks].sort((a, b) => a.event - b.event));
}

export function messagesDeadLettered(run: Run): ColumnTable {
  return tableOf("messagesDeadLettered", eventsOf(run, "rabbitmq.deadletter").map(([e, event]) => ({...e, event})));
}
