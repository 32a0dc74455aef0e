// A RabbitMQ run as tables: publishes, deliveries, consumer acknowledgements and dead-letters.
// Pull-only: each function reads a finished run's trace.
import type {ColumnTable} from "./arquero.js";
import {eventsOf, tableOfEvents, type Run} from "./table.js";

export function messagesPublished(run: Run): ColumnTable {
  return tableOfEvents("messagesPublished", eventsOf(run, "rabbitmq.publish"));
}

export function messagesDelivered(run: Run): ColumnTable {
  return tableOfEvents("messagesDelivered", eventsOf(run, "rabbitmq.deliver"));
}

/** basic.ack and basic.nack/basic.reject, in trace order. */
export function consumerAcks(run: Run): ColumnTable {
  const events = eventsOf(run, "rabbitmq.ack", "rabbitmq.nack");
  return tableOfEvents("consumerAcks", events, {
    outcome: events.map(([e]) => (e.kind === "rabbitmq.ack" ? "ack" : "nack")),
    requeue: events.map(([e]) => e.kind === "rabbitmq.nack" && e.requeue)
  });
}

export function messagesDeadLettered(run: Run): ColumnTable {
  return tableOfEvents("messagesDeadLettered", eventsOf(run, "rabbitmq.deadletter"));
}
