// The group coordinator: members join a consumer group, the coordinator bumps the generation,
// the leader's assignor divides the subscribed partitions (JoinGroup/SyncGroup), and committed
// offsets are stored per group. A member that stops heartbeating is removed after its session
// timeout, which starts a rebalance. Eager assignors revoke everything first; cooperative-sticky
// (KIP-429) keeps partitions in place and runs a follow-up rebalance for the ones that move.

import type {Simulation} from "../sim/index.js";
import {assign, isCooperative, ASSIGNORS, type AssignorName, type TopicPartition} from "./assignors.js";
import {KafkaError, checkOneOf} from "./errors.js";
import {partitionOf, type GroupMemberClient, type OffsetToCommit, type TopicMetadata} from "./protocol.js";

type GroupState = "Empty" | "PreparingRebalance" | "Stable";

/** What the coordinator needs of the broker it runs on. */
interface GroupHost {
  readonly sim: Simulation;
  readonly networkMs: number;
  metadata(topic: string): TopicMetadata;
}

interface Member {
  readonly memberId: string;
  readonly clientId: string;
  topics: string[];
  owned: TopicPartition[];
  /** The assignment before an eager revocation: the sticky assignors' user data. */
  previous: TopicPartition[];
  readonly sessionTimeoutMs: number;
  /** False once the client stopped heartbeating (a crash): the session timer is running. */
  alive: boolean;
  readonly client: GroupMemberClient;
}

interface CommittedOffset {
  offset: number;
  metadata: string | null;
  time: number;
}

interface Group {
  readonly groupId: string;
  state: GroupState;
  generation: number;
  assignor: AssignorName | null;
  leader: string | null;
  readonly members: Map<string, Member>;
  readonly offsets: Map<string, CommittedOffset>;
  rebalanceTimer: {id: number; time: number} | null;
}

const tpKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;
const tpName = (tp: TopicPartition) => `${tp.topic}-${tp.partition}`;

export class GroupCoordinator {
  readonly #host: GroupHost;
  readonly groups = new Map<string, Group>();
  #nextMember = 1;

  constructor(host: GroupHost) {
    this.#host = host;
  }

  group(groupId: string): Group {
    let g = this.groups.get(groupId);
    if (!g) {
      g = {groupId, state: "Empty", generation: 0, assignor: null, leader: null, members: new Map(), offsets: new Map(), rebalanceTimer: null};
      this.groups.set(groupId, g);
    }
    return g;
  }

  /** JoinGroup for a new member; returns its member id. A rebalance follows. */
  join(groupId: string, options: {clientId: string; topics: string[]; assignor: AssignorName; sessionTimeoutMs: number; client: GroupMemberClient}): string {
    checkOneOf("partition.assignment.strategy (assignor)", options.assignor, ASSIGNORS);
    for (const t of options.topics) this.#host.metadata(t);
    const g = this.group(groupId);
    if (g.members.size > 0 && g.assignor !== options.assignor) {
      throw new KafkaError("INCONSISTENT_GROUP_PROTOCOL", `group ${groupId} uses assignor ${JSON.stringify(g.assignor)}; a member with ${JSON.stringify(options.assignor)} cannot join`);
    }
    g.assignor = options.assignor;
    const memberId = `${options.clientId}-${this.#nextMember++}`;
    g.members.set(memberId, {memberId, clientId: options.clientId, topics: [...options.topics], owned: [], previous: [], sessionTimeoutMs: options.sessionTimeoutMs, alive: true, client: options.client});
    g.leader ??= memberId;
    this.#host.sim.record("kafka.group.join", {group: groupId, member: memberId, topics: options.topics});
    this.#prepareRebalance(g, "member joined");
    return memberId;
  }

  /** A new subscription for a member (subscribe() again): rebalance. */
  resubscribe(groupId: string, memberId: string, topics: string[]): void {
    for (const t of topics) this.#host.metadata(t);
    const m = this.#member(groupId, memberId);
    m.topics = [...topics];
    this.#prepareRebalance(this.group(groupId), "subscription changed");
  }

  /** LeaveGroup (a clean close): the member goes at once and the group rebalances. */
  leave(groupId: string, memberId: string, reason = "left the group"): void {
    const g = this.group(groupId);
    const m = g.members.get(memberId);
    if (!m) return;
    g.members.delete(memberId);
    if (g.leader === memberId) g.leader = g.members.keys().next().value ?? null;
    this.#host.sim.record("kafka.group.leave", {group: groupId, member: memberId, reason});
    if (g.members.size === 0) {
      g.state = "Empty";
      g.assignor = null;
      if (g.rebalanceTimer) this.#host.sim.cancel(g.rebalanceTimer);
      g.rebalanceTimer = null;
      return;
    }
    this.#prepareRebalance(g, `member ${memberId} ${reason}`);
    this.#tryComplete(g);
  }

