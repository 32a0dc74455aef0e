// Share groups (KIP-932, "Queues for Kafka", production-ready in Apache Kafka 4.2): many members
// read the same partitions, and the broker keeps per-record delivery state instead of one offset
// per partition. This file is the broker side: the share group coordinator (membership and
// assignment) and each share-partition's in-flight window (SharePartition.java in apache/kafka).
//
// A share-partition reads the same log as every consumer group: nothing is copied. Its state is
// a window [SPSO, SPEO) of records in flight: the share-partition start offset (SPSO), below which
// every record is settled, and the end offset (SPEO), the next record never yet acquired. Each
// record in the window is Available, Acquired (by one member, until its lock expires),
// Acknowledged, or Archived; the SPSO moves past Acknowledged and Archived records.
//
// What a share group does NOT give, by design (KIP-932 "Non-goals" and the 4.2 docs):
// - no per-key order: records of one partition are handed to several members at once, and a
//   released record comes back after later ones were processed;
// - no offsets to seek or commit: the broker's window is the only position (an administrator can
//   reset the SPSO with kafka-share-groups.sh, not a member);
// - no transactions on the read side: acknowledgements are not part of a producer's transaction.
//   `share.isolation.level` read_committed only hides aborted and open transactional records,
//   exactly as a consumer's read_committed fetch does (this model reuses that fetch).

import type {Simulation, Timer} from "../sim/index.js";
import type {TopicPartition} from "./assignors.js";
import {KafkaConfigError, KafkaError, checkInteger, checkMs, checkOneOf} from "./errors.js";
import type {
  AcknowledgeError, AcknowledgeType, AcquiredRecord, ConsumerRecord, KafkaProtocol, ShareAcknowledgement, ShareFetchRequest, ShareFetchResponse,
  ShareGroupHeartbeatRequest, ShareGroupHeartbeatResponse
} from "./protocol.js";

/** What the coordinator needs of the cluster: the log, read as a fetch reads it. */
type ShareBroker = Pick<KafkaProtocol, "sim" | "fetch" | "listOffsets" | "metadata">;

/** A share group's configuration, named as Kafka's group/broker configs in camelCase. */
export interface ShareGroupConfig {
  /** group.share.record.lock.duration.ms: how long an acquired record stays locked to its member (default 30 s). */
  recordLockDurationMs: number;
  /** group.share.delivery.count.limit: deliveries after which a released or expired record is archived (default 5). */
  deliveryCountLimit: number;
  /** group.share.partition.max.record.locks: the widest in-flight window, SPEO - SPSO (default 2000 in Kafka 4.2's ShareGroupConfig; 200 in the first releases). */
  partitionMaxRecordLocks: number;
  /** share.auto.offset.reset: where the SPSO starts when the group first reads a partition (default "latest"). */
  autoOffsetReset: "earliest" | "latest";
  /** share.isolation.level (default "read_uncommitted"). */
  isolationLevel: "read_uncommitted" | "read_committed";
  /** group.share.session.timeout.ms: a member whose heartbeats stop is dropped after this (default 45 s). */
  sessionTimeoutMs: number;
}

export const SHARE_GROUP_DEFAULTS: Readonly<ShareGroupConfig> = {
  recordLockDurationMs: 30_000,
  deliveryCountLimit: 5,
  partitionMaxRecordLocks: 2000,
  autoOffsetReset: "latest",
  isolationLevel: "read_uncommitted",
  sessionTimeoutMs: 45_000
};

function shareGroupConfig(overrides: Partial<ShareGroupConfig>): ShareGroupConfig {
  for (const name of Object.keys(overrides)) {
    if (!(name in SHARE_GROUP_DEFAULTS)) throw new KafkaConfigError(`unknown share group config ${JSON.stringify(name)}; known: ${Object.keys(SHARE_GROUP_DEFAULTS).join(", ")}`);
  }
  const c = {...SHARE_GROUP_DEFAULTS, ...overrides};
  // Kafka accepts locks from 1 s (ShareGroupConfig); the model takes shorter ones so tests run fast.
  checkMs("recordLockDurationMs (group.share.record.lock.duration.ms)", c.recordLockDurationMs, 1);
  checkInteger("deliveryCountLimit (group.share.delivery.count.limit)", c.deliveryCountLimit, 2, 10);
  checkInteger("partitionMaxRecordLocks (group.share.partition.max.record.locks)", c.partitionMaxRecordLocks, 1, 10_000);
  checkOneOf("autoOffsetReset (share.auto.offset.reset)", c.autoOffsetReset, ["earliest", "latest"]);
  checkOneOf("isolationLevel (share.isolation.level)", c.isolationLevel, ["read_uncommitted", "read_committed"]);
  checkMs("sessionTimeoutMs (group.share.session.timeout.ms)", c.sessionTimeoutMs, 1);
  return c;
}

