// A consumer: joins a group (or is assigned partitions by hand), fetches from each partition's
// position up to the high watermark (read_uncommitted) or the last stable offset (read_committed,
// aborted records skipped), hands records to a handler in offset order, and commits the next
// offset to read, on an interval (enable.auto.commit) or when told. Crash, pause and seek are the
// faults and moves a scenario schedules.

import type {AssignorName, ServerAssignorName, TopicPartition} from "./assignors.js";
import {KafkaConfigError, KafkaError, checkInteger, checkMs, checkOneOf} from "./errors.js";
import type {ConsumerGroupHeartbeatResponse, ConsumerRecord, GroupMemberClient, KafkaProtocol, OffsetToCommit, PartitionOffsetsView} from "./protocol.js";

export type {ConsumerRecord} from "./protocol.js";

/** max.poll.interval.ms: the longest a handler may take before the member is dropped. */
const MAX_POLL_INTERVAL_MS = 300_000;

type IsolationLevel = "read_uncommitted" | "read_committed";
type OffsetReset = "earliest" | "latest" | "none";

export interface ConsumerOptions {
  /** group.id; without it the consumer reads partitions given to assign() and cannot commit. */
  groupId?: string;
  clientId?: string;
  /** partition.assignment.strategy (default "range", Kafka's first default). Classic protocol only. */
  assignor?: AssignorName;
  /** session.timeout.ms (Kafka ≥ 3.0 default 45 s). Classic protocol only: the consumer protocol's is the broker's group.consumer.session.timeout.ms. */
  sessionTimeoutMs?: number;
  /**
   * heartbeat.interval.ms of the classic protocol: a member learns of a rebalance at its next
   * heartbeat and the group waits for the last one (Kafka's default is 3000). Default 0: the model's
   * members learn at once.
   */
  heartbeatIntervalMs?: number;
  /** group.protocol: "classic" (JoinGroup/SyncGroup, default) or "consumer" (KIP-848, Kafka ≥ 4.0). */
  groupProtocol?: "classic" | "consumer";
  /** group.remote.assignor: the server-side assignor a consumer-protocol member asks for (default: the broker's first). */
  remoteAssignor?: ServerAssignorName;
  /** enable.auto.commit (default true). */
  autoCommit?: boolean;
  /** auto.commit.interval.ms (default 5 s). */
  autoCommitIntervalMs?: number;
  /** auto.offset.reset (default "latest"). */
  autoOffsetReset?: OffsetReset;
  /** isolation.level (default "read_uncommitted"). */
  isolationLevel?: IsolationLevel;
  /** max.poll.records (default 500). */
  maxPollRecords?: number;
  /** Virtual ms the handler takes per record (default 0): a slow consumer builds lag. */
  processingMs?: number;
  /** Times a failing record is retried before the consumer gives up and crashes (default 5). */
  handlerRetries?: number;
}

interface ConsumerHandlers {
  eachMessage?: (record: ConsumerRecord) => void | Promise<void>;
  /** Called once per partition per poll with that partition's records. */
  eachBatch?: (records: ConsumerRecord[]) => void | Promise<void>;
  /** ConsumerRebalanceListener: partitions newly given to this consumer (positions not yet resolved). */
  onPartitionsAssigned?: (partitions: TopicPartition[]) => void;
  /** ConsumerRebalanceListener: partitions taken away (already committed when auto-commit is on). */
  onPartitionsRevoked?: (partitions: TopicPartition[]) => void;
  /** ConsumerRebalanceListener (KIP-429): partitions already owned by others, as when the member was fenced; nothing was committed. */
  onPartitionsLost?: (partitions: TopicPartition[]) => void;
}

interface Assigned {
  topic: string;
  partition: number;
  /** The leader's offsets for this partition (ListOffsets). */
  offsets: PartitionOffsetsView;
  /** Next offset to read; -1 until resolved from the committed offset or auto.offset.reset. */
  position: number;
  paused: boolean;
  /** Bumped on seek and reassignment, so an in-progress poll drops stale records. */
  epoch: number;
  /** Ends this partition's long-poll fetch. */
  unwatch: () => void;
}

