// A kafkajs-2.x-shaped client over the simulated cluster, so code written in a workbook cell reads
// like code for a real cluster: new Kafka({clientId}), producer().send({topic, messages}),
// consumer({groupId}).subscribe/run({eachMessage}), admin().createTopics(...). Offsets are strings
// and option names are kafkajs's. Time is virtual: an awaited call (send, commit, transaction)
// runs the simulation until it completes, and consumers deliver whenever the simulation runs.
//
// Where the simulation comes from: new Kafka({clientId, sim}) or new Kafka({clientId, cluster})
// share a run with the rest of the page; without either, the Kafka object creates its own
// simulation (seed 1) and a 3-broker cluster, exposed as kafka.sim and kafka.cluster.

import {advanceUntilSettled, createSimulation, SimulationReentryError, WaitTimeoutError, type Simulation} from "../sim/index.js";
import type {AssignorName, TopicPartition} from "./assignors.js";
import {createCluster, type Cluster} from "./cluster.js";
import type {Consumer as ModelConsumer, ConsumerRecord} from "./consumer.js";
import {KafkaConfigError, KafkaError} from "./errors.js";
import type {Headers, TopicConfig} from "./log.js";
import type {Producer as ModelProducer, ProducerRecord as ModelRecord} from "./producer.js";
import type {AcknowledgeError, AcknowledgeType, AcquiredRecord, ShareConsumer as ModelShareConsumer} from "./share-consumer.js";

export interface KafkaConfig {
  clientId?: string;
  /** Ignored by the simulation (its length sets the broker count when no cluster is given). */
  brokers?: string[];
  /** The simulation to run on (a new one with seed 1 if omitted). */
  sim?: Simulation;
  /** An existing simulated cluster (its simulation is used). */
  cluster?: Cluster;
  retry?: RetryOptions;
  requestTimeout?: number;
}

interface RetryOptions {
  retries?: number;
  initialRetryTime?: number;
  maxRetryTime?: number;
  factor?: number;
  multiplier?: number;
}

export interface ProducerConfig {
  /** kafkajs default false (the Java client's default is true since Kafka 3.0). */
  idempotent?: boolean;
  transactionalId?: string;
  transactionTimeout?: number;
  maxInFlightRequests?: number;
  retry?: RetryOptions;
  allowAutoTopicCreation?: boolean;
}

interface Message {
  key?: string | Uint8Array | null;
  value: string | Uint8Array | null;
  partition?: number;
  headers?: Headers;
  /** Milliseconds as a string, as in kafkajs. */
  timestamp?: string;
}

export interface ProducerRecord {
  topic: string;
  messages: Message[];
  /** -1 (all, default), 1 or 0. */
  acks?: number;
  timeout?: number;
  compression?: number;
}

interface TopicMessages {
  topic: string;
  messages: Message[];
}

interface ProducerBatch {
  acks?: number;
  timeout?: number;
  compression?: number;
  topicMessages?: TopicMessages[];
}

export interface RecordMetadata {
  topicName: string;
  partition: number;
  errorCode: number;
  baseOffset?: string;
  logAppendTime?: string;
  logStartOffset?: string;
}

interface Offsets {
  topics: {topic: string; partitions: {partition: number; offset: string}[]}[];
}

export interface Transaction {
  send(record: ProducerRecord): Promise<RecordMetadata[]>;
  sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]>;
  sendOffsets(offsets: Offsets & {consumerGroupId: string}): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
  isActive(): boolean;
}

export interface Producer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  isIdempotent(): boolean;
  send(record: ProducerRecord): Promise<RecordMetadata[]>;
  sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]>;
  transaction(): Promise<Transaction>;
}

export interface ConsumerConfig {
  groupId: string;
  /** kafkajs default 30 s. */
  sessionTimeout?: number;
  rebalanceTimeout?: number;
  heartbeatInterval?: number;
  /** kafkajs default false: consumers read committed data only. */
  readUncommitted?: boolean;
  maxWaitTimeInMs?: number;
  retry?: RetryOptions;
  allowAutoTopicCreation?: boolean;
  /** Not a kafkajs option: the Java assignor to use (kafkajs's own default is round robin). */
  assignor?: AssignorName;
  /**
   * Not a kafkajs option: the Java client's group.protocol. kafkajs speaks only the classic protocol
   * (JoinGroup/SyncGroup); "consumer" (KIP-848, Kafka ≥ 4.0) runs the model's ConsumerGroupHeartbeat
   * member, which a real kafkajs client cannot do. Either spelling is accepted.
   */
  groupProtocol?: "classic" | "consumer";
  "group.protocol"?: "classic" | "consumer";
}

