// Kafka's client-side partition assignors (partition.assignment.strategy), ported from the Java client:
// org.apache.kafka.clients.consumer.{RangeAssignor, RoundRobinAssignor, StickyAssignor,
// CooperativeStickyAssignor} and internals.AbstractStickyAssignor (Kafka 3.x, without rack awareness:
// the simulation has no racks, so Kafka's rack-aware steps are no-ops and are left out).
//
// The group leader runs the assignor over every member's subscription. Where Java's result depends on
// the iteration order of a HashMap/HashSet (which member keeps maxQuota partitions, which partition a
// sticky move picks), this port iterates in the order Java would: see JavaHashSet below. Members are
// taken to be inserted in the order given, as ConsumerCoordinator fills its map from the JoinGroup
// response.

export type AssignorName = "range" | "roundrobin" | "sticky" | "cooperative-sticky";

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface MemberSubscription {
  memberId: string;
  topics: string[];
  /** Partitions the member owned before this rebalance (Subscription.ownedPartitions / sticky user data). */
  ownedPartitions?: TopicPartition[];
  /** Generation in which the member owned them; absent = unknown (DEFAULT_GENERATION, -1). */
  generation?: number;
}

type Assignment = Record<string, TopicPartition[]>;

export const ASSIGNORS: readonly AssignorName[] = ["range", "roundrobin", "sticky", "cooperative-sticky"];

/** KIP-429: only cooperative-sticky supports the COOPERATIVE rebalance protocol; the others are EAGER. */
export function isCooperative(assignor: AssignorName): boolean {
  return assignor === "cooperative-sticky";
}

/**
 * The assignment the group leader computes: memberId → partitions, each list sorted (topic, partition);
 * every member appears, possibly with []. Pure and deterministic.
 *
 * cooperative-sticky (KIP-429): the sticky target, minus every partition that would move from a member
 * that still owns it to another member. Those are left unassigned in this round: the owner, seeing it
 * is no longer assigned the partition, revokes it and rejoins, and the follow-up rebalance assigns it
 * (CooperativeStickyAssignor.adjustAssignment; ConsumerCoordinator.validateCooperativeAssignment
 * checks that no partition is revoked and assigned in one round).
 */
