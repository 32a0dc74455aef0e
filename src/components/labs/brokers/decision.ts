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

/** "Kafka" is a topic read by consumer groups; "Kafka share group" the same log read as a queue (KIP-932, Kafka 4.2). */
export type Broker = "Kafka" | "RabbitMQ" | "EventBridge" | "Kafka share group";

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
  addShareGroupReasons(w, add);
  const scores: Record<Broker, number> = {Kafka: 0, RabbitMQ: 0, EventBridge: 0, "Kafka share group": 0};
  for (const r of reasons) scores[r.broker] += r.weight;
  const broker = (Object.keys(scores) as Broker[]).reduce((best, b) => (scores[b] > scores[best] ? b : best), "Kafka");
  return {broker, scores, reasons};
}

// A share group is a task queue on Kafka: per-record acquisition and acknowledgement, many members
// per partition, a delivery-count limit, but no per-key order, no seeking, and a Kafka 4.2+ cluster.
function addShareGroupReasons(w: Workload, add: (broker: Broker, weight: number, reason: string) => void): void {
  const share = "Kafka share group";
  if (w.taskDistribution) add(share, 2, "members acquire and acknowledge records one by one, many members per partition, so a slow record holds up only its worker");
  if (w.replay) add(share, 2, "the records stay in the log, so consumer groups beside the share group can replay them (the share group itself has no offsets to seek)");
  if (w.manyIndependentConsumers) add(share, 2, "share groups and consumer groups read the same topic, each independently");
  if (w.peakPerSecond > 10_000) add(share, 2, "it is still a partitioned log, scaled by partitions and brokers, and members may outnumber partitions");
  if (w.perKeyOrder) add(share, -2, "no per-key order: records of one partition go to several members at once, and a released record comes back after later ones");
  if (w.contentRouting) add(share, -1, "routing is by topic; filtering happens in the consumer");
  if (w.awsNativeNoOps) add(share, -1, "a Kafka 4.2+ cluster to run (share groups are production-ready since 4.2)");
}