export interface KafkaMessage {
  key: string | Uint8Array | null;
  value: string | Uint8Array | null;
  timestamp: string;
  attributes: number;
  offset: string;
  headers: Headers;
}

export interface EachMessagePayload {
  topic: string;
  partition: number;
  message: KafkaMessage;
  heartbeat(): Promise<void>;
  pause(): () => void;
}

interface Batch {
  topic: string;
  partition: number;
  highWatermark: string;
  messages: KafkaMessage[];
  isEmpty(): boolean;
  firstOffset(): string | null;
  lastOffset(): string;
  offsetLag(): string;
  offsetLagLow(): string;
}

interface EachBatchPayload {
  batch: Batch;
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  pause(): () => void;
  commitOffsetsIfNecessary(offsets?: Offsets): Promise<void>;
  uncommittedOffsets(): Offsets;
  isRunning(): boolean;
  isStale(): boolean;
}

interface ConsumerRunConfig {
  autoCommit?: boolean;
  autoCommitInterval?: number | null;
  autoCommitThreshold?: number | null;
  eachBatchAutoResolve?: boolean;
  partitionsConsumedConcurrently?: number;
  eachMessage?: (payload: EachMessagePayload) => Promise<void>;
  eachBatch?: (payload: EachBatchPayload) => Promise<void>;
}

interface TopicPartitionOffset {
  topic: string;
  partition: number;
  offset: string;
}

export interface Consumer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  subscribe(subscription: {topics: (string | RegExp)[]; fromBeginning?: boolean} | {topic: string | RegExp; fromBeginning?: boolean}): Promise<void>;
  stop(): Promise<void>;
  run(config?: ConsumerRunConfig): Promise<void>;
  commitOffsets(topicPartitions: (TopicPartitionOffset & {metadata?: string | null})[]): Promise<void>;
  seek(topicPartitionOffset: TopicPartitionOffset): void;
  pause(topics: {topic: string; partitions?: number[]}[]): void;
  paused(): {topic: string; partitions: number[]}[];
  resume(topics: {topic: string; partitions?: number[]}[]): void;
  describeGroup(): Promise<{groupId: string; members: {memberId: string; clientId: string; clientHost: string; memberAssignment: Uint8Array; memberMetadata: Uint8Array}[]; protocol: string; protocolType: string; state: string}>;
}

interface ITopicConfig {
  topic: string;
  numPartitions?: number;
  replicationFactor?: number;
  configEntries?: {name: string; value: string}[];
}

export interface Admin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  listTopics(): Promise<string[]>;
  createTopics(options: {validateOnly?: boolean; waitForLeaders?: boolean; timeout?: number; topics: ITopicConfig[]}): Promise<boolean>;
  createPartitions(options: {validateOnly?: boolean; timeout?: number; topicPartitions: {topic: string; count: number; assignments?: number[][]}[]}): Promise<boolean>;
  fetchTopicOffsets(topic: string): Promise<{partition: number; offset: string; high: string; low: string}[]>;
  fetchTopicOffsetsByTimestamp(topic: string, timestamp?: number): Promise<{partition: number; offset: string}[]>;
  fetchOffsets(options: {groupId: string; topics?: string[]}): Promise<{topic: string; partitions: {partition: number; offset: string; metadata: string | null}[]}[]>;
  setOffsets(options: {groupId: string; topic: string; partitions: {partition: number; offset: string}[]}): Promise<void>;
  resetOffsets(options: {groupId: string; topic: string; earliest: boolean}): Promise<void>;
}

// kafkajs's topic config names (Kafka's dotted names) to the model's.
const TOPIC_CONFIG_NAMES: Record<string, keyof TopicConfig> = {
  "segment.bytes": "segmentBytes", "segment.ms": "segmentMs", "retention.ms": "retentionMs", "retention.bytes": "retentionBytes",
  "cleanup.policy": "cleanupPolicy", "delete.retention.ms": "deleteRetentionMs", "min.insync.replicas": "minInsyncReplicas"
};

export class Kafka {
  readonly sim: Simulation;
  readonly cluster: Cluster;
  readonly clientId: string;
  readonly #retry: RetryOptions;

