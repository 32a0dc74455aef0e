// The group coordinator: members join a consumer group, the coordinator bumps the generation,
// the leader's assignor divides the subscribed partitions (JoinGroup/SyncGroup), and committed
// offsets are stored per group. A member that stops heartbeating is removed after its session
// timeout, which starts a rebalance. Eager assignors revoke everything first; cooperative-sticky
// (KIP-429) keeps partitions in place and runs a follow-up rebalance for the ones that move.
//
// Beside it, the consumer group protocol of KIP-848 (group.protocol=consumer, GA in Kafka 4.0): no
// JoinGroup/SyncGroup barrier. Members send ConsumerGroupHeartbeat; a change of membership bumps the
// group epoch and the coordinator computes a target assignment with a server-side assignor; each
// member then converges on its target one heartbeat at a time (see #reconcile).

import type {Simulation} from "../sim/index.js";
import type {Timer} from "../sim/index.js";
import {assign, isCooperative, serverAssign, ASSIGNORS, SERVER_ASSIGNORS, type AssignorName, type ServerAssignorName, type TopicPartition} from "./assignors.js";
import {KafkaError, checkMs, checkOneOf} from "./errors.js";
import {partitionOf, type ConsumerGroupHeartbeatRequest, type ConsumerGroupHeartbeatResponse, type GroupMemberClient, type OffsetToCommit, type TopicMetadata} from "./protocol.js";

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
  /** heartbeat.interval.ms: a member learns of a rebalance at its next heartbeat (0: at once). */
  readonly heartbeatIntervalMs: number;
  readonly joinedAt: number;
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
  /** KIP-848: bumped on every change of membership, subscription or metadata. */
  groupEpoch: number;
  /** The group epoch `target` was computed for. */
  targetEpoch: number;
  /** The target assignment: memberId → partitions. */
  readonly target: Map<string, TopicPartition[]>;
  /** Members of the consumer protocol, in join order (a group holds members of one protocol). */
  readonly consumers: Map<string, ConsumerMember>;
}

/** A member of the consumer protocol as the coordinator sees it (ConsumerGroupMember). */
interface ConsumerMember {
  readonly memberId: string;
  readonly clientId: string;
  topics: string[];
  serverAssignor: ServerAssignorName | null;
  memberEpoch: number;
  previousEpoch: number;
  /** Partitions the member may own now. */
  assigned: TopicPartition[];
  /** Partitions it must give up: still its own until a heartbeat no longer lists them. */
  revoking: TopicPartition[];
  sessionTimer: Timer | null;
}

/** The consumer protocol's broker configs (KIP-848; Kafka 4.0 defaults). */
export interface ConsumerGroupConfig {
  /** group.consumer.heartbeat.interval.ms (default 5000). */
  heartbeatIntervalMs?: number;
  /** group.consumer.session.timeout.ms (default 45000). */
  sessionTimeoutMs?: number;
  /** group.consumer.assignors: the first is the default (default ["uniform", "range"]). */
  assignors?: ServerAssignorName[];
}

const tpKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;
const tpName = (tp: TopicPartition) => `${tp.topic}-${tp.partition}`;

export class GroupCoordinator {
  readonly #host: GroupHost;
  readonly groups = new Map<string, Group>();
  readonly consumerConfig: Readonly<Required<ConsumerGroupConfig>>;
  #nextMember = 1;

  constructor(host: GroupHost, {heartbeatIntervalMs = 5_000, sessionTimeoutMs = 45_000, assignors = [...SERVER_ASSIGNORS]}: ConsumerGroupConfig = {}) {
    this.#host = host;
    for (const a of assignors) checkOneOf("group.consumer.assignors", a, SERVER_ASSIGNORS);
    if (assignors.length === 0) throw new KafkaError("INVALID_CONFIG", "group.consumer.assignors needs at least one assignor");
    this.consumerConfig = {heartbeatIntervalMs: checkMs("group.consumer.heartbeat.interval.ms", heartbeatIntervalMs, 1), sessionTimeoutMs: checkMs("group.consumer.session.timeout.ms", sessionTimeoutMs, 1), assignors};
  }

  group(groupId: string): Group {
    let g = this.groups.get(groupId);
    if (!g) {
      g = {groupId, state: "Empty", generation: 0, assignor: null, leader: null, members: new Map(), offsets: new Map(), rebalanceTimer: null, groupEpoch: 0, targetEpoch: 0, target: new Map(), consumers: new Map()};
      this.groups.set(groupId, g);
    }
    return g;
  }