export function assign(
  assignor: AssignorName,
  members: MemberSubscription[],
  partitionsPerTopic: Record<string, number>
): Assignment {
  if (!ASSIGNORS.includes(assignor)) {
    throw new Error(
      `unknown partition.assignment.strategy '${String(assignor)}'; expected one of ${ASSIGNORS.join(", ")}`
    );
  }
  const group = normalize(members, partitionsPerTopic);
  let result: Map<string, TopicPartition[]>;
  switch (assignor) {
    case "range":
      result = rangeAssign(group);
      break;
    case "roundrobin":
      result = roundRobinAssign(group);
      break;
    case "sticky":
      result = stickyAssign(group).assignment;
      break;
    case "cooperative-sticky":
      result = cooperativeStickyAssign(group);
      break;
  }
  const out: Assignment = {};
  for (const member of group.members) out[member.memberId] = [...(result.get(member.memberId) ?? [])].sort(compareTopicPartitions);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Input

interface Member {
  memberId: string;
  /** Subscribed topics as given (deduplicated), existing or not: Kafka compares these for equality. */
  topics: string[];
  /** The subscribed topics that exist (have metadata). */
  existingTopics: Set<string>;
  /** Owned partitions as reported (deduplicated), including ones of topics that no longer exist. */
  owned: TopicPartition[];
  /** Reported generation, or DEFAULT_GENERATION. */
  generation: number;
  hasGeneration: boolean;
}

interface Group {
  /** In the order given. */
  members: Member[];
  /** Members in Java HashMap iteration order. */
  hashOrder: Member[];
  byId: Map<string, Member>;
  /** Only topics somebody subscribes to, as AbstractPartitionAssignor passes them; sorted by name. */
  partitionsPerTopic: Map<string, number>;
  /** Each of those topics' partitions, in order. */
  partitionsOf: Map<string, TopicPartition[]>;
  /** Interned TopicPartition objects, so they can be compared by identity and used as Map keys. */
  tp: (topic: string, partition: number) => TopicPartition;
}

const DEFAULT_GENERATION = -1;

function normalize(members: MemberSubscription[], partitionsPerTopic: Record<string, number>): Group {
  for (const [topic, count] of Object.entries(partitionsPerTopic)) {
    if (!Number.isInteger(count) || count < 1) {
      throw new RangeError(`topic '${topic}': number of partitions must be a positive integer, got ${String(count)}`);
    }
  }
  const interned = new Map<string, TopicPartition>();
  const tp = (topic: string, partition: number): TopicPartition => {
    const key = `${topic}-${partition}`;
    let found = interned.get(key);
    if (found === undefined) interned.set(key, (found = {topic, partition}));
    return found;
  };
  const subscribed = new Set<string>();
  const byId = new Map<string, Member>();
  const list: Member[] = [];
  for (const m of members) {
    if (byId.has(m.memberId)) throw new Error(`duplicate member id '${m.memberId}' in the group's subscriptions`);
    const topics = [...new Set(m.topics)];
    for (const topic of topics) subscribed.add(topic);
    const owned: TopicPartition[] = [];
    const seen = new Set<TopicPartition>();
    for (const p of m.ownedPartitions ?? []) {
      const t = tp(p.topic, p.partition);
      if (seen.has(t)) continue;
      seen.add(t);
      owned.push(t);
    }
    const member: Member = {
      memberId: m.memberId,
      topics,
      existingTopics: new Set(topics.filter((t) => Object.hasOwn(partitionsPerTopic, t))),
      owned,
      generation: m.generation ?? DEFAULT_GENERATION,
      hasGeneration: m.generation !== undefined
    };
    byId.set(m.memberId, member);
    list.push(member);
  }
  const counts = new Map<string, number>();
  const partitionsOf = new Map<string, TopicPartition[]>();
  for (const topic of Object.keys(partitionsPerTopic).sort(compareStrings)) {
    if (!subscribed.has(topic)) continue;
    counts.set(topic, partitionsPerTopic[topic]);
    partitionsOf.set(topic, Array.from({length: partitionsPerTopic[topic]}, (_, i) => tp(topic, i)));
  }
  const order = new JavaHashSet<Member>((m) => javaStringHash(m.memberId));
  for (const m of list) order.add(m);
  return {members: list, hashOrder: order.values(), byId, partitionsPerTopic: counts, partitionsOf, tp};
}

// ---------------------------------------------------------------------------------------------------
// range and roundrobin

/** RangeAssignor: per topic, its subscribers sorted by member id each take a contiguous range. */
function rangeAssign(group: Group): Map<string, TopicPartition[]> {
  const result = emptyAssignment(group);
  for (const [topic, numPartitions] of group.partitionsPerTopic) {
    const consumers = group.members
      .filter((m) => m.existingTopics.has(topic))
      .map((m) => m.memberId)
      .sort(compareStrings);
    const perConsumer = Math.floor(numPartitions / consumers.length);
    const withExtra = numPartitions % consumers.length;
    consumers.forEach((consumer, i) => {
      const start = perConsumer * i + Math.min(i, withExtra);
      const length = perConsumer + (i < withExtra ? 1 : 0);
      result.get(consumer)!.push(...group.partitionsOf.get(topic)!.slice(start, start + length));
    });
  }
  return result;
}

/**
 * RoundRobinAssignor: all partitions sorted (topic, partition) dealt in turn to the members sorted by id,
 * skipping a member not subscribed to the partition's topic (a CircularIterator in Java).
 */
function roundRobinAssign(group: Group): Map<string, TopicPartition[]> {
  const result = emptyAssignment(group);
  const consumers = [...group.members].sort((a, b) => compareStrings(a.memberId, b.memberId));
  let next = 0;
  for (const [topic, partitions] of group.partitionsOf) {
    for (const p of partitions) {
      while (!consumers[next].existingTopics.has(topic)) next = (next + 1) % consumers.length;
      result.get(consumers[next].memberId)!.push(p);
      next = (next + 1) % consumers.length;
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------
// sticky (AbstractStickyAssignor)

interface StickyResult {
  assignment: Map<string, TopicPartition[]>;
  /** Set by the constrained algorithm only (null in the general case, as in Kafka). */
  partitionsTransferringOwnership: Map<TopicPartition, string> | null;
}

function stickyAssign(group: Group): StickyResult {
  const owned = resolveOwnedPartitions(group);
  if (owned.allSubscriptionsEqual) {
    const transferring = new Map<TopicPartition, string>();
    return {assignment: constrainedAssign(group, owned, transferring), partitionsTransferringOwnership: transferring};
  }
  return {assignment: new GeneralAssignmentBuilder(group, owned).build(), partitionsTransferringOwnership: null};
}

interface OwnedPartitions {
  allSubscriptionsEqual: boolean;
  /** Each member's still-valid owned partitions of existing subscribed topics (every member is a key). */
  consumerToOwnedPartitions: Map<string, TopicPartition[]>;
  /** Claimed by two members of the same generation: invalidated for both. */
  partitionsWithMultiplePreviousOwners: Set<TopicPartition>;
  maxGeneration: number;
}

/**
 * AbstractStickyAssignor.allSubscriptionsEqual: also decides who owns a partition several members claim:
 * the highest generation wins; a tie in generation invalidates the claim for everybody.
 */
function resolveOwnedPartitions(group: Group): OwnedPartitions {
  let allSubscriptionsEqual = true;
  // Kafka takes the first non-empty subscription as the reference; a member with an empty subscription
  // would then compare equal to anything. Comparing against the first member's set avoids that quirk.
  const reference = group.hashOrder.length > 0 ? new Set(group.hashOrder[0].topics) : new Set<string>();
  const consumerToOwnedPartitions = new Map<string, TopicPartition[]>();
  const partitionsWithMultiplePreviousOwners = new Set<TopicPartition>();
  const previousOwner = new Map<TopicPartition, Member>();
  let maxGeneration = DEFAULT_GENERATION;
  for (const member of group.hashOrder) {
    if (member.topics.length !== reference.size || !member.topics.every((t) => reference.has(t))) {
      allSubscriptionsEqual = false;
    }
    maxGeneration = Math.max(maxGeneration, member.generation);
    const owned: TopicPartition[] = [];
    consumerToOwnedPartitions.set(member.memberId, owned);
    for (const p of member.owned) {
      const count = group.partitionsPerTopic.get(p.topic);
      if (count === undefined || !Number.isInteger(p.partition) || p.partition < 0 || p.partition >= count) continue;
      const other = previousOwner.get(p);
      if (other === undefined) {
        owned.push(p);
        previousOwner.set(p, member);
      } else if (member.generation === other.generation) {
        partitionsWithMultiplePreviousOwners.add(p);
        removeFrom(consumerToOwnedPartitions.get(other.memberId)!, p);
        previousOwner.set(p, member);
      } else if (member.generation > other.generation) {
        owned.push(p);
        removeFrom(consumerToOwnedPartitions.get(other.memberId)!, p);
        previousOwner.set(p, member);
      }
    }
  }
  return {allSubscriptionsEqual, consumerToOwnedPartitions, partitionsWithMultiplePreviousOwners, maxGeneration};
}

/**
 * ConstrainedAssignmentBuilder (all members subscribe to the same topics): every member keeps up to its
 * quota of owned partitions (minQuota, or maxQuota for the first `total % members` that own that many),
 * then the rest are dealt round-robin to members under quota, sorted by member id.
 */
function constrainedAssign(
  group: Group,
  owned: OwnedPartitions,
  partitionsTransferringOwnership: Map<TopicPartition, string>
): Map<string, TopicPartition[]> {
  const assignment = emptyAssignment(group);
  if (group.members.length === 0) return assignment;
  let total = 0;
  for (const n of group.partitionsPerTopic.values()) total += n;
  const numberOfConsumers = group.members.length;
  const minQuota = Math.floor(total / numberOfConsumers);
  const maxQuota = Math.ceil(total / numberOfConsumers);
  const expectedNumMembersWithOverMinQuota = total % numberOfConsumers;
  let currentNumMembersWithOverMinQuota = 0;
  const unfilledUnderMinQuota: string[] = [];
  let unfilledExactlyMinQuota: string[] = [];
  const allRevokedPartitions = new Set<TopicPartition>();
  const assigned = new Set<TopicPartition>();

  for (const member of group.hashOrder) {
    const consumer = member.memberId;
    const ownedPartitions = owned.consumerToOwnedPartitions
      .get(consumer)!
      .filter((p) => !owned.partitionsWithMultiplePreviousOwners.has(p))
      .sort((a, b) => a.partition - b.partition || compareStrings(a.topic, b.topic));
    const consumerAssignment = assignment.get(consumer)!;
    let keep: number;
    if (ownedPartitions.length < minQuota) {
      keep = ownedPartitions.length;
      unfilledUnderMinQuota.push(consumer);
    } else if (ownedPartitions.length >= maxQuota && currentNumMembersWithOverMinQuota < expectedNumMembersWithOverMinQuota) {
      keep = maxQuota;
      currentNumMembersWithOverMinQuota++;
      if (currentNumMembersWithOverMinQuota === expectedNumMembersWithOverMinQuota) unfilledExactlyMinQuota = [];
    } else {
      keep = minQuota;
      if (currentNumMembersWithOverMinQuota < expectedNumMembersWithOverMinQuota) unfilledExactlyMinQuota.push(consumer);
    }
    for (const p of ownedPartitions.slice(0, keep)) {
      consumerAssignment.push(p);
      assigned.add(p);
    }
    for (const p of ownedPartitions.slice(keep)) allRevokedPartitions.add(p);
  }

  unfilledUnderMinQuota.sort(compareStrings);
  unfilledExactlyMinQuota.sort(compareStrings);
  // assignRoundRobin: `next` plays the role of Java's iterator over unfilledUnderMinQuota (remove() drops
  // the element it returned last).
  let next = 0;
  for (const p of allPartitions(group)) {
    if (assigned.has(p)) continue;
    let consumer: string;
    if (next < unfilledUnderMinQuota.length) {
      consumer = unfilledUnderMinQuota[next++];
    } else if (unfilledUnderMinQuota.length === 0) {
      consumer = unfilledExactlyMinQuota.shift()!;
    } else {
      next = 0;
      consumer = unfilledUnderMinQuota[next++];
    }
    const consumerAssignment = assignment.get(consumer)!;
    consumerAssignment.push(p);
    if (allRevokedPartitions.has(p) || owned.partitionsWithMultiplePreviousOwners.has(p)) {
      partitionsTransferringOwnership.set(p, consumer);
    }
    if (consumerAssignment.length === minQuota) {
      unfilledUnderMinQuota.splice(--next, 1);
      unfilledExactlyMinQuota.push(consumer);
    } else if (consumerAssignment.length === maxQuota) {
      currentNumMembersWithOverMinQuota++;
    }
  }
  return assignment;
}

/**
 * GeneralAssignmentBuilder (members subscribe to different topics): keep every still-valid owned
 * partition, give each unassigned partition to the least-loaded subscriber, then move partitions from
 * members with 2+ more than another subscriber until balanced, preferring a partition's previous owner
 * (from an older generation) and undoing a move of the same topic between the same two members
 * (PartitionMovements). The result is kept only if it is more balanced than the starting point.
 */
class GeneralAssignmentBuilder {
  private readonly group: Group;
  private readonly currentAssignment: Map<string, TopicPartition[]>;
  private readonly topic2AllPotentialConsumers = new Map<string, string[]>();
  private readonly currentPartitionConsumer = new Map<TopicPartition, string>();
  private readonly sortedAllPartitions: TopicPartition[];
  /** The members taking part in reassignment (Java's sortedCurrentSubscriptions, unsorted). */
  private readonly active = new Set<string>();
  private readonly movements = new PartitionMovements();
  private readonly prevAssignment = new Map<TopicPartition, {consumer: string; generation: number}>();
  private readonly maxGeneration: number;
  /** How many partitions each member could hold at most: all of its subscribed topics'. */
  private readonly maxAssignmentSize = new Map<string, number>();
  private revocationRequired = false;

  constructor(group: Group, owned: OwnedPartitions) {
    this.group = group;
    this.maxGeneration = owned.maxGeneration;
    this.currentAssignment = new Map([...owned.consumerToOwnedPartitions].map(([c, ps]) => [c, [...ps]]));
    for (const topic of group.partitionsPerTopic.keys()) this.topic2AllPotentialConsumers.set(topic, []);
    for (const member of group.hashOrder) {
      for (const topic of member.existingTopics) this.topic2AllPotentialConsumers.get(topic)!.push(member.memberId);
    }
    for (const [consumer, partitions] of this.currentAssignment) {
      for (const p of partitions) this.currentPartitionConsumer.set(p, consumer);
    }
    const sortedAllTopics = [...group.partitionsPerTopic.keys()].sort(
      (a, b) => this.topic2AllPotentialConsumers.get(a)!.length - this.topic2AllPotentialConsumers.get(b)!.length || compareStrings(a, b)
    );
    this.sortedAllPartitions = sortedAllTopics.flatMap((topic) => group.partitionsOf.get(topic)!);
    for (const member of group.members) {
      let n = 0;
      for (const topic of member.existingTopics) n += group.partitionsPerTopic.get(topic)!;
      this.maxAssignmentSize.set(member.memberId, n);
    }
  }

  build(): Map<string, TopicPartition[]> {
    this.prepopulatePrevAssignment();
    const assigned = this.assignOwnedPartitions();
    const unassigned = this.sortedAllPartitions.filter((p) => !assigned.has(p));
    for (const consumer of this.currentAssignment.keys()) this.active.add(consumer);
    this.balance(unassigned);
    return this.currentAssignment;
  }

  /** Partitions members of older generations owned: the preferred destination when one must move. */
  private prepopulatePrevAssignment(): void {
    for (const member of this.group.hashOrder) {
      let generation: number;
      if (member.hasGeneration && member.generation < this.maxGeneration) generation = member.generation;
      else if (!member.hasGeneration && this.maxGeneration > DEFAULT_GENERATION) generation = DEFAULT_GENERATION;
      else continue;
      for (const p of member.owned) {
        const previous = this.prevAssignment.get(p);
        if (previous === undefined || generation > previous.generation) {
          this.prevAssignment.set(p, {consumer: member.memberId, generation});
        }
      }
    }
  }

  private assignOwnedPartitions(): Set<TopicPartition> {
    const assigned = new Set<TopicPartition>();
    for (const [consumer, partitions] of this.currentAssignment) {
      const topics = this.group.byId.get(consumer)!.existingTopics;
      const kept: TopicPartition[] = [];
      for (const p of partitions) {
        if (topics.has(p.topic)) {
          kept.push(p);
          assigned.add(p);
        } else {
          // no longer subscribed to its topic: the member must give it up
          this.currentPartitionConsumer.delete(p);
          this.revocationRequired = true;
        }
      }
      this.currentAssignment.set(consumer, kept);
    }
    return assigned;
  }

  private size(consumer: string): number {
    return this.currentAssignment.get(consumer)!.length;
  }

  /**
   * The first subscriber of `topic` in Java's sortedCurrentSubscriptions (a TreeSet ordered by number of
   * partitions, then member id).
   */
  private leastLoadedSubscriber(topic: string): string | undefined {
    let best: string | undefined;
    for (const c of this.active) {
      if (!this.subscribes(c, topic)) continue;
      if (best === undefined || this.size(c) < this.size(best) || (this.size(c) === this.size(best) && c < best)) best = c;
    }
    return best;
  }

  private minMaxSize(): [number, number] {
    let min = Infinity;
    let max = -Infinity;
    for (const c of this.active) {
      min = Math.min(min, this.size(c));
      max = Math.max(max, this.size(c));
    }
    return [min, max];
  }

  private subscribes(consumer: string, topic: string): boolean {
    return this.group.byId.get(consumer)!.existingTopics.has(topic);
  }

  private balance(unassignedPartitions: TopicPartition[]): void {
    const initializing = this.minMaxSize()[1] <= 0;

    for (const p of unassignedPartitions) {
      const consumer = this.leastLoadedSubscriber(p.topic);
      if (consumer !== undefined) this.movePartitionTo(p, consumer, false);
    }

    // Partitions of a topic with fewer than two subscribers, and members that can neither gain nor lose
    // anything, stay out of the reassignment.
    const reassignable = (p: TopicPartition) => this.topic2AllPotentialConsumers.get(p.topic)!.length >= 2;
    const sortedPartitions = this.sortedAllPartitions.filter(reassignable);
    const unassigned = unassignedPartitions.filter(reassignable);
    const fixedAssignments = new Map<string, TopicPartition[]>();
    for (const member of this.group.hashOrder) {
      const consumer = member.memberId;
      const partitions = this.currentAssignment.get(consumer)!;
      if (partitions.length < this.maxAssignmentSize.get(consumer)! || partitions.some(reassignable)) continue;
      this.active.delete(consumer);
      fixedAssignments.set(consumer, partitions);
      this.currentAssignment.delete(consumer);
    }

    const preBalanceAssignment = new Map([...this.currentAssignment].map(([c, ps]) => [c, [...ps]]));
    const preBalancePartitionConsumers = new Map(this.currentPartitionConsumer);

    // First try to balance by moving only newly added partitions, unless a subscription change forces a
    // revocation anyway.
    if (!this.revocationRequired) this.performReassignments(unassigned);
    const reassignmentPerformed = this.performReassignments(sortedPartitions);

    if (!initializing && reassignmentPerformed && balanceScore(this.currentAssignment) >= balanceScore(preBalanceAssignment)) {
      this.currentAssignment.clear();
      for (const [c, ps] of preBalanceAssignment) this.currentAssignment.set(c, ps);
      this.currentPartitionConsumer.clear();
      for (const [p, c] of preBalancePartitionConsumers) this.currentPartitionConsumer.set(p, c);
    }

    for (const [consumer, partitions] of fixedAssignments) {
      this.currentAssignment.set(consumer, partitions);
      this.active.add(consumer);
    }
  }

  /** True when no partition could move to a subscriber with at least 2 fewer partitions. */
  private isBalanced(): boolean {
    const [min, max] = this.minMaxSize();
    if (min >= max - 1) return true;
    for (const consumer of this.active) {
      const count = this.size(consumer);
      if (count === this.maxAssignmentSize.get(consumer)) continue;
      for (const topic of this.group.byId.get(consumer)!.existingTopics) {
        for (const p of this.group.partitionsOf.get(topic)!) {
          const other = this.currentPartitionConsumer.get(p);
          if (other !== undefined && other !== consumer && this.active.has(other) && count + 1 < this.size(other)) return false;
        }
      }
    }
    return true;
  }

  private performReassignments(reassignablePartitions: TopicPartition[]): boolean {
    let reassignmentPerformed = false;
    let modified: boolean;
    do {
      modified = false;
      for (let i = 0; i < reassignablePartitions.length && !this.isBalanced(); i++) {
        const p = reassignablePartitions[i];
        const consumer = this.currentPartitionConsumer.get(p)!;
        const previous = this.prevAssignment.get(p);
        // Kafka moves the partition back to its previous owner without checking that the owner is still
        // here and subscribed; this port checks both.
        if (
          previous !== undefined &&
          this.active.has(previous.consumer) &&
          this.subscribes(previous.consumer, p.topic) &&
          this.size(consumer) > this.size(previous.consumer) + 1
        ) {
          this.reassignPartition(p, previous.consumer);
          reassignmentPerformed = modified = true;
          continue;
        }
        for (const other of this.topic2AllPotentialConsumers.get(p.topic)!) {
          if (this.size(consumer) > this.size(other) + 1) {
            const newConsumer = this.leastLoadedSubscriber(p.topic)!;
            this.reassignPartition(p, newConsumer);
            reassignmentPerformed = modified = true;
            break;
          }
        }
      }
    } while (modified);
    return reassignmentPerformed;
  }

  private reassignPartition(partition: TopicPartition, newConsumer: string): void {
    const consumer = this.currentPartitionConsumer.get(partition)!;
    const toMove = this.movements.getTheActualPartitionToBeMoved(partition, consumer, newConsumer);
    this.movePartitionTo(toMove, newConsumer, true);
  }

  private movePartitionTo(partition: TopicPartition, newConsumer: string, isMove: boolean): void {
    if (isMove) {
      const oldConsumer = this.currentPartitionConsumer.get(partition)!;
      this.movements.movePartition(partition, oldConsumer, newConsumer);
      removeFrom(this.currentAssignment.get(oldConsumer)!, partition);
    }
    this.currentAssignment.get(newConsumer)!.push(partition);
    this.currentPartitionConsumer.set(partition, newConsumer);
  }
}

/** Sum over all pairs of members of the difference in their number of partitions (0 = perfectly even). */
function balanceScore(assignment: Map<string, TopicPartition[]>): number {
  const sizes = [...assignment.values()].map((ps) => ps.length);
  let score = 0;
  for (let i = 0; i < sizes.length; i++) for (let j = i + 1; j < sizes.length; j++) score += Math.abs(sizes[i] - sizes[j]);
  return score;
}

/**
 * AbstractStickyAssignor.PartitionMovements: remembers, per topic, which partitions moved between which
 * two members, so that a move in the opposite direction puts back a partition that moved before instead
 * of moving a second one (no ping-pong of one topic between two members).
 */
class PartitionMovements {
  private readonly byTopic = new Map<string, Map<string, JavaHashSet<TopicPartition>>>();
  private readonly movements = new Map<TopicPartition, {src: string; dst: string}>();

  movePartition(partition: TopicPartition, oldConsumer: string, newConsumer: string): void {
    const existing = this.movements.get(partition);
    if (existing === undefined) {
      this.add(partition, oldConsumer, newConsumer);
    } else {
      this.remove(partition, existing);
      if (existing.src !== newConsumer) this.add(partition, existing.src, newConsumer);
    }
  }

  getTheActualPartitionToBeMoved(partition: TopicPartition, oldConsumer: string, newConsumer: string): TopicPartition {
    const forTopic = this.byTopic.get(partition.topic);
    if (forTopic === undefined) return partition;
    const src = this.movements.get(partition)?.src ?? oldConsumer;
    const reverse = forTopic.get(pairKey(newConsumer, src));
    return reverse === undefined ? partition : reverse.values()[0];
  }

  private add(partition: TopicPartition, src: string, dst: string): void {
    this.movements.set(partition, {src, dst});
    let forTopic = this.byTopic.get(partition.topic);
    if (forTopic === undefined) this.byTopic.set(partition.topic, (forTopic = new Map()));
    let set = forTopic.get(pairKey(src, dst));
    if (set === undefined) forTopic.set(pairKey(src, dst), (set = new JavaHashSet(topicPartitionHash)));
    set.add(partition);
  }

  private remove(partition: TopicPartition, pair: {src: string; dst: string}): void {
    this.movements.delete(partition);
    const forTopic = this.byTopic.get(partition.topic)!;
    const set = forTopic.get(pairKey(pair.src, pair.dst))!;
    set.delete(partition);
    if (set.size === 0) forTopic.delete(pairKey(pair.src, pair.dst));
    if (forTopic.size === 0) this.byTopic.delete(partition.topic);
  }
}

function pairKey(src: string, dst: string): string {
  return JSON.stringify([src, dst]);
}

// ---------------------------------------------------------------------------------------------------
// cooperative-sticky

function cooperativeStickyAssign(group: Group): Map<string, TopicPartition[]> {
  const {assignment, partitionsTransferringOwnership} = stickyAssign(group);
  const transferring = partitionsTransferringOwnership ?? computePartitionsTransferringOwnership(group, assignment);
  for (const [p, consumer] of transferring) removeFrom(assignment.get(consumer)!, p);
  return assignment;
}

/** General case: partitions newly assigned to one member that another reported owning (and loses). */
function computePartitionsTransferringOwnership(
  group: Group,
  assignment: Map<string, TopicPartition[]>
): Map<TopicPartition, string> {
  const added = new Map<TopicPartition, string>();
  const revoked = new Set<TopicPartition>();
  for (const member of group.members) {
    const assigned = new Set(assignment.get(member.memberId)!);
    const owned = new Set(member.owned);
    for (const p of assigned) if (!owned.has(p)) added.set(p, member.memberId);
    for (const p of owned) if (!assigned.has(p)) revoked.add(p);
  }
  return new Map([...added].filter(([p]) => revoked.has(p)));
}

// ---------------------------------------------------------------------------------------------------
// Helpers

function emptyAssignment(group: Group): Map<string, TopicPartition[]> {
  return new Map(group.members.map((m) => [m.memberId, []]));
}

/** Every partition of the subscribed, existing topics, sorted (topic, partition). */
function allPartitions(group: Group): TopicPartition[] {
  return [...group.partitionsOf.values()].flat();
}

function removeFrom<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}

/** Java's String.compareTo: UTF-16 code unit order (not localeCompare). */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareTopicPartitions(a: TopicPartition, b: TopicPartition): number {
  return compareStrings(a.topic, b.topic) || a.partition - b.partition;
}

/** java.lang.String.hashCode. */
function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** org.apache.kafka.common.TopicPartition.hashCode. */
function topicPartitionHash(p: TopicPartition): number {
  return (Math.imul(31 + p.partition, 31) + javaStringHash(p.topic)) | 0;
}

/**
 * The iteration order of a java.util.HashSet/HashMap built with the default capacity (16, load factor
 * 0.75): by bucket (spread hash & (capacity - 1)), then by insertion within a bucket; a resize keeps
 * that relative order. Treeified buckets (8+ colliding keys) are not modelled.
 */
class JavaHashSet<T> {
  private buckets: T[][] = Array.from({length: 16}, () => []);
  private readonly hash: (item: T) => number;
  size = 0;

  constructor(hash: (item: T) => number) {
    this.hash = hash;
  }

  private bucketOf(item: T, capacity: number): number {
    const h = this.hash(item);
    return (h ^ (h >>> 16)) & (capacity - 1);
  }

  add(item: T): void {
    const bucket = this.buckets[this.bucketOf(item, this.buckets.length)];
    if (bucket.includes(item)) return;
    bucket.push(item);
    if (++this.size > this.buckets.length * 0.75) {
      const resized: T[][] = Array.from({length: this.buckets.length * 2}, () => []);
      for (const b of this.buckets) for (const x of b) resized[this.bucketOf(x, resized.length)].push(x);
      this.buckets = resized;
    }
  }

  delete(item: T): void {
    const bucket = this.buckets[this.bucketOf(item, this.buckets.length)];
    const i = bucket.indexOf(item);
    if (i < 0) return;
    bucket.splice(i, 1);
    this.size--;
  }

  values(): T[] {
    return this.buckets.flat();
  }
}

// ---------------------------------------------------------------------------------------------------
// Server-side assignors of the consumer group protocol (KIP-848, group.consumer.assignors; the member
// picks one with group.remote.assignor). The group coordinator runs them over the members' current
// assignments to compute the target assignment. Both differ from the client-side ones above: they are
// sticky (a member keeps what it owns up to its quota), and they never see generations or user data.
// Ported from org.apache.kafka.coordinator.group.assignor.{UniformHomogeneousAssignmentBuilder,
// RangeAssignor} in apache/kafka (group-coordinator). Java iterates members and topics in HashMap
// order; this port takes members in the order given (join order) and topics in subscription order.

export type ServerAssignorName = "uniform" | "range";

/** group.consumer.assignors: the first is the default (Kafka 4.0: uniform, then range). */
export const SERVER_ASSIGNORS: readonly ServerAssignorName[] = ["uniform", "range"];

export interface ServerMemberSpec {
  memberId: string;
  /** Subscribed topics, in the order the member gave them. */
  topics: string[];
  /** The member's current target assignment (what the assignor keeps if it can). */
  assigned: TopicPartition[];
}

/** The target assignment: memberId → partitions sorted (topic, partition); every member appears. */
export function serverAssign(assignor: ServerAssignorName, members: ServerMemberSpec[], partitionsPerTopic: Record<string, number>): Assignment {
  if (!SERVER_ASSIGNORS.includes(assignor)) throw new Error(`unknown group.remote.assignor '${String(assignor)}'; expected one of ${SERVER_ASSIGNORS.join(", ")}`);
  for (const m of members) {
    for (const t of m.topics) if (!(partitionsPerTopic[t] >= 0)) throw new Error(`member ${m.memberId} is subscribed to topic ${t}, which does not exist`);
  }
  const result = assignor === "uniform" ? uniformAssign(members, partitionsPerTopic) : serverRangeAssign(members, partitionsPerTopic);
  const out: Assignment = {};
  for (const m of members) out[m.memberId] = [...(result.get(m.memberId) ?? [])].sort(compareTopicPartitions);
  return out;
}

/** The member's partitions grouped by topic, topics in first-seen order, partitions ascending (a Java HashSet<Integer>). */
function byTopic(partitions: TopicPartition[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const tp of partitions) {
    const list = out.get(tp.topic) ?? [];
    list.push(tp.partition);
    out.set(tp.topic, list);
  }
  for (const list of out.values()) list.sort((a, b) => a - b);
  return out;
}

// UniformHomogeneousAssignmentBuilder: balance first (sizes differ by at most one), then stickiness.
// Each member keeps its partitions up to its quota (minQuota, +1 for the first `total % members`
// members); the rest, with every unowned partition, go to members below quota in order.
function uniformAssign(members: ServerMemberSpec[], partitionsPerTopic: Record<string, number>): Map<string, TopicPartition[]> {
  const out = new Map<string, TopicPartition[]>();
  if (members.length === 0) return out;
  const topics = members[0].topics;
  const subscribed = new Set(topics);
  if (members.some((m) => m.topics.length !== subscribed.size || m.topics.some((t) => !subscribed.has(t)))) {
    // UniformHeterogeneousAssignmentBuilder is not ported: the simulation's groups share one subscription.
    throw new Error("the uniform assignor of this model handles members with the same subscription only");
  }
  const owned = new Set(members.flatMap((m) => m.assigned.filter((tp) => subscribed.has(tp.topic)).map(tpKey)));
  const unassigned: TopicPartition[] = [];
  let total = 0;
  for (const topic of topics) {
    for (let partition = 0; partition < partitionsPerTopic[topic]; partition++) if (!owned.has(tpKey({topic, partition}))) unassigned.push({topic, partition});
    total += partitionsPerTopic[topic];
  }
  const minQuota = Math.floor(total / members.length);
  let extra = total % members.length;
  const unfilled: {memberId: string; remaining: number}[] = [];
  for (const m of members) {
    let quota = minQuota;
    if (extra > 0) {
      quota++;
      extra--;
    }
    const kept: TopicPartition[] = [];
    for (const [topic, partitions] of byTopic(m.assigned)) {
      if (!subscribed.has(topic)) continue;
      for (const partition of partitions) {
        if (quota > 0) {
          quota--;
          kept.push({topic, partition});
        } else unassigned.push({topic, partition});
      }
    }
    out.set(m.memberId, kept);
    if (quota > 0) unfilled.push({memberId: m.memberId, remaining: quota});
  }
  let next = 0;
  for (const {memberId, remaining} of unfilled) {
    for (let i = 0; i < remaining && next < unassigned.length; i++) out.get(memberId)!.push(unassigned[next++]);
  }
  if (next < unassigned.length) throw new Error("Partitions were left unassigned");
  return out;
}

// The server-side RangeAssignor: per topic, ranges as the client-side range does (co-partitioned
// topics go to the same member), but sticky: a member keeps its lowest partitions up to the minimum
// quota (and one more if an extra one is still to give), and the unowned rest fill the others in order.
function serverRangeAssign(members: ServerMemberSpec[], partitionsPerTopic: Record<string, number>): Map<string, TopicPartition[]> {
  const out = new Map<string, TopicPartition[]>(members.map((m) => [m.memberId, []]));
  const topics = [...new Set(members.flatMap((m) => m.topics))];
  for (const topic of topics) {
    const subscribers = members.filter((m) => m.topics.includes(topic));
    const count = partitionsPerTopic[topic];
    const minQuota = Math.floor(count / subscribers.length);
    let extra = count % subscribers.length;
    const sticky = new Set<number>();
    const unfilled: {memberId: string; remaining: number}[] = [];
    for (const m of subscribers) {
      const current = byTopic(m.assigned).get(topic) ?? [];
      for (const partition of current.slice(0, Math.min(current.length, minQuota))) {
        sticky.add(partition);
        out.get(m.memberId)!.push({topic, partition});
      }
      const remaining = minQuota - current.length;
      if (remaining < 0 && extra > 0) {
        extra--;
        sticky.add(current[minQuota]);
        out.get(m.memberId)!.push({topic, partition: current[minQuota]});
      } else unfilled.push({memberId: m.memberId, remaining});
    }
    const free = Array.from({length: count}, (_, p) => p).filter((p) => !sticky.has(p));
    let next = 0;
    for (const u of unfilled) {
      let remaining = u.remaining;
      if (extra > 0) {
        remaining++;
        extra--;
      }
      for (const partition of free.slice(next, next + Math.max(0, remaining))) out.get(u.memberId)!.push({topic, partition});
      if (remaining > 0) next += remaining;
    }
  }
  return out;
}

function tpKey(tp: TopicPartition): string {
  return `${tp.topic}\u0000${tp.partition}`;
}