  constructor(config: KafkaConfig = {}) {
    this.clientId = config.clientId ?? "kafkajs";
    this.cluster = config.cluster ?? createCluster(config.sim ?? createSimulation({seed: 1}), {brokers: Math.max(1, config.brokers?.length ?? 3)});
    if (config.sim && config.cluster && config.cluster.sim !== config.sim) throw new KafkaConfigError("sim and cluster must belong together: pass one of them");
    this.sim = this.cluster.sim;
    this.#retry = config.retry ?? {};
  }

  producer(config: ProducerConfig = {}): Producer {
    return new SimProducer(this, config, this.#retry);
  }

  consumer(config: ConsumerConfig): Consumer {
    if (!config || typeof config.groupId !== "string" || config.groupId === "") throw new KafkaConfigError("consumer() needs a groupId (a non-empty string)");
    return new SimConsumer(this, config);
  }

  admin(): Admin {
    return new SimAdmin(this);
  }

  /**
   * A share consumer (KIP-932). kafkajs has none (nor has any client but Java's, as of Kafka 4.2):
   * this one is shaped like the Java KafkaShareConsumer (subscribe, poll, acknowledge, commitSync, close).
   */
  shareConsumer(config: ShareConsumerConfig): ShareConsumer {
    return new SimShareConsumer(this, config);
  }

  /**
   * Resolves `promise` by running the simulation (one virtual ms at a time) until it settles. An
   * answer that needs no virtual time comes back without moving the clock. Inside a running
   * simulation (a consumer's eachMessage) it only awaits: the run is already moving.
   */
  async drive<T>(promise: Promise<T>): Promise<T> {
    let settled = false;
    promise.then(() => (settled = true), () => (settled = true));
    for (let tick = 0; tick < 8 && !settled; tick++) await null;
    if (settled) return promise;
    try {
      return await advanceUntilSettled(this.sim, promise, {stepMs: 1, what: "the answer to a kafkajs request", giveUpWhenIdle: true});
    } catch (error) {
      if (error instanceof SimulationReentryError) return promise;
      if (error instanceof WaitTimeoutError) throw new KafkaError("REQUEST_TIMED_OUT", `${error.message} (a crashed client or an offline partition?)`);
      throw error;
    }
  }
}

function toModelRecords(topic: string, messages: Message[]): ModelRecord[] {
  if (!Array.isArray(messages)) throw new KafkaConfigError(`messages must be an array of {key, value, headers} for topic ${topic}`);
  return messages.map((m) => {
    if (m.timestamp !== undefined && !/^\d+$/.test(m.timestamp)) throw new KafkaConfigError(`timestamp must be a string of milliseconds, got ${JSON.stringify(m.timestamp)}`);
    return {topic, key: m.key ?? null, value: m.value, partition: m.partition, headers: m.headers, timestamp: m.timestamp === undefined ? undefined : Number(m.timestamp)};
  });
}

class SimProducer implements Producer {
  readonly #kafka: Kafka;
  readonly #config: ProducerConfig;
  readonly #retry: RetryOptions;
  readonly #byAcks = new Map<number, ModelProducer>();
  #transaction: Transaction | null = null;

  constructor(kafka: Kafka, config: ProducerConfig, retry: RetryOptions) {
    this.#kafka = kafka;
    this.#config = config;
    this.#retry = {...retry, ...config.retry};
    this.#model(-1);
  }

