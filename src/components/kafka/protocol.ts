// The requests a client sends to the cluster, named after Kafka's API keys (the protocol guide,
// https://kafka.apache.org/protocol#protocol_api_keys). Producers and consumers hold a
// KafkaProtocol, never the cluster: the cluster implements it and does all broker work (appends,
// replication, markers, offsets), and knows nothing of its clients, as in KafkaJS where
// createProducer({cluster}) gets the cluster and the cluster never sees a producer.
//
// A call is the broker handling the request at the virtual time it arrives. Clients model the
// network themselves: they wait networkMs before calling and again before acting on the answer,
// and they are the ones that lose requests and responses (the faults live client-side).

import type {Simulation} from "../sim/index.js";
import type {AssignorName, TopicPartition} from "./assignors.js";
import {KafkaError} from "./errors.js";
import type {AppendInput, Headers, TopicConfig} from "./log.js";

/** A topic as Metadata (3) and DescribeConfigs (32) describe it. Entries keep their identity, so clients may key maps by them. */
export interface TopicMetadata {
  readonly name: string;
  readonly config: Readonly<TopicConfig>;
  readonly partitions: readonly TopicPartition[];
}

/** What a producer sends for one partition (one record batch). */
export interface ProduceBatch {
  producerId: number;
  producerEpoch: number;
  /** Sequence of the first record; -1 for a non-idempotent producer. */
  baseSequence: number;
  transactional: boolean;
  acks: 0 | 1 | -1;
  /** CreateTime of records that carry none (default: the append time). */
  timestamp?: number;
  records: AppendInput[];
}

/** Produce (API key 0) for one partition. */
export interface ProduceRequest {
  topic: string;
  partition: number;
  /** client.id of the request header. */
  clientId: string;
  batch: ProduceBatch;
  /** For the trace only (not on Kafka's wire): the producer's batch number, each record's index among everything passed to send(), and the attempt. */
  batchId: number;
  sendIndexes: readonly number[];
  attempt: number;
}

export interface ProduceResult {
  error?: KafkaError;
  baseOffset: number;
  /** The broker had this batch already (idempotent retry): nothing was appended. */
  duplicate?: boolean;
}

/** A record as a consumer receives it. */
export interface ConsumerRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  key: unknown;
  value: unknown;
  headers?: Headers;
}

/** Fetch (API key 1) for one partition, up to the high watermark (read_uncommitted) or the last stable offset (read_committed). */
export interface FetchRequest {
  topic: string;
  partition: number;
  fetchOffset: number;
  maxRecords: number;
  isolationLevel: "read_uncommitted" | "read_committed";
}

export interface FetchResponse {
  /** Data records only: control markers, and aborted records under read_committed, are left out. */
  records: ConsumerRecord[];
  /** Where the next fetch starts: past the last record returned, or past skipped markers. */
  nextOffset: number;
}

/** A partition's offsets as the leader reports them (ListOffsets; a Fetch response carries the high watermark and last stable offset too). Live values. */
export interface PartitionOffsetsView {
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly highWatermark: number;
  readonly lastStableOffset: number;
}

export interface OffsetToCommit {
  topic: string;
  partition: number;
  /** The next offset to read (Kafka commits the position, not the last record read). */
  offset: number;
}

/** The two answers a member gets from the group coordinator: SyncGroup's assignment, and the revocation a rebalance asks for. */
export interface GroupMemberClient {
  /** Give these partitions up now (commit their offsets first if you auto-commit). */
  revoke(partitions: TopicPartition[]): void;
  /** The member's partitions for `generation`. */
  assign(generation: number, partitions: TopicPartition[]): void;
}

/** JoinGroup (11); `memberId` null for a new member, or the member's id to rejoin with a new subscription. */
export interface JoinGroupRequest {
  groupId: string;
  memberId: string | null;
  clientId: string;
  topics: string[];
  assignor: AssignorName;
  sessionTimeoutMs: number;
  client: GroupMemberClient;
}