export class Consumer implements GroupMemberClient {
  readonly cluster: KafkaProtocol;
  readonly groupId: string | undefined;
  readonly clientId: string;
  readonly options: Required<Omit<ConsumerOptions, "groupId" | "clientId" | "remoteAssignor">> & {remoteAssignor: ServerAssignorName | null};
  memberId: string | null = null;
  /** The generation (classic) or the member epoch (consumer protocol) the member commits with. */
  generation = -1;
  /** "idle" before run(), "running", "crashed" or "closed". */
  state: "idle" | "running" | "crashed" | "closed" = "idle";
  /** Records handed to the handler. */
  delivered = 0;
  #topics: string[] = [];
  #assigned: Assigned[] = [];
  #handlers: ConsumerHandlers = {};
  #pollTimer: {id: number; time: number} | null = null;
  #busyUntil = 0;
  #delivering = false;
  #lastAutoCommit = 0;
  #autoCommitTimer: {id: number; time: number} | null = null;
  #committedPositions = new Map<Assigned, number>();
  #rotate = 0;
  #crashAfter = -1;
  #heartbeatTimer: {id: number; time: number} | null = null;

  constructor(cluster: KafkaProtocol, options: ConsumerOptions = {}) {
    const {
      groupId, assignor = "range", sessionTimeoutMs = 45_000, autoCommit = true, autoCommitIntervalMs = 5_000,
      autoOffsetReset = "latest", isolationLevel = "read_uncommitted", maxPollRecords = 500, processingMs = 0, handlerRetries = 5,
      groupProtocol = "classic", remoteAssignor = null, heartbeatIntervalMs = 0
    } = options;
    checkMs("heartbeatIntervalMs", heartbeatIntervalMs);
    checkOneOf("groupProtocol (group.protocol)", groupProtocol, ["classic", "consumer"]);
    if (groupProtocol === "consumer") {
      // The Java client refuses these with group.protocol=consumer: the broker assigns and times out members.
      for (const key of ["assignor", "sessionTimeoutMs", "heartbeatIntervalMs"] as const) {
        if (options[key] !== undefined) throw new KafkaConfigError(`${key} is a classic-protocol setting; with groupProtocol "consumer" use remoteAssignor (group.remote.assignor) and the broker's group.consumer.* settings`);
      }
    } else if (remoteAssignor !== null) throw new KafkaConfigError(`remoteAssignor (group.remote.assignor) needs groupProtocol "consumer"`);
    if (remoteAssignor !== null) checkOneOf("remoteAssignor (group.remote.assignor)", remoteAssignor, ["uniform", "range"]);
    if (groupId !== undefined && (typeof groupId !== "string" || groupId === "")) throw new KafkaConfigError(`groupId must be a non-empty string, got ${JSON.stringify(groupId)}`);
    checkOneOf("assignor (partition.assignment.strategy)", assignor, ["range", "roundrobin", "sticky", "cooperative-sticky"]);
    checkMs("sessionTimeoutMs", sessionTimeoutMs, 1);
    checkMs("autoCommitIntervalMs", autoCommitIntervalMs, 1);
    checkOneOf("autoOffsetReset (auto.offset.reset)", autoOffsetReset, ["earliest", "latest", "none"]);
    checkOneOf("isolationLevel (isolation.level)", isolationLevel, ["read_uncommitted", "read_committed"]);
    checkInteger("maxPollRecords", maxPollRecords, 1);
    checkMs("processingMs", processingMs);
    checkInteger("handlerRetries", handlerRetries, 0);
    this.cluster = cluster;
    this.groupId = groupId;
    this.clientId = options.clientId ?? cluster.clientName("consumer");
    this.options = {assignor, sessionTimeoutMs, heartbeatIntervalMs, groupProtocol, remoteAssignor, autoCommit: autoCommit && groupId !== undefined, autoCommitIntervalMs, autoOffsetReset, isolationLevel, maxPollRecords, processingMs, handlerRetries};
  }

  /** Subscribes to topics; with a group this joins it (a rebalance assigns the partitions). */
  subscribe(topics: string | string[]): void {
    const list = typeof topics === "string" ? [topics] : [...topics];
    if (this.groupId === undefined) throw new KafkaConfigError("subscribe() needs a groupId; without one, use assign([{topic, partition}])");
    this.#alive("subscribe");
    for (const t of list) this.cluster.metadata(t);
    this.#topics = list;
    if (this.options.groupProtocol === "consumer") {
      // KIP-1082: the member names itself (a UUID in Kafka; a numbered name here, so the seed's random stream is untouched); epoch 0 joins.
      this.memberId ??= this.cluster.clientName(`${this.clientId}/member`);
      if (this.generation < 0) this.generation = 0;
      return this.#heartbeat();
    }
    this.memberId = this.cluster.joinGroup({
      groupId: this.groupId, memberId: this.memberId, clientId: this.clientId, topics: list, assignor: this.options.assignor, sessionTimeoutMs: this.options.sessionTimeoutMs, heartbeatIntervalMs: this.options.heartbeatIntervalMs, client: this
    });
  }