  // kafkajs takes acks per send; the model fixes it per producer, so one model producer per acks value.
  #model(acks: number): ModelProducer {
    if (![-1, 0, 1].includes(acks)) throw new KafkaConfigError(`acks must be one of -1 (all), 0, 1, got ${acks}`);
    let p = this.#byAcks.get(acks);
    if (!p) {
      const {idempotent = false, transactionalId, transactionTimeout = 60_000} = this.#config;
      if (transactionalId !== undefined && acks !== -1) throw new KafkaConfigError("a transactional producer needs acks -1 (all)");
      p = this.#kafka.cluster.producer({
        clientId: this.#kafka.clientId, acks: acks as 0 | 1 | -1, idempotent: transactionalId !== undefined || idempotent, transactionalId,
        transactionTimeoutMs: transactionTimeout, retries: this.#retry.retries ?? 5, retryBackoffMs: this.#retry.initialRetryTime ?? 300
      });
      this.#byAcks.set(acks, p);
    }
    return p;
  }

  async connect(): Promise<void> {
    const p = this.#model(-1);
    if (p.transactionalId !== undefined && p.producerEpoch < 0) await this.#kafka.drive(p.initTransactions());
  }

  async disconnect(): Promise<void> {
    for (const p of this.#byAcks.values()) p.close();
  }

  isIdempotent(): boolean {
    return this.#model(-1).idempotent;
  }

  send(record: ProducerRecord): Promise<RecordMetadata[]> {
    return this.sendBatch({acks: record.acks, topicMessages: [{topic: record.topic, messages: record.messages}]});
  }

  async sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    if (this.#config.transactionalId !== undefined && !this.#transaction?.isActive()) {
      throw new KafkaError("INVALID_TXN_STATE", "a transactional producer sends inside a transaction: const txn = await producer.transaction(); await txn.send(...)");
    }
    return this.#send(batch);
  }

  async #send(batch: ProducerBatch): Promise<RecordMetadata[]> {
    const records = (batch.topicMessages ?? []).flatMap((t) => toModelRecords(t.topic, t.messages));
    const model = this.#model(batch.acks ?? -1);
    const metadata = await this.#kafka.drive(model.send(records));
    // kafkajs answers once per partition with the batch's base offset.
    const byPartition = new Map<string, RecordMetadata>();
    for (const m of metadata) {
      const k = `${m.topic}-${m.partition}`;
      if (byPartition.has(k)) continue;
      const p = this.#kafka.cluster.partition(m.topic, m.partition);
      byPartition.set(k, {topicName: m.topic, partition: m.partition, errorCode: 0, baseOffset: String(m.offset), logAppendTime: "-1", logStartOffset: String(p.logStartOffset)});
    }
    return [...byPartition.values()];
  }

  async transaction(): Promise<Transaction> {
    const model = this.#model(-1);
    if (model.transactionalId === undefined) throw new KafkaConfigError("transaction() needs a producer with a transactionalId");
    if (this.#transaction?.isActive()) throw new KafkaError("INVALID_TXN_STATE", "a transaction is already open: commit or abort it first");
    if (model.producerEpoch < 0) await this.#kafka.drive(model.initTransactions());
    model.beginTransaction();
    let active = true;
    const end = async (commit: boolean) => {
      await this.#kafka.drive(commit ? model.commitTransaction() : model.abortTransaction());
      active = false;
    };
    const txn: Transaction = {
      send: (record) => this.#send({acks: -1, topicMessages: [{topic: record.topic, messages: record.messages}]}),
      sendBatch: (batch) => this.#send(batch),
      sendOffsets: async ({consumerGroupId, topics}) => {
        const offsets = topics.flatMap((t) => t.partitions.map((p) => ({topic: t.topic, partition: p.partition, offset: Number(p.offset)})));
        await this.#kafka.drive(model.sendOffsetsToTransaction(offsets, consumerGroupId));
      },
      commit: () => end(true),
      abort: () => end(false),
      isActive: () => active
    };
    this.#transaction = txn;
    return txn;
  }
}

const toMessage = (r: ConsumerRecord): KafkaMessage => ({
  key: (r.key ?? null) as KafkaMessage["key"], value: (r.value ?? null) as KafkaMessage["value"], timestamp: String(r.timestamp), attributes: 0, offset: String(r.offset), headers: r.headers ?? {}
});

class SimConsumer implements Consumer {
  readonly #kafka: Kafka;
  readonly #config: ConsumerConfig;
  #model: ModelConsumer | null = null;
  #topics: string[] = [];
  #fromBeginning = false;
  readonly #pendingSeeks = new Map<string, TopicPartitionOffset>();

  constructor(kafka: Kafka, config: ConsumerConfig) {
    this.#kafka = kafka;
    this.#config = config;
  }

  async connect(): Promise<void> {}

  async disconnect(): Promise<void> {
    this.#model?.close();
  }

  async stop(): Promise<void> {
    this.#model?.close();
    this.#model = null;
  }

