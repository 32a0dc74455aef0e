// The simulated cluster: brokers, topics and their partitions, replication timing, log cleanup,
// the hard record limit of a run, and the two coordinators (consumer groups, transactions).
// It answers the requests of protocol.ts; producers and consumers (producer.ts, consumer.ts) hold
// only that interface. Nothing here calls a client: the cluster only constructs them in
// producer()/consumer(), the shorthands pages and labs use for `new Producer(cluster, options)`.

import type {Simulation} from "../sim/index.js";
import type {TopicPartition} from "./assignors.js";
import {Consumer, type ConsumerOptions} from "./consumer.js";
import {KafkaConfigError, KafkaError, checkInteger, checkMs} from "./errors.js";
import {GroupCoordinator, type ConsumerGroupConfig} from "./group.js";
import type {ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse} from "./protocol.js";
import {ABORTED, CONTROL, PartitionLog, topicConfig, type LogRecord, type SegmentInfo, type TopicConfig} from "./log.js";
import {Partition} from "./partition.js";
import {Producer, type ProducerOptions} from "./producer.js";
import {
  partitionOf, type ConsumerRecord, type FetchRequest, type FetchResponse, type JoinGroupRequest, type KafkaProtocol, type OffsetToCommit,
  type PartitionOffsetsView, type ProduceRequest, type ProduceResult
} from "./protocol.js";
import {TransactionCoordinator} from "./transactions.js";
import {ShareGroupCoordinator} from "./share-group.js";
import {ShareConsumer, type ShareConsumerOptions} from "./share-consumer.js";
import type {AcknowledgeError, ShareAcknowledgement, ShareFetchRequest, ShareFetchResponse, ShareGroupHeartbeatRequest, ShareGroupHeartbeatResponse} from "./protocol.js";

export interface ClusterOptions {
  /** Number of brokers (default 3). */
  brokers?: number;
  /** One-way network delay between a client and a broker, in virtual ms (default 1). */
  networkMs?: number;
  /** Delay before followers have fetched a new append (default 1 ms; 0 = synchronous). */
  replicationMs?: number;
  /** replicationFactor of topics created without one (Kafka's default.replication.factor, 1). */
  defaultReplicationFactor?: number;
  /** How often retention and compaction run (log.retention.check.interval.ms, default 5 min). */
  cleanupIntervalMs?: number;
  /** Most records one run may append (default and maximum 5,000,000). */
  maxRecords?: number;
  /** The consumer group protocol's broker configs (group.consumer.*, KIP-848). */
  groupConsumer?: ConsumerGroupConfig;
}

export interface CreateTopicOptions {
  partitions?: number;
  replicationFactor?: number;
  config?: Partial<TopicConfig>;
}

interface Topic {
  readonly name: string;
  readonly config: TopicConfig;
  readonly partitions: Partition[];
}

/** One row per partition: the offsets a chart of the log needs. */
interface PartitionOffsets {
  topic: string;
  partition: number;
  logStartOffset: number;
  highWatermark: number;
  lastStableOffset: number;
  logEndOffset: number;
  leader: number | null;
  isr: number[];
}

const MAX_RECORDS_PER_RUN = 5_000_000;

export class Cluster implements KafkaProtocol {
  readonly sim: Simulation;
  readonly brokers: number;
  readonly networkMs: number;
  readonly replicationMs: number;
  readonly defaultReplicationFactor: number;
  readonly maxRecords: number;
  readonly groups: GroupCoordinator;
  readonly transactions: TransactionCoordinator;
  /** Share groups (KIP-932): membership and each share-partition's delivery state. */
  readonly shareGroups: ShareGroupCoordinator = new ShareGroupCoordinator(this);
  readonly topics = new Map<string, Topic>();
  readonly down = new Set<number>();
  /** Records appended in this run (markers included), checked against maxRecords. */
  appended = 0;
  #nextProducerId = 1000;
  #clients = 0;
  #replicating = new Set<Partition>();
  #cleanupTimer: {id: number; time: number} | null = null;
  readonly #cleanupIntervalMs: number;

  constructor(sim: Simulation, options: ClusterOptions = {}) {
    const {brokers = 3, networkMs = 1, replicationMs = 1, defaultReplicationFactor = 1, cleanupIntervalMs = 300_000, maxRecords = MAX_RECORDS_PER_RUN} = options;
    this.sim = sim;
    this.brokers = checkInteger("brokers", brokers, 1, 100);
    this.networkMs = checkMs("networkMs", networkMs);
    this.replicationMs = checkMs("replicationMs", replicationMs);
    this.defaultReplicationFactor = checkInteger("defaultReplicationFactor", defaultReplicationFactor, 1, brokers);
    this.#cleanupIntervalMs = checkMs("cleanupIntervalMs", cleanupIntervalMs, 1);
    this.maxRecords = checkInteger("maxRecords", maxRecords, 1, MAX_RECORDS_PER_RUN);
    this.groups = new GroupCoordinator(this, options.groupConsumer);
    this.transactions = new TransactionCoordinator(this);
  }