  /** The member stopped heartbeating (its process died): it is removed after session.timeout.ms. */
  stopHeartbeats(groupId: string, memberId: string): void {
    const m = this.#member(groupId, memberId);
    if (!m.alive) return;
    m.alive = false;
    this.#host.sim.schedule(m.sessionTimeoutMs, () => {
      if (this.group(groupId).members.get(memberId) === m) this.leave(groupId, memberId, "session timeout");
    });
  }

  /** CreatePartitions on a topic: every group with a member subscribed to it rebalances. */
  partitionsChanged(topic: string): void {
    for (const g of this.groups.values()) {
      if ([...g.members.values()].some((m) => m.topics.includes(topic))) this.#prepareRebalance(g, `partitions of ${topic} changed`);
    }
  }

  /** The generation a member may commit with; -1 while it is not part of a stable group. */
  isCurrent(groupId: string, memberId: string, generation: number): boolean {
    const g = this.groups.get(groupId);
    return !!g && g.members.has(memberId) && g.generation === generation;
  }

  /**
   * OffsetCommit from a group member. A member from an older generation (it was removed, or a
   * rebalance moved on) is refused with ILLEGAL_GENERATION / UNKNOWN_MEMBER_ID: Kafka's
   * CommitFailedException, the reason a slow consumer's work is redone by another.
   */
  commit(groupId: string, memberId: string, generation: number, offsets: OffsetToCommit[]): void {
    const g = this.group(groupId);
    if (!g.members.has(memberId)) throw new KafkaError("UNKNOWN_MEMBER_ID", `member ${memberId} is no longer in group ${groupId}; its offsets were not committed`);
    if (g.generation !== generation) {
      throw new KafkaError("ILLEGAL_GENERATION", `group ${groupId} is at generation ${g.generation} (${g.state}); member ${memberId} committed with generation ${generation}`);
    }
    this.commitOffsets(groupId, offsets, {member: memberId});
  }

  /** Stores offsets without membership checks (a simple consumer, admin setOffsets, or a committed transaction). */
  commitOffsets(groupId: string, offsets: OffsetToCommit[], fields: Record<string, unknown> = {}): void {
    for (const o of offsets) this.#checkOffset(o);
    const g = this.group(groupId);
    const sim = this.#host.sim;
    for (const {topic, partition, offset} of offsets) {
      g.offsets.set(tpKey(topic, partition), {offset, metadata: null, time: sim.now});
      if (sim.trace.enabled) sim.record("kafka.commit", {group: groupId, topic, partition, offset, ...fields});
    }
  }

  /** The committed offset (the next offset the group will read) or undefined. */
  committed(groupId: string, topic: string, partition: number): number | undefined {
    return this.groups.get(groupId)?.offsets.get(tpKey(topic, partition))?.offset;
  }

  /** Current owners: one row per assigned partition. */
  assignment(groupId: string): {member: string; topic: string; partition: number}[] {
    const g = this.groups.get(groupId);
    if (!g) return [];
    return [...g.members.values()].flatMap((m) => m.owned.map((tp) => ({member: m.memberId, topic: tp.topic, partition: tp.partition})));
  }

  #checkOffset(o: OffsetToCommit): void {
    partitionOf(this.#host.metadata(o.topic), o.partition);
    if (!Number.isInteger(o.offset) || o.offset < 0) {
      throw new KafkaError("INVALID_COMMIT_OFFSET", `offset must be an integer >= 0 (the next offset to read) for ${o.topic}-${o.partition}, got ${o.offset}`);
    }
  }

  #member(groupId: string, memberId: string): Member {
    const m = this.groups.get(groupId)?.members.get(memberId);
    if (!m) throw new KafkaError("UNKNOWN_MEMBER_ID", `member ${memberId} is not in group ${groupId}`);
    return m;
  }

  #prepareRebalance(g: Group, reason: string): void {
    if (g.state !== "PreparingRebalance") {
      g.state = "PreparingRebalance";
      this.#host.sim.record("kafka.group.rebalance", {group: g.groupId, generation: g.generation, reason});
      // Eager protocol: every member revokes all it owns before rejoining.
      if (g.assignor && !isCooperative(g.assignor)) {
        for (const m of g.members.values()) {
          if (m.alive && m.owned.length > 0) m.client.revoke(m.owned);
          m.previous = m.owned;
          m.owned = [];
        }
      }
    }
    if (g.rebalanceTimer) return;
    // JoinGroup and SyncGroup round trips; the simulation has members rejoin at once.
    g.rebalanceTimer = this.#host.sim.schedule(4 * this.#host.networkMs, () => {
      g.rebalanceTimer = null;
      this.#tryComplete(g);
    });
  }

  // The rebalance completes once every member has rejoined: a crashed member never does, so the
  // group waits for its session timeout (Kafka waits up to the rebalance timeout).
  #tryComplete(g: Group): void {
    if (g.state !== "PreparingRebalance" || g.rebalanceTimer) return;
    if ([...g.members.values()].some((m) => !m.alive)) return;
    const members = [...g.members.values()];
    const partitionsPerTopic: Record<string, number> = {};
    for (const m of members) for (const t of m.topics) partitionsPerTopic[t] = this.#host.metadata(t).partitions.length;
    g.generation++;
    const result = assign(
      g.assignor!,
      members.map((m) => ({memberId: m.memberId, topics: m.topics, ownedPartitions: isCooperative(g.assignor!) ? m.owned : m.previous, generation: g.generation - 1})),
      partitionsPerTopic
    );
    let revokedAny = false;
    for (const m of members) {
      const next = result[m.memberId] ?? [];
      const keep = new Set(next.map(tpName));
      const revoked = m.owned.filter((tp) => !keep.has(tpName(tp)));
      if (revoked.length > 0) {
        revokedAny = true;
        m.client.revoke(revoked);
      }
      m.owned = next;
      m.previous = next;
    }
    g.state = "Stable";
    const followUp = revokedAny && isCooperative(g.assignor!);
    this.#host.sim.record("kafka.group.sync", {
      group: g.groupId, generation: g.generation, assignor: g.assignor, leader: g.leader, followUp,
      assignment: Object.fromEntries(members.map((m) => [m.memberId, m.owned.map(tpName)]))
    });
    for (const m of members) m.client.assign(g.generation, m.owned);
    // KIP-429: members that gave partitions up rejoin at once, so the next round can hand them out.
    if (followUp) this.#prepareRebalance(g, "cooperative follow-up");
  }
}
