// The Kafka model's trace events: kind => fields, exactly as the model records them. Declaration
// merging adds them to the kernel's TraceEventMap, so `sim.record` and `sim.trace.filter("kafka.…")`
// are typed without the kernel knowing Kafka. Nothing imports this file: tsc reads it with src/.

import type {AssignorName, ServerAssignorName} from "./assignors.js";

/** A consumer's group and member; `group` is undefined for a consumer without one (assign()). */
interface ConsumerFields {
  group: string | undefined;
  member: string;
}

/** A record's place: topic, partition, offset. */
interface Place {
  topic: string;
  partition: number;
  offset: number;
}

declare module "../sim/trace.js" {
  interface TraceEventMap {
    /** createTopic. */
    "kafka.topic.create": {topic: string; partitions: number; replicationFactor: number};
    /** CreatePartitions grew the topic from `from` to `to` partitions; keyed records now hash over `to`. */
    "kafka.partitions.create": {topic: string; from: number; to: number};
    /** A broker stops; its partitions elect new leaders. */
    "kafka.broker.crash": {broker: number};
    "kafka.broker.restart": {broker: number};
    /** A partition got a new leader (null: no in-sync replica left); `truncated` records cut from the log end. */
    "kafka.leader.elect": {topic: string; partition: number; leader: number | null; truncated: number; logEndOffset: number};
    /** Retention deleted a segment (the active one too, once a new one is rolled); the log start offset moved past it. */
    "kafka.segment.delete": {topic: string; partition: number; baseOffset: number; records: number; bytes: number; logStartOffset: number};
    /** Compaction removed `removed` records superseded by a later one of the same key, at `offsets`. */
    "kafka.compact": {topic: string; partition: number; removed: number; offsets: number[]};

    /** One record written to the leader's log (one event per record of a batch). */
    "kafka.append": Place & {
      key: unknown;
      value: unknown;
      /** CreateTime: the record's, else its batch's (always set by this producer). */
      timestamp: number | undefined;
      producer: string;
      batch: number;
      /** The record's position in its producer's send order. */
      sendIndex: number;
      producerId: number;
      producerEpoch: number;
      /** -1 for a producer without idempotence. */
      sequence: number;
      transactional: boolean;
      attempt: number;
    };
    /** The produce request never reached the broker (fault injection). */
    "kafka.request.lost": {producer: string; topic: string; partition: number; sequence: number; attempt: number};
    /** The broker wrote the batch but its answer was lost: the producer will resend it. */
    "kafka.ack.lost": {producer: string; topic: string; partition: number; baseOffset: number; attempt: number};
    "kafka.produce.error": {producer: string; topic: string; partition: number; code: string; attempt: number};
    /** An idempotent producer's resend the broker recognised by its sequence and did not write again. */
    "kafka.produce.duplicate": {producer: string; topic: string; partition: number; producerId: number; sequence: number; baseOffset: number};
    /** The producer got the broker's answer for a batch. */
    "kafka.ack": {producer: string; topic: string; partition: number; baseOffset: number; records: number; attempt: number; duplicate: boolean};
    "kafka.producer.crash": {producer: string; producerId: number};
    /** A producer with a newer epoch took over the transactional id: the old one is fenced. */
    "kafka.producer.fenced": {transactionalId: string; producerId: number; producerEpoch: number; currentEpoch: number};

    /** initTransactions: the coordinator bumps the producer epoch. */
    "kafka.txn.init": {transactionalId: string; producerId: number; producerEpoch: number};
    "kafka.txn.begin": {transactionalId: string | undefined; producerId: number; producerEpoch: number};
    /** The coordinator wrote a commit marker in every partition of the transaction. */
    "kafka.txn.commit": TransactionEnd;
    /** Abort markers: by the producer, or `reason` "timeout" (transaction.timeout.ms). */
    "kafka.txn.abort": TransactionEnd;