  /** Manual assignment (no group): read exactly these partitions. */
  assignPartitions(partitions: TopicPartition[]): void {
    if (this.groupId !== undefined && this.memberId) throw new KafkaConfigError("assignPartitions() is for consumers without a subscription; this one subscribed to a group");
    this.#alive("assignPartitions");
    for (const tp of partitions) this.cluster.listOffsets(tp.topic, tp.partition);
    this.assign(-1, partitions);
  }

  /** Starts delivering records to the handler as the simulation runs. */
  run(handlers: ConsumerHandlers): void {
    if (!handlers || !handlers.eachMessage === !handlers.eachBatch) throw new KafkaConfigError("run() needs exactly one of eachMessage or eachBatch");
    this.#alive("run");
    this.#handlers = handlers;
    this.state = "running";
    this.#lastAutoCommit = this.cluster.sim.now;
    this.#wake();
  }

  /** The partitions this consumer owns now. */
  assignment(): TopicPartition[] {
    return this.#assigned.map(({topic, partition}) => ({topic, partition}));
  }

  /** The next offset this consumer will read from a partition (-1 while unresolved). */
  position(topic: string, partition: number): number {
    return this.#find(topic, partition, "position").position;
  }

  /** Commits offsets: the given ones, or the position of every owned partition (commitSync). */
  commit(offsets?: OffsetToCommit[]): void {
    if (this.groupId === undefined) throw new KafkaConfigError("commit() needs a groupId (group.id); a consumer without a group cannot commit offsets");
    this.#alive("commit");
    const list = offsets ?? this.#assigned.filter((a) => a.position >= 0).map((a) => ({topic: a.topic, partition: a.partition, offset: a.position}));
    if (list.length === 0) return;
    this.cluster.offsetCommit(this.groupId, list, this.memberId === null ? undefined : {memberId: this.memberId, generation: this.generation});
    for (const o of list) {
      const a = this.#assigned.find((x) => x.topic === o.topic && x.partition === o.partition);
      if (a) this.#committedPositions.set(a, o.offset);
    }
  }