export type DeliveryState = "AVAILABLE" | "ACQUIRED" | "ACKNOWLEDGED" | "ARCHIVED";

interface InFlightRecord {
  record: ConsumerRecord;
  state: DeliveryState;
  deliveryCount: number;
  member: string | null;
  lock: Timer | null;
}

/** One record of the window, as a chart or a test reads it. */
export interface InFlightView {
  offset: number;
  state: DeliveryState;
  deliveryCount: number;
  member: string | null;
}

/** One share-partition: a group's delivery state over one partition's log. */
export class SharePartition {
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
  /** SPSO: every record below it is settled (acknowledged or archived). */
  startOffset: number;
  /** SPEO: the next offset never yet acquired. */
  endOffset: number;
  readonly #records = new Map<number, InFlightRecord>();
  readonly #broker: ShareBroker;
  readonly #config: ShareGroupConfig;

  constructor(broker: ShareBroker, groupId: string, topic: string, partition: number, config: ShareGroupConfig) {
    this.#broker = broker;
    this.#config = config;
    this.groupId = groupId;
    this.topic = topic;
    this.partition = partition;
    const offsets = broker.listOffsets(topic, partition);
    // share.auto.offset.reset applies once, when the share-partition is initialised: with the
    // default "latest", records written before the group first reads are never delivered to it.
    this.startOffset = this.endOffset = config.autoOffsetReset === "earliest" ? offsets.logStartOffset : offsets.highWatermark;
  }