  /** JoinGroup for a new member; returns its member id. A rebalance follows. */
  join(groupId: string, options: {clientId: string; topics: string[]; assignor: AssignorName; sessionTimeoutMs: number; heartbeatIntervalMs?: number; client: GroupMemberClient}): string {
    checkOneOf("partition.assignment.strategy (assignor)", options.assignor, ASSIGNORS);
    for (const t of options.topics) this.#host.metadata(t);
    const g = this.group(groupId);
    this.#checkProtocol(g, "classic");
    if (g.members.size > 0 && g.assignor !== options.assignor) {
      throw new KafkaError("INCONSISTENT_GROUP_PROTOCOL", `group ${groupId} uses assignor ${JSON.stringify(g.assignor)}; a member with ${JSON.stringify(options.assignor)} cannot join`);
    }
    g.assignor = options.assignor;
    const memberId = `${options.clientId}-${this.#nextMember++}`;
    g.members.set(memberId, {memberId, clientId: options.clientId, topics: [...options.topics], owned: [], previous: [], sessionTimeoutMs: options.sessionTimeoutMs, heartbeatIntervalMs: options.heartbeatIntervalMs ?? 0, joinedAt: this.#host.sim.now, alive: true, client: options.client});
    g.leader ??= memberId;
    this.#host.sim.record("kafka.group.join", {group: groupId, member: memberId, topics: options.topics});
    this.#prepareRebalance(g, "member joined", new Set([memberId]));
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
    if (g.consumers.has(memberId)) return this.#removeConsumer(g, g.consumers.get(memberId)!, reason);
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
    // A consumer-protocol member heartbeats by itself: once silent, its session timer runs out.
    if (this.groups.get(groupId)?.consumers.has(memberId)) return;
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
      if ([...g.consumers.values()].some((m) => m.topics.includes(topic))) this.#bumpGroupEpoch(g);
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
    const consumer = g.consumers.get(memberId);
    if (consumer) {
      // KIP-848: OffsetCommit carries the member epoch in place of the generation.
      if (generation !== consumer.memberEpoch) throw new KafkaError("STALE_MEMBER_EPOCH", `member ${memberId} of group ${groupId} is at epoch ${consumer.memberEpoch}; it committed with epoch ${generation}`);
      return this.commitOffsets(groupId, offsets, {member: memberId});
    }
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
    const owners = [...g.members.values()].map((m) => ({memberId: m.memberId, owned: m.owned}));
    for (const m of g.consumers.values()) owners.push({memberId: m.memberId, owned: [...m.assigned, ...m.revoking]});
    return owners.flatMap((m) => m.owned.map((tp) => ({member: m.memberId, topic: tp.topic, partition: tp.partition})));
  }

  /** The consumer protocol's target assignment ("topic-partition" names per member) and its epoch. */
  targetAssignment(groupId: string): {epoch: number; assignment: Record<string, string[]>} {
    const g = this.groups.get(groupId);
    return {epoch: g?.targetEpoch ?? 0, assignment: Object.fromEntries([...(g?.target ?? [])].map(([id, tps]) => [id, tps.map(tpName)]))};
  }

  /**
   * ConsumerGroupHeartbeat (68). memberEpoch 0 joins, -1 leaves; otherwise the heartbeat lists the
   * partitions the member owns, which is how it acknowledges a revocation. The answer is the
   * partitions it may own now and its member epoch.
   */
  heartbeat(request: ConsumerGroupHeartbeatRequest): ConsumerGroupHeartbeatResponse {
    const {groupId, memberId, memberEpoch, topics} = request;
    const g = this.group(groupId);
    this.#checkProtocol(g, "consumer");
    const interval = this.consumerConfig.heartbeatIntervalMs;
    let m = g.consumers.get(memberId);
    if (memberEpoch === -1) {
      if (m) this.#removeConsumer(g, m, "left the group");
      return {memberId, memberEpoch: -1, heartbeatIntervalMs: interval, assignment: []};
    }
    if (memberEpoch === 0) {
      for (const t of topics) this.#host.metadata(t);
      if (request.serverAssignor !== null) checkOneOf("group.remote.assignor", request.serverAssignor, this.consumerConfig.assignors);
      if (m) this.#removeConsumer(g, m, "rejoined");
      m = {memberId, clientId: request.clientId, topics: [...topics], serverAssignor: request.serverAssignor, memberEpoch: 0, previousEpoch: 0, assigned: [], revoking: [], sessionTimer: null};
      g.consumers.set(memberId, m);
      this.#host.sim.record("kafka.group.join", {group: groupId, member: memberId, topics});
      this.#bumpGroupEpoch(g);
    } else if (!m) {
      return {error: new KafkaError("UNKNOWN_MEMBER_ID", `member ${memberId} is not in group ${groupId} (its session expired?)`), memberId, memberEpoch, heartbeatIntervalMs: interval, assignment: []};
    } else if (memberEpoch !== m.memberEpoch && memberEpoch !== m.previousEpoch) {
      return {error: new KafkaError("FENCED_MEMBER_EPOCH", `member ${memberId} sent epoch ${memberEpoch}; the coordinator has ${m.memberEpoch}`), memberId, memberEpoch, heartbeatIntervalMs: interval, assignment: []};
    } else if (topics.join("\u0000") !== m.topics.join("\u0000")) {
      for (const t of topics) this.#host.metadata(t);
      m.topics = [...topics];
      this.#bumpGroupEpoch(g);
    }
    // The revocation is acknowledged once the member no longer lists the partitions as owned.
    const owned = new Set(request.ownedPartitions.map(tpName));
    if (m.revoking.length > 0 && !m.revoking.some((tp) => owned.has(tpName(tp)))) m.revoking = [];
    this.#reconcile(g, m);
    this.#resetSession(g, m);
    return {memberId, memberEpoch: m.memberEpoch, heartbeatIntervalMs: interval, assignment: [...m.assigned]};
  }

  #checkProtocol(g: Group, protocol: "classic" | "consumer"): void {
    const other = protocol === "classic" ? g.consumers.size : g.members.size;
    // Kafka can convert a group between protocols (group.consumer.migration.policy); the model does not.
    if (other > 0) throw new KafkaError("INCONSISTENT_GROUP_PROTOCOL", `group ${g.groupId} has members of the ${protocol === "classic" ? "consumer" : "classic"} protocol; a ${protocol} member cannot join it`);
  }

  #resetSession(g: Group, m: ConsumerMember): void {
    const sim = this.#host.sim;
    if (m.sessionTimer) sim.cancel(m.sessionTimer);
    m.sessionTimer = sim.schedule(this.consumerConfig.sessionTimeoutMs, () => {
      if (g.consumers.get(m.memberId) === m) this.#removeConsumer(g, m, "session timeout");
    }, {background: true});
  }