  async subscribe(subscription: {topics: (string | RegExp)[]; fromBeginning?: boolean} | {topic: string | RegExp; fromBeginning?: boolean}): Promise<void> {
    const patterns = "topics" in subscription ? subscription.topics : [subscription.topic];
    const known = [...this.#kafka.cluster.topics.keys()];
    for (const p of patterns) {
      if (typeof p === "string") {
        this.#kafka.cluster.topic(p);
        this.#topics.push(p);
      } else this.#topics.push(...known.filter((t) => p.test(t)));
    }
    this.#fromBeginning = subscription.fromBeginning ?? false;
  }

  async run(config: ConsumerRunConfig = {}): Promise<void> {
    const {autoCommit = true, autoCommitInterval = null, eachMessage, eachBatch} = config;
    if (!eachMessage === !eachBatch) throw new KafkaConfigError("run() needs exactly one of eachMessage or eachBatch");
    if (this.#topics.length === 0) throw new KafkaConfigError("run() before subscribe(): subscribe to at least one topic first");
    const groupProtocol = this.#config.groupProtocol ?? this.#config["group.protocol"] ?? "classic";
    // With the consumer protocol the broker assigns and times members out: an assignor or sessionTimeout given anyway is refused by the model.
    const classic = groupProtocol === "classic" ? {assignor: this.#config.assignor ?? "roundrobin", sessionTimeoutMs: this.#config.sessionTimeout ?? 30_000} : {assignor: this.#config.assignor, sessionTimeoutMs: this.#config.sessionTimeout};
    const model = this.#kafka.cluster.consumer({
      groupId: this.#config.groupId, clientId: this.#kafka.clientId, groupProtocol, ...classic, isolationLevel: this.#config.readUncommitted ? "read_uncommitted" : "read_committed",
      autoOffsetReset: this.#fromBeginning ? "earliest" : "latest", autoCommit,
      // kafkajs commits after every processed batch unless given an interval.
      autoCommitIntervalMs: autoCommitInterval ?? 1
    });
    this.#model = model;
    model.subscribe(this.#topics);
    const pauseFn = (r: ConsumerRecord) => () => {
      model.pause([{topic: r.topic, partition: r.partition}]);
      return () => model.resume([{topic: r.topic, partition: r.partition}]);
    };
    const handlers = eachMessage
      ? {eachMessage: (r: ConsumerRecord) => eachMessage({topic: r.topic, partition: r.partition, message: toMessage(r), heartbeat: async () => {}, pause: pauseFn(r)})}
      : {
          eachBatch: (records: ConsumerRecord[]) => {
            const first = records[0];
            const p = this.#kafka.cluster.partition(first.topic, first.partition);
            const messages = records.map(toMessage);
            const last = records[records.length - 1].offset;
            return eachBatch!({
              batch: {
                topic: first.topic, partition: first.partition, highWatermark: String(p.highWatermark), messages,
                isEmpty: () => messages.length === 0, firstOffset: () => messages[0]?.offset ?? null, lastOffset: () => String(last),
                offsetLag: () => String(p.highWatermark - 1 - last), offsetLagLow: () => String(p.highWatermark - 1 - first.offset)
              },
              resolveOffset: () => {}, heartbeat: async () => {}, pause: pauseFn(first),
              commitOffsetsIfNecessary: async () => {}, uncommittedOffsets: () => ({topics: []}),
              isRunning: () => model.state === "running", isStale: () => false
            });
          }
        };
    model.run({
      ...handlers,
      onPartitionsAssigned: (partitions: TopicPartition[]) => {
        for (const tp of partitions) {
          const seek = this.#pendingSeeks.get(`${tp.topic}-${tp.partition}`);
          if (seek) {
            this.#pendingSeeks.delete(`${tp.topic}-${tp.partition}`);
            model.seek(tp.topic, tp.partition, Number(seek.offset));
          }
        }
      }
    });
  }

  async commitOffsets(topicPartitions: (TopicPartitionOffset & {metadata?: string | null})[]): Promise<void> {
    if (!this.#model) throw new KafkaError("ILLEGAL_STATE", "commitOffsets() before run()");
    this.#model.commit(topicPartitions.map((tp) => ({topic: tp.topic, partition: tp.partition, offset: Number(tp.offset)})));
  }

  // kafkajs applies a seek on a partition that is not assigned yet once it is.
  seek(tpo: TopicPartitionOffset): void {
    const offset = Number(tpo.offset);
    if (!/^-?\d+$/.test(String(tpo.offset)) || offset < 0) throw new KafkaConfigError(`offset must be a string holding an integer >= 0, got ${JSON.stringify(tpo.offset)}`);
    const model = this.#model;
    if (model && model.assignment().some((tp) => tp.topic === tpo.topic && tp.partition === tpo.partition)) model.seek(tpo.topic, tpo.partition, offset);
    else this.#pendingSeeks.set(`${tpo.topic}-${tpo.partition}`, tpo);
  }

  pause(topics: {topic: string; partitions?: number[]}[]): void {
    this.#model?.pause(this.#select(topics));
  }

  resume(topics: {topic: string; partitions?: number[]}[]): void {
    this.#model?.resume(this.#select(topics));
  }

  paused(): {topic: string; partitions: number[]}[] {
    const byTopic = new Map<string, number[]>();
    for (const tp of this.#model?.paused() ?? []) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
    return [...byTopic].map(([topic, partitions]) => ({topic, partitions}));
  }

  async describeGroup() {
    const g = this.#kafka.cluster.groups.group(this.#config.groupId);
    return {
      groupId: g.groupId, protocol: g.assignor ?? "", protocolType: "consumer", state: g.state,
      // A consumer-protocol group's members too (kafkajs's describeGroups sees only classic groups on a real broker).
      members: [...g.members.values(), ...g.consumers.values()].map((m) => ({memberId: m.memberId, clientId: m.clientId, clientHost: "/sim", memberAssignment: new Uint8Array(), memberMetadata: new Uint8Array()}))
    };
  }

  #select(topics: {topic: string; partitions?: number[]}[]): TopicPartition[] {
    const owned = this.#model?.assignment() ?? [];
    return topics.flatMap(({topic, partitions}) => owned.filter((tp) => tp.topic === topic && (!partitions || partitions.includes(tp.partition))));
  }
}

class SimAdmin implements Admin {
  readonly #kafka: Kafka;

  constructor(kafka: Kafka) {
    this.#kafka = kafka;
  }

  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {}

  async listTopics(): Promise<string[]> {
    return [...this.#kafka.cluster.topics.keys()];
  }

  /** Resolves true when every topic was created, false when some already existed (as kafkajs). */
  async createTopics({topics, validateOnly = false}: {validateOnly?: boolean; topics: ITopicConfig[]}): Promise<boolean> {
    const cluster = this.#kafka.cluster;
    const configs = topics.map((t) => {
      const config: Record<string, unknown> = {};
      for (const {name, value} of t.configEntries ?? []) {
        const key = TOPIC_CONFIG_NAMES[name];
        if (!key) throw new KafkaConfigError(`config entry ${JSON.stringify(name)} is not simulated; known: ${Object.keys(TOPIC_CONFIG_NAMES).join(", ")}`);
        config[key] = key === "cleanupPolicy" ? value : Number(value);
      }
      return config as Partial<TopicConfig>;
    });
    let created = true;
    for (const [i, t] of topics.entries()) {
      if (cluster.topics.has(t.topic)) {
        created = false;
        continue;
      }
      const numPartitions = t.numPartitions === undefined || t.numPartitions === -1 ? 1 : t.numPartitions;
      const replicationFactor = t.replicationFactor === undefined || t.replicationFactor === -1 ? undefined : t.replicationFactor;
      if (!validateOnly) cluster.createTopic(t.topic, {partitions: numPartitions, replicationFactor, config: configs[i]});
    }
    return created;
  }

  /** Grows each topic to `count` partitions; every request is checked before any topic changes. */
  async createPartitions({topicPartitions, validateOnly = false}: {validateOnly?: boolean; topicPartitions: {topic: string; count: number; assignments?: number[][]}[]}): Promise<boolean> {
    const cluster = this.#kafka.cluster;
    for (const {topic, count, assignments} of topicPartitions) {
      if (assignments !== undefined) throw new KafkaConfigError(`assignments are not simulated for topic ${topic}: the cluster places new partitions itself`);
      cluster.createPartitions(topic, count, {validateOnly: true});
    }
    if (!validateOnly) for (const {topic, count} of topicPartitions) cluster.createPartitions(topic, count);
    return true;
  }

  async fetchTopicOffsets(topic: string) {
    return this.#kafka.cluster.topic(topic).partitions.map((p) => ({partition: p.partition, offset: String(p.highWatermark), high: String(p.highWatermark), low: String(p.logStartOffset)}));
  }

  async fetchTopicOffsetsByTimestamp(topic: string, timestamp?: number) {
    return this.#kafka.cluster.topic(topic).partitions.map((p) => ({
      partition: p.partition, offset: String(timestamp === undefined ? p.highWatermark : p.log.offsetForTimestamp(timestamp) ?? p.highWatermark)
    }));
  }

  async fetchOffsets({groupId, topics}: {groupId: string; topics?: string[]}) {
    const cluster = this.#kafka.cluster;
    const names = topics ?? [...cluster.topics.keys()];
    return names.map((topic) => ({
      topic,
      partitions: cluster.topic(topic).partitions.map((p) => ({partition: p.partition, offset: String(cluster.groups.committed(groupId, topic, p.partition) ?? -1), metadata: null}))
    }));
  }

  async setOffsets({groupId, topic, partitions}: {groupId: string; topic: string; partitions: {partition: number; offset: string}[]}): Promise<void> {
    this.#checkEmpty(groupId);
    this.#kafka.cluster.groups.commitOffsets(groupId, partitions.map((p) => ({topic, partition: p.partition, offset: Number(p.offset)})), {admin: true});
  }

  async resetOffsets({groupId, topic, earliest}: {groupId: string; topic: string; earliest: boolean}): Promise<void> {
    this.#checkEmpty(groupId);
    const parts = this.#kafka.cluster.topic(topic).partitions;
    this.#kafka.cluster.groups.commitOffsets(groupId, parts.map((p) => ({topic, partition: p.partition, offset: earliest ? p.logStartOffset : p.highWatermark})), {admin: true});
  }

  // Kafka refuses to move a group's offsets while it has members.
  #checkEmpty(groupId: string): void {
    const g = this.#kafka.cluster.groups.groups.get(groupId);
    const active = g ? g.members.size + g.consumers.size : 0;
    if (active > 0) throw new KafkaError("NON_EMPTY_GROUP", `group ${groupId} has ${active} active members: stop its consumers before setting offsets`);
  }
}