  get #sim(): Simulation {
    return this.#broker.sim;
  }

  /**
   * Acquires up to `max` records for `member`: Available records in the window first (lowest
   * offset first, redeliveries included), then new records from the SPEO while the window is
   * narrower than partitionMaxRecordLocks. Each acquisition counts a delivery and starts a lock.
   */
  acquire(member: string, max: number): AcquiredRecord[] {
    const acquired: AcquiredRecord[] = [];
    for (const [offset, r] of this.#records) {
      if (acquired.length >= max) return acquired;
      if (r.state === "AVAILABLE") acquired.push(this.#lock(offset, r, member));
    }
    const {isolationLevel, partitionMaxRecordLocks} = this.#config;
    const room = Math.min(max - acquired.length, this.startOffset + partitionMaxRecordLocks - this.endOffset);
    if (room <= 0) return acquired;
    const {records, nextOffset} = this.#broker.fetch({topic: this.topic, partition: this.partition, fetchOffset: this.endOffset, maxRecords: room, isolationLevel});
    // Offsets the fetch skipped (transaction markers, aborted or compacted records) are never in
    // flight: the window just moves past them.
    this.endOffset = nextOffset;
    for (const record of records) {
      const r: InFlightRecord = {record, state: "AVAILABLE", deliveryCount: 0, member: null, lock: null};
      this.#records.set(record.offset, r);
      acquired.push(this.#lock(record.offset, r, member));
    }
    this.#advance();
    return acquired;
  }

  /** Applies one acknowledgement; a refused one returns its error code. */
  acknowledge(member: string, offset: number, type: AcknowledgeType): string | null {
    const r = this.#records.get(offset);
    // Kafka answers INVALID_RECORD_STATE for a record this member does not hold: never acquired,
    // already settled, or its lock expired and it went back to Available (or to another member).
    if (!r || r.state !== "ACQUIRED" || r.member !== member) return "INVALID_RECORD_STATE";
    this.#unlock(r);
    this.#sim.record("kafka.share.acknowledge", {group: this.groupId, member, topic: this.topic, partition: this.partition, offset, type, deliveryCount: r.deliveryCount});
    if (type === "ACCEPT") r.state = "ACKNOWLEDGED";
    else if (type === "REJECT") this.#archive(offset, r, "REJECT");
    else this.#makeAvailable(offset, r);
    this.#advance();
    return null;
  }

  /** The member left or was dropped: everything it holds is released, delivery counts kept. */
  releaseAll(member: string, reason: "leave" | "session-timeout"): void {
    for (const [offset, r] of this.#records) {
      if (r.state !== "ACQUIRED" || r.member !== member) continue;
      this.#unlock(r);
      this.#sim.record("kafka.share.release", {group: this.groupId, member, topic: this.topic, partition: this.partition, offset, deliveryCount: r.deliveryCount, reason});
      this.#makeAvailable(offset, r);
    }
    this.#advance();
  }

  /** The window, in offset order. */
  inFlight(): InFlightView[] {
    return [...this.#records].map(([offset, r]) => ({offset, state: r.state, deliveryCount: r.deliveryCount, member: r.member}));
  }

  #lock(offset: number, r: InFlightRecord, member: string): AcquiredRecord {
    r.state = "ACQUIRED";
    r.member = member;
    r.deliveryCount++;
    r.lock = this.#sim.schedule(this.#config.recordLockDurationMs, () => {
      r.lock = null;
      this.#sim.record("kafka.share.lock-expired", {group: this.groupId, member, topic: this.topic, partition: this.partition, offset, deliveryCount: r.deliveryCount});
      this.#makeAvailable(offset, r);
      this.#advance();
    });
    const {record} = r;
    this.#sim.record("kafka.share.acquire", {group: this.groupId, member, topic: this.topic, partition: this.partition, offset, deliveryCount: r.deliveryCount, key: record.key, value: record.value});
    return {...record, deliveryCount: r.deliveryCount};
  }

  #unlock(r: InFlightRecord): void {
    if (r.lock) this.#sim.cancel(r.lock);
    r.lock = null;
  }

  // RELEASE, lock expiry and a member leaving all return the record to Available, unless it has
  // been delivered deliveryCountLimit times: then it is archived and never delivered again
  // (KIP-932, "Delivery counts"; SharePartition.java checks the count when the attempt ends).
  #makeAvailable(offset: number, r: InFlightRecord): void {
    r.member = null;
    if (r.deliveryCount >= this.#config.deliveryCountLimit) this.#archive(offset, r, "delivery-count-limit");
    else r.state = "AVAILABLE";
  }

  #archive(offset: number, r: InFlightRecord, reason: "REJECT" | "delivery-count-limit"): void {
    r.state = "ARCHIVED";
    this.#sim.record("kafka.share.archive", {group: this.groupId, topic: this.topic, partition: this.partition, offset, deliveryCount: r.deliveryCount, reason});
  }

  // The SPSO moves past the settled prefix of the window; those records leave the state.
  #advance(): void {
    for (const [offset, r] of this.#records) {
      if (r.state !== "ACKNOWLEDGED" && r.state !== "ARCHIVED") {
        this.startOffset = offset;
        return;
      }
      this.#records.delete(offset);
    }
    this.startOffset = this.endOffset;
  }
}

interface ShareMember {
  topics: string[];
  sessionTimer: Timer | null;
}

interface ShareGroup {
  readonly groupId: string;
  config: ShareGroupConfig;
  readonly members: Map<string, ShareMember>;
  /** "topic/partition" -> its share-partition, created when a member first fetches it. */
  readonly partitions: Map<string, SharePartition>;
}

/** The share group coordinator and the share-partitions' state (in Kafka, on each partition's leader). */
export class ShareGroupCoordinator {
  readonly #broker: ShareBroker;
  readonly #groups = new Map<string, ShareGroup>();
  #nextMember = 0;

  constructor(broker: ShareBroker) {
    this.#broker = broker;
  }

  /** IncrementalAlterConfigs on the group (kafka-configs.sh --entity-type groups): before the group reads, or it applies to new share-partitions only. */
  configure(groupId: string, overrides: Partial<ShareGroupConfig>): ShareGroupConfig {
    const group = this.#group(groupId);
    group.config = shareGroupConfig({...group.config, ...overrides});
    return group.config;
  }