  createTopic(name: string, options: CreateTopicOptions = {}): Topic {
    const {partitions = 1, replicationFactor = this.defaultReplicationFactor, config = {}} = options;
    if (typeof name !== "string" || !/^[a-zA-Z0-9._-]{1,249}$/.test(name)) {
      throw new KafkaConfigError(`topic name must be 1-249 characters of [a-zA-Z0-9._-], got ${JSON.stringify(name)}`);
    }
    if (this.topics.has(name)) throw new KafkaError("TOPIC_ALREADY_EXISTS", `topic ${JSON.stringify(name)} already exists`);
    checkInteger("numPartitions", partitions, 1, 10_000);
    checkInteger(`replicationFactor (at most the ${this.brokers} brokers)`, replicationFactor, 1, this.brokers);
    const topic: Topic = {name, config: topicConfig(config), partitions: []};
    this.#addPartitions(topic, partitions, replicationFactor);
    this.topics.set(name, topic);
    this.sim.record("kafka.topic.create", {topic: name, partitions, replicationFactor});
    this.#cleanupTimer ??= this.sim.every(this.#cleanupIntervalMs, () => this.cleanup());
    return topic;
  }

  /**
   * CreatePartitions: grows `topic` to `count` partitions (Kafka never shrinks a topic). Written
   * records stay where they are; keyed records sent from now on go to murmur2(key) % count, and
   * groups reading the topic rebalance to take the new partitions. The refusals are
   * ReplicationControlManager's (ReplicationControlManagerTest.testCreatePartitions).
   */
  createPartitions(topic: string, count: number, {validateOnly = false}: {validateOnly?: boolean} = {}): Topic {
    const t = this.topic(topic);
    const from = t.partitions.length;
    checkInteger("count (the new number of partitions)", count, 1, 10_000);
    if (count === from) throw new KafkaError("INVALID_PARTITIONS", `Topic already has ${from} partition(s).`);
    if (count < from) throw new KafkaError("INVALID_PARTITIONS", `The topic ${topic} currently has ${from} partition(s); ${count} would not be an increase.`);
    if (validateOnly) return t;
    this.#addPartitions(t, count - from, t.partitions[0].replicas.length);
    this.sim.record("kafka.partitions.create", {topic, from, to: count});
    // Kafka's consumers notice at their next metadata refresh (metadata.max.age.ms); here at once.
    this.groups.partitionsChanged(topic);
    return t;
  }