// ---- Share groups (KIP-932): the Java KafkaShareConsumer's shape, since kafkajs has no share consumer ----

export interface ShareConsumerConfig {
  groupId: string;
  /** share.acknowledgement.mode: "implicit" (default) or "explicit". */
  acknowledgementMode?: "implicit" | "explicit";
  /** max.poll.records (default 500). */
  maxPollRecords?: number;
  /**
   * Not a consumer config: share.auto.offset.reset is a group config in Kafka (kafka-configs.sh
   * --entity-type groups --add-config share.auto.offset.reset=earliest); "latest" by default.
   */
  autoOffsetReset?: "earliest" | "latest";
}

export interface ShareConsumer {
  subscribe(topics: string[]): void;
  /** The records acquired for this member (offset as a number, with deliveryCount), or [] after timeoutMs. */
  poll(timeoutMs: number): Promise<AcquiredRecord[]>;
  /** Explicit mode only: ACCEPT (default), RELEASE or REJECT one record of the last poll. */
  acknowledge(record: AcquiredRecord, type?: AcknowledgeType): void;
  /** Sends pending acknowledgements; returns the ones the broker refused. */
  commitSync(): Promise<AcknowledgeError[]>;
  close(): Promise<void>;
}

class SimShareConsumer implements ShareConsumer {
  readonly #kafka: Kafka;
  readonly #model: ModelShareConsumer;