  heartbeat({groupId, memberId, clientId, topics, leaving = false}: ShareGroupHeartbeatRequest): ShareGroupHeartbeatResponse {
    const group = this.#group(groupId);
    if (memberId !== null && !group.members.has(memberId)) throw new KafkaError("UNKNOWN_MEMBER_ID", `member ${memberId} is not in share group ${groupId} (it was dropped after its session timeout)`);
    if (leaving) {
      if (memberId !== null) this.#remove(group, memberId, "leave");
      return {memberId: memberId ?? "", assignment: []};
    }
    for (const t of topics) this.#broker.metadata(t);
    const id = memberId ?? `${clientId}-share-${++this.#nextMember}`;
    const known = group.members.has(id);
    group.members.set(id, {topics: [...topics], sessionTimer: null});
    if (!known) this.#broker.sim.record("kafka.share.join", {group: groupId, member: id, topics: [...topics]});
    return {memberId: id, assignment: this.#assignment(topics)};
  }

  fetch({groupId, memberId, topic, partition, maxRecords, acknowledgements}: ShareFetchRequest): ShareFetchResponse {
    const group = this.#member(groupId, memberId);
    const acknowledgeErrors = this.#acknowledge(group, memberId, acknowledgements);
    if (!group.members.get(memberId)!.topics.includes(topic)) throw new KafkaError("INVALID_REQUEST", `member ${memberId} is not subscribed to ${topic}`);
    return {records: this.sharePartition(groupId, topic, partition).acquire(memberId, maxRecords), acknowledgeErrors};
  }

  acknowledge(groupId: string, memberId: string, acknowledgements: ShareAcknowledgement[]): AcknowledgeError[] {
    return this.#acknowledge(this.#member(groupId, memberId), memberId, acknowledgements);
  }

  /** A crash: no more heartbeats. After the session timeout the member is dropped and what it still holds is released. */
  stopHeartbeats(groupId: string, memberId: string): void {
    const group = this.#member(groupId, memberId);
    const m = group.members.get(memberId)!;
    m.sessionTimer ??= this.#broker.sim.schedule(group.config.sessionTimeoutMs, () => this.#remove(group, memberId, "session-timeout"));
  }

  /** The group's share-partition for one partition (created at the SPSO share.auto.offset.reset gives). */
  sharePartition(groupId: string, topic: string, partition: number): SharePartition {
    const group = this.#group(groupId);
    const key = `${topic}/${partition}`;
    let sp = group.partitions.get(key);
    if (!sp) group.partitions.set(key, (sp = new SharePartition(this.#broker, groupId, topic, partition, group.config)));
    return sp;
  }

  members(groupId: string): string[] {
    return [...(this.#groups.get(groupId)?.members.keys() ?? [])];
  }

  // KIP-932's assignor for share groups gives partitions to members without the one-owner rule of
  // consumer groups. Modelled here as its simplest form: every member gets every partition of its
  // topics (Kafka 4.2's SimpleAssignor also spreads partitions when members are fewer than
  // partitions; with as many members as partitions or more, as in 11.3, each partition is shared).
  #assignment(topics: string[]): TopicPartition[] {
    return topics.flatMap((topic) => this.#broker.metadata(topic).partitions.map((p) => ({topic, partition: p.partition})));
  }

  #acknowledge(group: ShareGroup, memberId: string, acknowledgements: ShareAcknowledgement[]): AcknowledgeError[] {
    const errors: AcknowledgeError[] = [];
    for (const a of acknowledgements) {
      checkOneOf("acknowledge type", a.type, ["ACCEPT", "RELEASE", "REJECT"]);
      const code = this.sharePartition(group.groupId, a.topic, a.partition).acknowledge(memberId, a.offset, a.type);
      if (code) errors.push({...a, code});
    }
    return errors;
  }

  #remove(group: ShareGroup, memberId: string, reason: "leave" | "session-timeout"): void {
    const m = group.members.get(memberId);
    if (!m) return;
    if (m.sessionTimer) this.#broker.sim.cancel(m.sessionTimer);
    group.members.delete(memberId);
    for (const sp of group.partitions.values()) sp.releaseAll(memberId, reason);
    this.#broker.sim.record("kafka.share.leave", {group: group.groupId, member: memberId, reason});
  }

  #group(groupId: string): ShareGroup {
    if (typeof groupId !== "string" || groupId === "") throw new KafkaConfigError(`group.id must be a non-empty string, got ${JSON.stringify(groupId)}`);
    let group = this.#groups.get(groupId);
    if (!group) this.#groups.set(groupId, (group = {groupId, config: {...SHARE_GROUP_DEFAULTS}, members: new Map(), partitions: new Map()}));
    return group;
  }

  #member(groupId: string, memberId: string): ShareGroup {
    const group = this.#group(groupId);
    if (!group.members.has(memberId)) throw new KafkaError("UNKNOWN_MEMBER_ID", `member ${memberId} is not in share group ${groupId}`);
    return group;
  }
}