  #removeConsumer(g: Group, m: ConsumerMember, reason: string): void {
    if (m.sessionTimer) this.#host.sim.cancel(m.sessionTimer);
    g.consumers.delete(m.memberId);
    g.target.delete(m.memberId);
    this.#host.sim.record("kafka.group.leave", {group: g.groupId, member: m.memberId, reason});
    this.#bumpGroupEpoch(g);
  }

  // A new group epoch and its target assignment (TargetAssignmentBuilder): the assignor starts from
  // each member's current target, so partitions stay where they are unless balance moves them.
  #bumpGroupEpoch(g: Group): void {
    g.groupEpoch++;
    const members = [...g.consumers.values()];
    const assignor = members.find((m) => m.serverAssignor !== null)?.serverAssignor ?? this.consumerConfig.assignors[0];
    const partitionsPerTopic: Record<string, number> = {};
    for (const m of members) for (const t of m.topics) partitionsPerTopic[t] = this.#host.metadata(t).partitions.length;
    const target = serverAssign(assignor, members.map((m) => ({memberId: m.memberId, topics: m.topics, assigned: g.target.get(m.memberId) ?? []})), partitionsPerTopic);
    g.target.clear();
    for (const m of members) g.target.set(m.memberId, target[m.memberId]);
    g.targetEpoch = g.groupEpoch;
    g.state = members.length === 0 ? "Empty" : "Stable";
    this.#host.sim.record("kafka.group.target", {group: g.groupId, groupEpoch: g.groupEpoch, assignor, assignment: Object.fromEntries(members.map((m) => [m.memberId, target[m.memberId].map(tpName)]))});
  }

  // CurrentAssignmentBuilder: one step of a member towards its target. A member first gives up what
  // it must (UNREVOKED_PARTITIONS: it keeps its epoch until it acknowledges); then it gets the
  // partitions of its target that no other member still owns (UNRELEASED_PARTITIONS until all are
  // free) and moves to the target epoch. So a partition is never given to a member while another
  // may still be reading it: KIP-848, "Reconciliation of the Group".
  #reconcile(g: Group, m: ConsumerMember): void {
    if (m.revoking.length > 0) return;
    const target = new Set((g.target.get(m.memberId) ?? []).map(tpName));
    const revoke = m.assigned.filter((tp) => !target.has(tpName(tp)));
    const before = m.assigned.map(tpName).join();
    if (revoke.length > 0) {
      m.assigned = m.assigned.filter((tp) => target.has(tpName(tp)));
      m.revoking = revoke;
    } else {
      const held = new Set<string>();
      for (const other of g.consumers.values()) if (other !== m) for (const tp of [...other.assigned, ...other.revoking]) held.add(tpName(tp));
      const mine = new Set(m.assigned.map(tpName));
      m.assigned = [...m.assigned, ...(g.target.get(m.memberId) ?? []).filter((tp) => !mine.has(tpName(tp)) && !held.has(tpName(tp)))];
      if (m.memberEpoch !== g.targetEpoch) {
        m.previousEpoch = m.memberEpoch;
        m.memberEpoch = g.targetEpoch;
      }
    }
    if (revoke.length > 0 || m.assigned.map(tpName).join() !== before) {
      this.#host.sim.record("kafka.group.reconcile", {group: g.groupId, member: m.memberId, memberEpoch: m.memberEpoch, assigned: m.assigned.map(tpName), revoking: m.revoking.map(tpName)});
    }
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

  // The group goes to PreparingRebalance. A member learns of it at its next heartbeat (the
  // REBALANCE_IN_PROGRESS answer) and rejoins: under the eager protocol it first revokes everything
  // it owns. JoinGroup is a barrier: the rebalance completes once the last member has rejoined.
  // Members in `now` (the one that joined, or those that just revoked under KIP-429) rejoin at once.
  #prepareRebalance(g: Group, reason: string, now: ReadonlySet<string> = new Set()): void {
    const sim = this.#host.sim;
    let lastRejoin = sim.now;
    if (g.state !== "PreparingRebalance") {
      g.state = "PreparingRebalance";
      sim.record("kafka.group.rebalance", {group: g.groupId, generation: g.generation, reason});
      for (const m of g.members.values()) {
        const at = now.has(m.memberId) || !m.alive ? sim.now : this.#nextHeartbeat(m);
        lastRejoin = Math.max(lastRejoin, at);
        // Eager protocol: every member revokes all it owns before rejoining.
        if (g.assignor && !isCooperative(g.assignor)) {
          if (at === sim.now) this.#revokeAll(m);
          else sim.schedule(at - sim.now, () => {
            if (g.state === "PreparingRebalance" && g.members.get(m.memberId) === m) this.#revokeAll(m);
          });
        }
      }
    }
    if (g.rebalanceTimer) return;
    // JoinGroup and SyncGroup round trips after the last member has rejoined.
    g.rebalanceTimer = sim.schedule(lastRejoin - sim.now + 4 * this.#host.networkMs, () => {
      g.rebalanceTimer = null;
      this.#tryComplete(g);
    });
  }

  #revokeAll(m: Member): void {
    if (m.alive && m.owned.length > 0) m.client.revoke(m.owned);
    m.previous = m.owned;
    m.owned = [];
  }

  /** When a classic member next heartbeats (now, for a member with heartbeat.interval.ms 0). */
  #nextHeartbeat(m: Member): number {
    const now = this.#host.sim.now;
    if (m.heartbeatIntervalMs === 0) return now;
    return m.joinedAt + Math.ceil((now - m.joinedAt) / m.heartbeatIntervalMs) * m.heartbeatIntervalMs;
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
    const revokers = new Set<string>();
    for (const m of members) {
      const next = result[m.memberId] ?? [];
      const keep = new Set(next.map(tpName));
      const revoked = m.owned.filter((tp) => !keep.has(tpName(tp)));
      if (revoked.length > 0) {
        revokers.add(m.memberId);
        m.client.revoke(revoked);
      }
      m.owned = next;
      m.previous = next;
    }
    g.state = "Stable";
    const followUp = revokers.size > 0 && isCooperative(g.assignor!);
    this.#host.sim.record("kafka.group.sync", {
      group: g.groupId, generation: g.generation, assignor: g.assignor, leader: g.leader, followUp,
      assignment: Object.fromEntries(members.map((m) => [m.memberId, m.owned.map(tpName)]))
    });
    for (const m of members) m.client.assign(g.generation, m.owned);
    // KIP-429: members that gave partitions up rejoin at once, so the next round can hand them out.
    if (followUp) this.#prepareRebalance(g, "cooperative follow-up", revokers);
  }
}