  /** Moves the position of an owned partition; the next fetch starts there. */
  seek(topic: string, partition: number, offset: number): void {
    if (!Number.isInteger(offset) || offset < 0) throw new KafkaConfigError(`offset must be an integer >= 0, got ${offset}`);
    const a = this.#find(topic, partition, "seek");
    a.position = offset;
    a.epoch++;
    this.cluster.sim.record("kafka.consumer.seek", {group: this.groupId, member: this.#name, topic, partition, offset});
    this.#wake();
  }

  /** Seeks every owned partition of `topic` to the first record with timestamp >= `timestamp` (offsetsForTimes). */
  seekToTimestamp(topic: string, timestamp: number): void {
    checkMs("timestamp", timestamp);
    const owned = this.#assigned.filter((a) => a.topic === topic);
    if (owned.length === 0) throw new KafkaError("ILLEGAL_STATE", `no current assignment for topic ${topic}`);
    for (const a of owned) this.seek(topic, a.partition, this.cluster.offsetForTimestamp(topic, a.partition, timestamp) ?? a.offsets.logEndOffset);
  }

  seekToBeginning(topic: string): void {
    for (const a of this.#assigned.filter((x) => x.topic === topic)) this.seek(topic, a.partition, a.offsets.logStartOffset);
  }

  /** Stops fetching the given owned partitions (all if omitted); the member keeps heartbeating, so lag grows. */
  pause(partitions?: TopicPartition[]): void {
    this.#setPaused(partitions, true);
  }

  resume(partitions?: TopicPartition[]): void {
    this.#setPaused(partitions, false);
    this.#wake();
  }

  paused(): TopicPartition[] {
    return this.#assigned.filter((a) => a.paused).map(({topic, partition}) => ({topic, partition}));
  }

  /**
   * A fault: the process dies now. Nothing is committed and it does not leave the group: the
   * coordinator notices after session.timeout.ms. Records processed since the last commit are
   * delivered again to the next owner (at-least-once).
   */
  crash(): void {
    if (this.state === "crashed" || this.state === "closed") return;
    this.state = "crashed";
    this.cluster.sim.record("kafka.consumer.crash", {group: this.groupId, member: this.#name});
    this.#stop();
    if (this.groupId !== undefined && this.memberId) this.cluster.stopHeartbeats(this.groupId, this.memberId);
  }

  /** Fault: crash right after the handler has processed `n` more records, before anything commits them. */
  crashAfter(n: number): void {
    this.#crashAfter = checkInteger("n", n, 1);
  }

  /** A clean shutdown: commits (with auto-commit) and leaves the group, which rebalances at once. */
  close(): void {
    if (this.state === "crashed" || this.state === "closed") return;
    if (this.options.autoCommit) this.#autoCommit(true);
    this.state = "closed";
    this.#stop();
    if (this.groupId !== undefined && this.memberId) this.cluster.leaveGroup(this.groupId, this.memberId, "left the group");
  }

  // ---- GroupMemberClient (called by the coordinator) ----

  revoke(partitions: TopicPartition[]): void {
    if (this.state === "crashed" || this.state === "closed") return;
    const keys = new Set(partitions.map((tp) => `${tp.topic}-${tp.partition}`));
    if (this.options.autoCommit && this.groupId !== undefined && this.memberId) {
      const list = this.#assigned.filter((a) => keys.has(`${a.topic}-${a.partition}`) && a.position >= 0 && this.#committedPositions.get(a) !== a.position);
      if (list.length > 0) this.#commitQuietly(list);
    }
    for (const a of this.#assigned) if (keys.has(`${a.topic}-${a.partition}`)) this.#release(a);
    this.#assigned = this.#assigned.filter((a) => !keys.has(`${a.topic}-${a.partition}`));
    this.cluster.sim.record("kafka.consumer.revoke", {group: this.groupId, member: this.#name, partitions: [...keys]});
    this.#handlers.onPartitionsRevoked?.(partitions);
  }

  assign(generation: number, partitions: TopicPartition[]): void {
    if (this.state === "crashed" || this.state === "closed") return;
    this.generation = generation;
    const keep = new Map(this.#assigned.map((a) => [`${a.topic}-${a.partition}`, a]));
    const next: Assigned[] = [];
    const added: TopicPartition[] = [];
    for (const {topic, partition} of partitions) {
      const existing = keep.get(`${topic}-${partition}`);
      if (existing) {
        keep.delete(`${topic}-${partition}`);
        next.push(existing);
        continue;
      }
      const offsets = this.cluster.listOffsets(topic, partition);
      const a: Assigned = {topic, partition, offsets, position: -1, paused: false, epoch: 0, unwatch: this.cluster.watch(topic, partition, () => this.#wake())};
      next.push(a);
      added.push({topic, partition});
    }
    for (const a of keep.values()) this.#release(a);
    this.#assigned = next;
    this.cluster.sim.record("kafka.consumer.assign", {group: this.groupId, member: this.#name, generation, partitions: partitions.map((tp) => `${tp.topic}-${tp.partition}`)});
    if (added.length > 0) this.#handlers.onPartitionsAssigned?.(added);
    this.#wake();
  }

  // ---- the consumer protocol (KIP-848): heartbeat-driven reconciliation ----

  // One ConsumerGroupHeartbeat: sent now, handled by the coordinator on arrival, and its answer acted
  // on a round trip later. The periodic ones are background timers (they do not keep a run alive).
  #heartbeat(): void {
    const sim = this.cluster.sim;
    if (this.#heartbeatTimer) sim.cancel(this.#heartbeatTimer);
    this.#heartbeatTimer = null;
    const response = this.cluster.consumerGroupHeartbeat({
      groupId: this.groupId!, memberId: this.memberId!, memberEpoch: this.generation, clientId: this.clientId, topics: this.#topics,
      serverAssignor: this.options.remoteAssignor, ownedPartitions: this.assignment()
    });
    sim.schedule(2 * this.cluster.networkMs, () => this.#reconcile(response));
  }

  // The member's side of reconciliation (the Java client's ConsumerMembershipManager): revoke what
  // the answer leaves out (committing first), take what it adds, and acknowledge at once with a new
  // heartbeat when anything changed; otherwise heartbeat again after the interval.
  #reconcile(response: ConsumerGroupHeartbeatResponse): void {
    if (this.state === "crashed" || this.state === "closed") return;
    const sim = this.cluster.sim;
    let changed: boolean;
    if (response.error) {
      // Fenced or expired: the partitions are lost (onPartitionsLost, nothing committed); rejoin with epoch 0.
      changed = true;
      const lost = this.assignment();
      for (const a of this.#assigned) this.#release(a);
      this.#assigned = [];
      sim.record("kafka.consumer.revoke", {group: this.groupId, member: this.#name, partitions: lost.map((tp) => `${tp.topic}-${tp.partition}`)});
      this.#handlers.onPartitionsLost?.(lost);
      this.generation = 0;
    } else {
      const target = new Set(response.assignment.map((tp) => `${tp.topic}-${tp.partition}`));
      const revoked = this.assignment().filter((tp) => !target.has(`${tp.topic}-${tp.partition}`));
      if (revoked.length > 0) this.revoke(revoked);
      const before = this.assignment().map((tp) => `${tp.topic}-${tp.partition}`).join();
      const epochChanged = response.memberEpoch !== this.generation;
      if (revoked.length > 0 || before !== [...target].join() || epochChanged) this.assign(response.memberEpoch, response.assignment);
      changed = revoked.length > 0 || before !== this.assignment().map((tp) => `${tp.topic}-${tp.partition}`).join();
    }
    if (changed) this.#heartbeat();
    else this.#heartbeatTimer = sim.schedule(response.heartbeatIntervalMs, () => this.#heartbeat(), {background: true});
  }

  // ---- fetching ----

  get #name(): string {
    return this.memberId ?? this.clientId;
  }

  #alive(what: string): void {
    if (this.state === "crashed" || this.state === "closed") throw new KafkaError("ILLEGAL_STATE", `${what}() on a ${this.state} consumer`);
  }

  #find(topic: string, partition: number, what: string): Assigned {
    const a = this.#assigned.find((x) => x.topic === topic && x.partition === partition);
    if (!a) throw new KafkaError("ILLEGAL_STATE", `${what}(): no current assignment for partition ${topic}-${partition} (owned: ${this.#assigned.map((x) => `${x.topic}-${x.partition}`).join(", ") || "none"})`);
    return a;
  }

  #setPaused(partitions: TopicPartition[] | undefined, paused: boolean): void {
    const list = partitions ? partitions.map((tp) => this.#find(tp.topic, tp.partition, paused ? "pause" : "resume")) : this.#assigned;
    for (const a of list) a.paused = paused;
    this.cluster.sim.record(paused ? "kafka.consumer.pause" : "kafka.consumer.resume", {group: this.groupId, member: this.#name, partitions: list.map((a) => `${a.topic}-${a.partition}`)});
  }

  #release(a: Assigned): void {
    a.unwatch();
    a.epoch++;
    this.#committedPositions.delete(a);
  }

  #stop(): void {
    for (const a of this.#assigned) this.#release(a);
    this.#assigned = [];
    if (this.#pollTimer) this.cluster.sim.cancel(this.#pollTimer);
    if (this.#autoCommitTimer) this.cluster.sim.cancel(this.#autoCommitTimer);
    if (this.#heartbeatTimer) this.cluster.sim.cancel(this.#heartbeatTimer);
    this.#pollTimer = this.#autoCommitTimer = this.#heartbeatTimer = null;
  }

  #limit(a: Assigned): number {
    return this.options.isolationLevel === "read_committed" ? a.offsets.lastStableOffset : a.offsets.highWatermark;
  }

  // Resolves an unknown or out-of-range position: the committed offset, else auto.offset.reset.
  #resolve(a: Assigned): void {
    const p = a.offsets;
    if (a.position < 0 && this.groupId !== undefined) {
      const committed = this.cluster.offsetFetch(this.groupId, a.topic, a.partition);
      if (committed !== undefined) {
        a.position = committed;
        this.#committedPositions.set(a, committed);
      }
    }
    if (a.position >= p.logStartOffset && a.position <= p.logEndOffset) return;
    const reset = this.options.autoOffsetReset;
    const was = a.position;
    if (reset === "none") {
      this.crash();
      throw new KafkaError("OFFSET_OUT_OF_RANGE", `no valid offset for ${a.topic}-${a.partition} in group ${this.groupId} and autoOffsetReset (auto.offset.reset) is "none"; use "earliest" or "latest"`);
    }
    a.position = reset === "earliest" ? p.logStartOffset : this.#limit(a);
    this.cluster.sim.record("kafka.consumer.reset", {group: this.groupId, member: this.#name, topic: a.topic, partition: a.partition, from: was, offset: a.position, policy: reset});
  }

  #hasData(): boolean {
    for (const a of this.#assigned) {
      if (a.paused) continue;
      if (a.position < 0 || a.position < a.offsets.logStartOffset) return true;
      if (a.position < this.#limit(a)) return true;
    }
    return false;
  }

  #wake(): void {
    if (this.state !== "running" || this.#pollTimer || this.#delivering) return;
    if (!this.#hasData()) {
      this.#scheduleAutoCommit();
      return;
    }
    const at = Math.max(this.#busyUntil, this.cluster.sim.now + this.cluster.networkMs);
    this.#pollTimer = this.cluster.sim.schedule(at - this.cluster.sim.now, () => this.#poll());
  }

  // With nothing to fetch, a real consumer keeps polling and its auto-commit still fires on time.
  #scheduleAutoCommit(): void {
    if (!this.options.autoCommit || this.#autoCommitTimer || this.state !== "running") return;
    if (!this.#assigned.some((a) => a.position >= 0 && this.#committedPositions.get(a) !== a.position)) return;
    const due = Math.max(0, this.#lastAutoCommit + this.options.autoCommitIntervalMs - this.cluster.sim.now);
    this.#autoCommitTimer = this.cluster.sim.schedule(due, () => {
      this.#autoCommitTimer = null;
      if (this.state === "running" && !this.#delivering) this.#autoCommit(false);
    });
  }

  #autoCommit(force: boolean): void {
    const now = this.cluster.sim.now;
    if (!force && now - this.#lastAutoCommit < this.options.autoCommitIntervalMs) return;
    this.#lastAutoCommit = now;
    const list = this.#assigned.filter((a) => a.position >= 0 && this.#committedPositions.get(a) !== a.position);
    if (list.length > 0) this.#commitQuietly(list);
  }

  // Auto-commit failures (a stale generation after a rebalance) are logged, not thrown: Kafka's
  // auto-commit only warns, and the new owner re-reads from the last successful commit.
  #commitQuietly(list: Assigned[]): void {
    try {
      this.commit(list.map((a) => ({topic: a.topic, partition: a.partition, offset: a.position})));
    } catch (error) {
      if (!(error instanceof KafkaError)) throw error;
      this.cluster.sim.record("kafka.commit.error", {group: this.groupId, member: this.#name, code: error.code});
    }
  }

  #poll(): void | Promise<void> {
    this.#pollTimer = null;
    if (this.state !== "running") return;
    if (this.options.autoCommit) this.#autoCommit(false);
    const max = this.options.maxPollRecords;
    const batches: {a: Assigned; epoch: number; records: ConsumerRecord[]; next: number}[] = [];
    let total = 0;
    const n = this.#assigned.length;
    for (let k = 0; k < n && total < max; k++) {
      const a = this.#assigned[(this.#rotate + k) % n];
      if (a.paused) continue;
      this.#resolve(a);
      const limit = this.#limit(a);
      if (a.position >= limit) continue;
      const {records, nextOffset: next} = this.cluster.fetch({topic: a.topic, partition: a.partition, fetchOffset: a.position, maxRecords: max - total, isolationLevel: this.options.isolationLevel});
      total += records.length;
      batches.push({a, epoch: a.epoch, records, next});
    }
    this.#rotate = n === 0 ? 0 : (this.#rotate + 1) % n;
    return this.#deliver(batches, 0, 0, total);
  }

  // Hands records over in offset order. A handler that returns a promise (it awaits a send or a
  // transaction, which take virtual time) is waited for without blocking the simulation.
  #deliver(batches: {a: Assigned; epoch: number; records: ConsumerRecord[]; next: number}[], b: number, i: number, total: number, attempt = 0): void | Promise<void> {
    const sim = this.cluster.sim;
    const trace = sim.trace.enabled;
    const {eachMessage, eachBatch} = this.#handlers;
    for (; b < batches.length; b++, i = 0) {
      const {a, epoch, records, next} = batches[b];
      for (; i < records.length; ) {
        if (this.state !== "running" || a.epoch !== epoch || a.paused) break;
        const record = records[i];
        const slice = eachBatch ? records.slice(i) : null;
        let result: void | Promise<void>;
        try {
          if (trace) {
            for (const r of slice ?? [record]) {
              sim.record("kafka.consume", {group: this.groupId, member: this.#name, topic: r.topic, partition: r.partition, offset: r.offset, key: r.key, value: r.value});
            }
          }
          result = slice ? eachBatch!(slice) : eachMessage!(record);
        } catch (error) {
          return this.#failed(batches, b, i, total, attempt, error);
        }
        const step = slice ? slice.length : 1;
        if (result && typeof (result as Promise<void>).then === "function") {
          this.#delivering = true;
          return this.#await(result as Promise<void>, () => {
            this.#delivering = false;
            this.#advance(a, epoch, records[i + step - 1].offset + 1, step);
            return this.#deliver(batches, b, i + step, total);
          }, (error) => {
            this.#delivering = false;
            return this.#failed(batches, b, i, total, attempt, error);
          });
        }
        this.#advance(a, epoch, records[i + step - 1].offset + 1, step);
        i += step;
        attempt = 0;
      }
      // Control markers and aborted records after the last delivered record are skipped too.
      if (this.state === "running" && a.epoch === epoch && !a.paused && i >= records.length && next > a.position) a.position = next;
    }
    this.#busyUntil = sim.now + total * this.options.processingMs;
    this.#wake();
  }

  #advance(a: Assigned, epoch: number, position: number, count: number): void {
    this.delivered += count;
    if (a.epoch === epoch && this.state === "running") a.position = position;
    if (this.#crashAfter > 0 && (this.#crashAfter -= count) <= 0) {
      this.#crashAfter = -1;
      this.crash();
    }
  }

  // Waits for a handler's promise without blocking the simulation: a handler that only awaits
  // microtasks settles within a few ticks and continues in the same task; one that awaits virtual
  // time (a send, a transaction) is checked by an async guard task every virtual ms, which keeps
  // the run alive while the handler is busy.
  async #await(promise: Promise<void>, onDone: () => void | Promise<void>, onError: (e: unknown) => void | Promise<void>): Promise<void> {
    let settled: {ok: boolean; error?: unknown} | null = null;
    promise.then(() => (settled = {ok: true}), (error) => (settled = {ok: false, error}));
    for (let tick = 0; tick < 8 && settled === null; tick++) await null;
    const sim = this.cluster.sim;
    const finish = (): void | Promise<void> => {
      const s = settled as unknown as {ok: boolean; error?: unknown};
      return s.ok ? onDone() : onError(s.error);
    };
    if (settled !== null) return finish();
    const started = sim.now;
    const guard = async (): Promise<void> => {
      for (let tick = 0; tick < 8 && settled === null; tick++) await null;
      if (settled !== null) return finish();
      // max.poll.interval.ms (default 5 min): a handler stuck that long costs the member its place.
      if (sim.now - started >= MAX_POLL_INTERVAL_MS) {
        this.#delivering = false;
        sim.record("kafka.consumer.poll-timeout", {group: this.groupId, member: this.#name, waitedMs: sim.now - started});
        this.crash();
        return;
      }
      sim.schedule(1, guard);
    };
    sim.schedule(1, guard);
  }

  #failed(batches: {a: Assigned; epoch: number; records: ConsumerRecord[]; next: number}[], b: number, i: number, total: number, attempt: number, error: unknown): void | Promise<void> {
    const {a, records} = batches[b];
    const record = records[i];
    this.cluster.sim.record("kafka.consume.error", {group: this.groupId, member: this.#name, topic: a.topic, partition: a.partition, offset: record.offset, attempt, error: String(error)});
    if (attempt >= this.options.handlerRetries) {
      this.crash();
      return;
    }
    this.#delivering = true;
    this.cluster.sim.schedule(100, () => {
      this.#delivering = false;
      return this.#deliver(batches, b, i, total, attempt + 1);
    });
  }
}