  // Replicas of partition p on brokers p, p+1, ... (mod the broker count); the first one leads.
  #addPartitions(topic: Topic, n: number, replicationFactor: number): void {
    for (let p = topic.partitions.length, end = p + n; p < end; p++) {
      const replicas = Array.from({length: replicationFactor}, (_, i) => (p + i) % this.brokers);
      topic.partitions.push(new Partition(topic.name, p, new PartitionLog(topic.config, this.sim.now), replicas));
    }
  }

  /** A producer client on this cluster: `new Producer(cluster, options)`, kept as kafkajs's kafka.producer(). */
  producer(options: ProducerOptions = {}): Producer {
    return new Producer(this, options);
  }

  /** A consumer client on this cluster: `new Consumer(cluster, options)`. */
  consumer(options: ConsumerOptions = {}): Consumer {
    return new Consumer(this, options);
  }

  topic(name: string): Topic {
    const topic = this.topics.get(name);
    if (!topic) {
      const known = [...this.topics.keys()];
      throw new KafkaError("UNKNOWN_TOPIC_OR_PARTITION", `topic ${JSON.stringify(name)} does not exist (topics: ${known.length ? known.join(", ") : "none"})`);
    }
    return topic;
  }

  partition(topic: string, partition: number): Partition {
    return partitionOf(this.topic(topic), partition);
  }

  /** Every partition's offsets now. */
  offsets(): PartitionOffsets[] {
    const rows: PartitionOffsets[] = [];
    for (const t of this.topics.values()) {
      for (const p of t.partitions) {
        rows.push({
          topic: t.name, partition: p.partition, logStartOffset: p.logStartOffset, highWatermark: p.highWatermark,
          lastStableOffset: p.lastStableOffset, logEndOffset: p.logEndOffset, leader: p.leader, isr: [...p.isr].sort()
        });
      }
    }
    return rows;
  }

  /** The records of one partition (markers included), for a table. */
  records(topic: string, partition: number): LogRecord[] {
    return this.partition(topic, partition).log.records();
  }

  segments(topic: string, partition: number): SegmentInfo[] {
    return this.partition(topic, partition).log.segmentInfo();
  }

  clientName(kind: string): string {
    return `${kind}-${++this.#clients}`;
  }

  allocateProducerId(): number {
    return this.#nextProducerId++;
  }

  // ---- KafkaProtocol: the requests clients send (protocol.ts) ----

  metadata(topic: string): Topic {
    return this.topic(topic);
  }

  produce(request: ProduceRequest, respond: (result: ProduceResult) => void): void {
    const p = this.partition(request.topic, request.partition);
    const {batch} = request;
    const before = p.logEndOffset;
    p.produce(batch, this.sim.now, respond);
    const appended = p.logEndOffset - before;
    if (appended === 0) return;
    this.replicateSoon(p);
    if (!this.sim.trace.enabled) return;
    const {keys, values, timestamps} = batch.records;
    for (let k = 0; k < appended; k++) {
      this.sim.record("kafka.append", {
        topic: p.topic, partition: p.partition, offset: before + k, key: keys[k], value: values[k], timestamp: timestamps?.[k] ?? batch.timestamp,
        producer: request.clientId, batch: request.batchId, sendIndex: request.sendIndexes[k], producerId: batch.producerId, producerEpoch: batch.producerEpoch,
        sequence: batch.baseSequence < 0 ? -1 : batch.baseSequence + k, transactional: batch.transactional, attempt: request.attempt
      });
    }
  }

  fetch({topic, partition, fetchOffset, maxRecords, isolationLevel}: FetchRequest): FetchResponse {
    const p = this.partition(topic, partition);
    const readCommitted = isolationLevel === "read_committed";
    const records: ConsumerRecord[] = [];
    const nextOffset = p.log.scan(fetchOffset, readCommitted ? p.lastStableOffset : p.highWatermark, maxRecords, (seg, i) => {
      const flags = seg.flags[i];
      if (flags & CONTROL || (readCommitted && flags & ABORTED)) return false;
      records.push({topic, partition, offset: seg.offsets[i], timestamp: seg.timestamps[i], key: seg.keys.get(i), value: seg.values.get(i), headers: seg.headers?.get(i)});
      return true;
    });
    return {records, nextOffset};
  }

  watch(topic: string, partition: number, listener: () => void): () => void {
    const {listeners} = this.partition(topic, partition);
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  listOffsets(topic: string, partition: number): PartitionOffsetsView {
    return this.partition(topic, partition);
  }

  offsetForTimestamp(topic: string, partition: number, timestamp: number): number | null {
    return this.partition(topic, partition).log.offsetForTimestamp(timestamp);
  }

  offsetCommit(groupId: string, offsets: OffsetToCommit[], member?: {memberId: string; generation: number}): void {
    if (member) this.groups.commit(groupId, member.memberId, member.generation, offsets);
    else this.groups.commitOffsets(groupId, offsets);
  }

  offsetFetch(groupId: string, topic: string, partition: number): number | undefined {
    return this.groups.committed(groupId, topic, partition);
  }

  joinGroup({groupId, memberId, topics, ...member}: JoinGroupRequest): string {
    if (memberId === null) return this.groups.join(groupId, {topics, ...member});
    this.groups.resubscribe(groupId, memberId, topics);
    return memberId;
  }

  stopHeartbeats(groupId: string, memberId: string): void {
    this.groups.stopHeartbeats(groupId, memberId);
  }

  leaveGroup(groupId: string, memberId: string, reason: string): void {
    this.groups.leave(groupId, memberId, reason);
  }

  consumerGroupHeartbeat(request: ConsumerGroupHeartbeatRequest): ConsumerGroupHeartbeatResponse {
    return this.groups.heartbeat(request);
  }

  initProducerId(transactionalId?: string): {producerId: number; producerEpoch: number} {
    return transactionalId === undefined ? {producerId: this.allocateProducerId(), producerEpoch: 0} : this.transactions.initProducerId(transactionalId);
  }

  addPartitionsToTxn(transactionalId: string, producerEpoch: number, {topic, partition}: TopicPartition, transactionTimeoutMs: number): void {
    this.transactions.addPartition(transactionalId, producerEpoch, this.partition(topic, partition), transactionTimeoutMs);
  }

  addOffsetsToTxn(transactionalId: string, producerEpoch: number, groupId: string, offsets: OffsetToCommit[], transactionTimeoutMs: number): void {
    this.transactions.addOffsets(transactionalId, producerEpoch, groupId, offsets, transactionTimeoutMs);
  }

  endTxn(transactionalId: string, producerEpoch: number, commit: boolean): void {
    this.transactions.end(transactionalId, producerEpoch, commit);
  }

  // ---- Share groups (KIP-932): ShareGroupProtocol (protocol.ts) ----

  /** A share consumer on this cluster (the Java KafkaShareConsumer's model). */
  shareConsumer(options: ShareConsumerOptions): ShareConsumer {
    return new ShareConsumer(this, options);
  }

  shareGroupHeartbeat(request: ShareGroupHeartbeatRequest): ShareGroupHeartbeatResponse {
    return this.shareGroups.heartbeat(request);
  }

  shareFetch(request: ShareFetchRequest): ShareFetchResponse {
    return this.shareGroups.fetch(request);
  }

  shareAcknowledge(groupId: string, memberId: string, acknowledgements: ShareAcknowledgement[]): AcknowledgeError[] {
    return this.shareGroups.acknowledge(groupId, memberId, acknowledgements);
  }

  stopShareHeartbeats(groupId: string, memberId: string): void {
    this.shareGroups.stopHeartbeats(groupId, memberId);
  }

  // ---- broker internals ----

  /** Throws if `n` more records would pass the run's limit; nothing is appended in that case. */
  reserve(n: number): void {
    if (this.appended + n > this.maxRecords) {
      throw new RangeError(
        `a run holds at most ${this.maxRecords.toLocaleString("en-US")} records (maxRecords; hard limit ${MAX_RECORDS_PER_RUN.toLocaleString("en-US")}); ` +
          `${this.appended.toLocaleString("en-US")} are appended already`
      );
    }
    this.appended += n;
  }

  isAlive = (broker: number): boolean => !this.down.has(broker);

  /** After an append: followers fetch it after replicationMs, then the high watermark moves. */
  replicateSoon(p: Partition): void {
    if (this.replicationMs === 0 || p.isr.size <= 1) {
      p.replicate(this.isAlive);
      return;
    }
    if (this.#replicating.has(p)) return;
    this.#replicating.add(p);
    this.sim.schedule(this.replicationMs, () => {
      this.#replicating.delete(p);
      p.replicate(this.isAlive);
    });
  }

  /** A fault: the broker stops. Partitions it led elect a new leader from the in-sync replicas. */
  crashBroker(broker: number): void {
    checkInteger(`broker (0..${this.brokers - 1})`, broker, 0, this.brokers - 1);
    if (this.down.has(broker)) return;
    this.down.add(broker);
    this.sim.record("kafka.broker.crash", {broker});
    for (const t of this.topics.values()) {
      for (const p of t.partitions) {
        if (!p.replicas.includes(broker)) continue;
        const wasLeader = p.leader === broker;
        const lost = p.replicaFailed(broker, this.isAlive);
        if (wasLeader) this.sim.record("kafka.leader.elect", {topic: t.name, partition: p.partition, leader: p.leader, truncated: lost, logEndOffset: p.logEndOffset});
      }
    }
  }

  restartBroker(broker: number): void {
    checkInteger(`broker (0..${this.brokers - 1})`, broker, 0, this.brokers - 1);
    if (!this.down.delete(broker)) return;
    this.sim.record("kafka.broker.restart", {broker});
    for (const t of this.topics.values()) {
      for (const p of t.partitions) {
        const hadLeader = p.leader !== null;
        p.replicaRestarted(broker);
        if (!hadLeader && p.leader !== null) this.sim.record("kafka.leader.elect", {topic: t.name, partition: p.partition, leader: p.leader, truncated: 0, logEndOffset: p.logEndOffset});
        if (p.replicas.includes(broker)) this.replicateSoon(p);
      }
    }
  }

  /** Retention and compaction over every partition (also runs every cleanupIntervalMs). */
  cleanup(): void {
    const now = this.sim.now;
    for (const t of this.topics.values()) {
      for (const p of t.partitions) {
        for (const s of p.log.applyRetention(now, p.highWatermark)) {
          this.sim.record("kafka.segment.delete", {topic: t.name, partition: p.partition, baseOffset: s.baseOffset, records: s.records, bytes: s.bytes, logStartOffset: p.logStartOffset});
        }
        const offsets: number[] = [];
        const removed = p.log.compact(now, Math.min(p.highWatermark, p.lastStableOffset), offsets);
        if (removed > 0) this.sim.record("kafka.compact", {topic: t.name, partition: p.partition, removed, offsets});
      }
    }
  }
}

export function createCluster(sim: Simulation, options: ClusterOptions = {}): Cluster {
  return new Cluster(sim, options);
}