export interface KafkaProtocol {
  readonly sim: Simulation;
  /** One-way delay between a client and a broker, in virtual ms. */
  readonly networkMs: number;
  /** A default client.id, numbered per cluster so that a replay names clients the same way. */
  clientName(kind: string): string;
  /** Metadata (3): the topic, its partitions and config; UNKNOWN_TOPIC_OR_PARTITION if it does not exist. */
  metadata(topic: string): TopicMetadata;
  /** Not a Kafka API: the run's record budget, taken when send() is called so a refused call sends nothing. */
  reserve(records: number): void;
  /** Produce (0): appends unless refused; `respond` is called now (acks 0/1, errors) or once the high watermark passes the batch (acks=all). */
  produce(request: ProduceRequest, respond: (result: ProduceResult) => void): void;
  /** Fetch (1). */
  fetch(request: FetchRequest): FetchResponse;
  /** Fetch's long poll (fetch.max.wait.ms): `listener` runs whenever records become readable; returns the call that stops it. */
  watch(topic: string, partition: number, listener: () => void): () => void;
  /** ListOffsets (2): earliest, latest, high watermark and last stable offset. */
  listOffsets(topic: string, partition: number): PartitionOffsetsView;
  /** ListOffsets (2) with a timestamp: the first offset whose timestamp is >= `timestamp`, or null. */
  offsetForTimestamp(topic: string, partition: number, timestamp: number): number | null;
  /** OffsetCommit (8): from a group member (checked against its generation), or without one (a consumer with no subscription). */
  offsetCommit(groupId: string, offsets: OffsetToCommit[], member?: {memberId: string; generation: number}): void;
  /** OffsetFetch (9): the group's committed offset, or undefined. */
  offsetFetch(groupId: string, topic: string, partition: number): number | undefined;
  /** JoinGroup (11) then SyncGroup (14): the assignment arrives through `client.assign`. Returns the member id. */
  joinGroup(request: JoinGroupRequest): string;
  /** Heartbeat (12), modelled by its absence: the member's heartbeats stop, and the coordinator drops it after session.timeout.ms. */
  stopHeartbeats(groupId: string, memberId: string): void;
  /** LeaveGroup (13). */
  leaveGroup(groupId: string, memberId: string, reason: string): void;
  /** InitProducerId (22): a producer id, and for a transactional.id a new epoch that fences older producers. */
  initProducerId(transactionalId?: string): {producerId: number; producerEpoch: number};
  /** AddPartitionsToTxn (24). */
  addPartitionsToTxn(transactionalId: string, producerEpoch: number, partition: TopicPartition, transactionTimeoutMs: number): void;
  /** AddOffsetsToTxn (25) with its TxnOffsetCommit (28). */
  addOffsetsToTxn(transactionalId: string, producerEpoch: number, groupId: string, offsets: OffsetToCommit[], transactionTimeoutMs: number): void;
  /** EndTxn (26): COMMIT or ABORT markers, and on commit the added offsets. */
  endTxn(transactionalId: string, producerEpoch: number, commit: boolean): void;
}

/** The `partition`-th partition of a topic, or UNKNOWN_TOPIC_OR_PARTITION naming the valid range. */
export function partitionOf<T>(topic: {readonly name: string; readonly partitions: readonly T[]}, partition: number): T {
  const p = topic.partitions[partition];
  if (!p) throw new KafkaError("UNKNOWN_TOPIC_OR_PARTITION", `partition must be an integer in [0, ${topic.partitions.length - 1}] for topic ${topic.name}, got ${partition}`);
  return p;
}

// ---- Share groups (KIP-932, "Queues for Kafka"; production-ready in Kafka 4.2) ----
// Separate from KafkaProtocol so that a client of one kind needs only its own requests.

/** How a share consumer settles a record it acquired (KIP-932's AcknowledgeType). */
export type AcknowledgeType = "ACCEPT" | "RELEASE" | "REJECT";

/** ShareGroupHeartbeat (76): joins (memberId null), refreshes the assignment, or leaves (`leaving`). */
export interface ShareGroupHeartbeatRequest {
  groupId: string;
  memberId: string | null;
  clientId: string;
  topics: string[];
  /** Kafka sends MemberEpoch -1: the member leaves and its acquired records are released. */
  leaving?: boolean;
}

export interface ShareGroupHeartbeatResponse {
  memberId: string;
  /** The partitions this member may fetch from; other members of the group may share each of them. */
  assignment: TopicPartition[];
}

export interface ShareAcknowledgement {
  topic: string;
  partition: number;
  offset: number;
  type: AcknowledgeType;
}

/** A record as a share consumer receives it: acquired for the lock duration, with its delivery count. */
export interface AcquiredRecord extends ConsumerRecord {
  /** 1 on the first delivery; a released or lock-expired record comes back with a higher one. */
  deliveryCount: number;
}

/** ShareFetch (78) for one partition, carrying the member's pending acknowledgements as Kafka's does. */
export interface ShareFetchRequest {
  groupId: string;
  memberId: string;
  topic: string;
  partition: number;
  maxRecords: number;
  acknowledgements: ShareAcknowledgement[];
}

/** An acknowledgement the share-partition refused (INVALID_RECORD_STATE: not acquired by this member, or its lock expired). */
export interface AcknowledgeError extends ShareAcknowledgement {
  code: string;
}

export interface ShareFetchResponse {
  records: AcquiredRecord[];
  acknowledgeErrors: AcknowledgeError[];
}

export interface ShareGroupProtocol extends Pick<KafkaProtocol, "sim" | "networkMs" | "clientName" | "metadata" | "watch"> {
  /** ShareGroupHeartbeat (76). */
  shareGroupHeartbeat(request: ShareGroupHeartbeatRequest): ShareGroupHeartbeatResponse;
  /** ShareFetch (78): acknowledges, then acquires up to maxRecords records of one share-partition. */
  shareFetch(request: ShareFetchRequest): ShareFetchResponse;
  /** ShareAcknowledge (79): acknowledgements without a fetch (commitSync, close). */
  shareAcknowledge(groupId: string, memberId: string, acknowledgements: ShareAcknowledgement[]): AcknowledgeError[];
  /** The member's heartbeats stop (a crash): the coordinator drops it after its session timeout. */
  stopShareHeartbeats(groupId: string, memberId: string): void;
}