    "kafka.group.join": {group: string; member: string; topics: readonly string[]};
    "kafka.group.leave": {group: string; member: string; reason: string};
    /** The group starts a rebalance (PreparingRebalance). */
    "kafka.group.rebalance": {group: string; generation: number; reason: string};
    /** The leader's assignor handed out the partitions ("topic-partition" names per member). */
    "kafka.group.sync": {group: string; generation: number; assignor: AssignorName | null; leader: string | null; followUp: boolean; assignment: Record<string, string[]>};
    /** Consumer protocol (KIP-848): a new group epoch and its target assignment. */
    "kafka.group.target": {group: string; groupEpoch: number; assignor: ServerAssignorName; assignment: Record<string, string[]>};
    /** Consumer protocol: a member's step towards its target (what it may own, what it must revoke). */
    "kafka.group.reconcile": {group: string; member: string; memberEpoch: number; assigned: string[]; revoking: string[]};
    /** An offset commit: the next offset the group will read. Set `member` for a member's commit, `transactionalId` for a transaction's. */
    "kafka.commit": Place & {group: string; member?: string; transactionalId?: string};

    "kafka.consumer.assign": ConsumerFields & {generation: number; partitions: string[]};
    "kafka.consumer.revoke": ConsumerFields & {partitions: string[]};
    "kafka.consumer.pause": ConsumerFields & {partitions: string[]};
    "kafka.consumer.resume": ConsumerFields & {partitions: string[]};
    "kafka.consumer.seek": ConsumerFields & Place;
    /** No valid position: auto.offset.reset moved the consumer `from` an offset to `offset`. */
    "kafka.consumer.reset": ConsumerFields & Place & {from: number; policy: "earliest" | "latest"};
    "kafka.consumer.crash": ConsumerFields;
    /** A handler ran past max.poll.interval.ms. */
    "kafka.consumer.poll-timeout": ConsumerFields & {waitedMs: number};
    "kafka.commit.error": ConsumerFields & {code: string};
    /** A record handed to the consumer's handler (a redelivery is a second event for the same offset). */
    "kafka.consume": ConsumerFields & Place & {key: unknown; value: unknown};
    /** The handler threw on the record; `attempt` counts from 0. */
    "kafka.consume.error": ConsumerFields & Place & {attempt: number; error: string};

    // Share groups (KIP-932): share-group.ts.
    "kafka.share.join": {group: string; member: string; topics: readonly string[]};
    /** `reason`: "leave" (close), or "session-timeout" (its heartbeats stopped): what it held is released. */
    "kafka.share.leave": {group: string; member: string; reason: "leave" | "session-timeout"};
    /** A member acquired a record for group.share.record.lock.duration.ms; `deliveryCount` counts this delivery. */
    "kafka.share.acquire": Place & {group: string; member: string; deliveryCount: number; key: unknown; value: unknown};
    "kafka.share.acknowledge": Place & {group: string; member: string; type: "ACCEPT" | "RELEASE" | "REJECT"; deliveryCount: number};
    /** The member left or was dropped while holding the record: it is Available again (or archived at the limit). */
    "kafka.share.release": Place & {group: string; member: string; deliveryCount: number; reason: "leave" | "session-timeout"};
    /** The member held the record past its lock: it is Available again (or archived at the limit). */
    "kafka.share.lock-expired": Place & {group: string; member: string; deliveryCount: number};
    /** Never delivered again: rejected, or released/expired after group.share.delivery.count.limit deliveries. */
    "kafka.share.archive": Place & {group: string; deliveryCount: number; reason: "REJECT" | "delivery-count-limit"};
    "kafka.share-consumer.crash": {group: string; member: string};
  }
}

interface TransactionEnd {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  reason: string;
  /** Where each partition's marker was written. */
  markers: {topic: string; partition: number; offset: number}[];
  /** Consumer offsets committed with the transaction (sendOffsetsToTransaction). */
  offsets: {group: string; topic: string; partition: number; offset: number}[];
}
