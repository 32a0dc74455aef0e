// The 11.3 decision helper: a few questions about a workload, a recommended broker, and the
// reasons. Scores are deliberately simple and visible: each answer adds reasons for or against.

export interface Workload {
  /** New consumers must read history, or consumers must re-read after a bug fix. */
  replay: boolean;
  /** Several independent services read the same events. */
  manyIndependentConsumers: boolean;
  /** Each item is a task for exactly one worker (tickets, jobs, emails). */
  taskDistribution: boolean;
  /** Routing by rules on the message (type, headers, content) matters more than throughput. */
  contentRouting: boolean;
  /** Events per second at peak. */
  peakPerSecond: number;
  /** Mostly AWS services, and no team to operate a cluster. */
  awsNativeNoOps: boolean;
  /** Order of events for the same entity matters. */
  perKeyOrder: boolean;
}

export type Broker = "Kafka" | "RabbitMQ" | "EventBridge";

export interface Recommendation {
  broker: Broker;
  scores: Record<Broker, number>;
  reasons: {broker: Broker; weight: number; reason: string}[];
}

export function recommendBroker(w: Workload): Recommendation {
  if (!(Number.isFinite(w.peakPerSecond) && w.peakPerSecond >= 0)) throw new RangeError(`peakPerSecond must be a number >= 0, got ${w.peakPerSecond}`);
  const reasons: Recommendation["reasons"] = [];
  const add = (broker: Broker, weight: number, reason: string) => reasons.push({broker, weight, reason});
  if (w.replay) {
    add("Kafka", 3, "the log keeps events after they are read, so a new or repaired consumer replays from any offset");
    add("RabbitMQ", -2, "a classic queue deletes a message once it is acknowledged (streams, since 3.9, are the exception)");
    add("EventBridge", -1, "replay needs an archive, and replays re-deliver to rules rather than letting a consumer seek");
  }
  if (w.manyIndependentConsumers) {
    add("Kafka", 2, "each consumer group reads the same log at its own pace, with its own committed offsets");
    add("EventBridge", 1, "each rule fans an event out to its own targets");
    add("RabbitMQ", 0, "fan-out needs an exchange and one queue per consumer, each holding its own copy");
  }
  if (w.taskDistribution) {
    add("RabbitMQ", 3, "competing consumers on one queue, with prefetch and per-message ack, nack and requeue");
    add("Kafka", -1, "work is shared by partition, so a slow record holds up the rest of its partition");
  }
  if (w.contentRouting) {
    add("EventBridge", 2, "rules match on any field of the event with a rich pattern language");
    add("RabbitMQ", 2, "topic and headers exchanges route on the routing key or on headers");
    add("Kafka", -1, "routing is by topic and key; filtering happens in the consumer");
  }
  if (w.peakPerSecond > 10_000) {
    add("Kafka", 2, `${w.peakPerSecond.toLocaleString("en-US")} events/s suits a partitioned log that scales by adding partitions and brokers`);
    add("EventBridge", -2, "PutEvents has per-account, per-region quotas and a per-event price that grow costly at high volume");
  }
  if (w.awsNativeNoOps) {
    add("EventBridge", 3, "serverless: nothing to operate, native targets such as Lambda, SQS and Step Functions");
    add("Kafka", -1, "a cluster to run (or a managed service such as MSK to pay for)");
  }
  if (w.perKeyOrder) {
    add("Kafka", 2, "records with the same key stay in one partition, in order");
    add("RabbitMQ", 0, "one queue is FIFO, but competing consumers and requeues can reorder processing");
    add("EventBridge", -2, "no ordering guarantee between events");
  }
  const scores: Record<Broker, number> = {Kafka: 0, RabbitMQ: 0, EventBridge: 0};
  for (const r of reasons) scores[r.broker] += r.weight;
  const broker = (Object.keys(scores) as Broker[]).reduce((best, b) => (scores[b] > scores[best] ? b : best), "Kafka");
  return {broker, scores, reasons};
}