  constructor(kafka: Kafka, config: ShareConsumerConfig) {
    if (!config || typeof config.groupId !== "string" || config.groupId === "") throw new KafkaConfigError("shareConsumer() needs a groupId (a non-empty string)");
    const {groupId, acknowledgementMode, maxPollRecords, autoOffsetReset} = config;
    this.#kafka = kafka;
    this.#model = kafka.cluster.shareConsumer({groupId, clientId: kafka.clientId, acknowledgementMode, maxPollRecords});
    if (autoOffsetReset !== undefined) kafka.cluster.shareGroups.configure(groupId, {autoOffsetReset});
  }

  subscribe(topics: string[]): void {
    if (!Array.isArray(topics)) throw new KafkaConfigError("subscribe() takes an array of topic names, as the Java client's subscribe(Collection<String>)");
    this.#model.subscribe(topics);
  }

  poll(timeoutMs: number): Promise<AcquiredRecord[]> {
    return this.#kafka.drive(this.#model.poll(timeoutMs));
  }

  acknowledge(record: AcquiredRecord, type: AcknowledgeType = "ACCEPT"): void {
    this.#model.acknowledge(record, type);
  }

  commitSync(): Promise<AcknowledgeError[]> {
    return this.#kafka.drive(this.#model.commitSync());
  }

  close(): Promise<void> {
    return this.#kafka.drive(this.#model.close());
  }
}
