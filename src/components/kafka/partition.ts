// A partition as the leader broker sees it: the log plus replication (in-sync replicas, high
// watermark), the idempotent-producer state that drops duplicate batches, and open transactions
// (which hold back the last stable offset). Followers are modelled as prefixes of the leader's log
// (their log-end offsets), which is what Kafka's replication protocol converges to.

import {KafkaError} from "./errors.js";
import {ABORTED, COMMIT, CONTROL, TRANSACTIONAL, type PartitionLog} from "./log.js";
import type {ProduceBatch, ProduceResult} from "./protocol.js";

interface ProducerState {
  epoch: number;
  lastSequence: number;
  /** The last five batches (Kafka caches five per producer) to answer duplicates with their offsets. */
  batches: {firstSequence: number; lastSequence: number; baseOffset: number}[];
}

interface Waiter {
  /** Respond once the high watermark reaches this offset. */
  until: number;
  respond: (result: ProduceResult) => void;
  baseOffset: number;
}

export class Partition {
  readonly topic: string;
  readonly partition: number;
  readonly log: PartitionLog;
  /** Broker ids holding a replica; the first alive in-sync one leads after a failure. */
  readonly replicas: number[];
  leader: number | null;
  readonly isr = new Set<number>();
  /** Followers' log-end offsets (the leader's is log.logEndOffset). */
  readonly replicaLeo = new Map<number, number>();
  highWatermark = 0;
  /** producerId -> first offset of its open transaction here. */
  readonly openTransactions = new Map<number, number>();
  readonly producers = new Map<number, ProducerState>();
  readonly waiters: Waiter[] = [];
  /** Called whenever records become visible (high watermark or last stable offset moves). */
  readonly listeners = new Set<() => void>();
  /** The replica that was in sync when the partition went offline: the only one allowed to lead it back. */
  #lastInSync = -1;

  constructor(topic: string, partition: number, log: PartitionLog, replicas: number[]) {
    this.topic = topic;
    this.partition = partition;
    this.log = log;
    this.replicas = replicas;
    this.leader = replicas[0];
    for (const b of replicas) {
      this.isr.add(b);
      this.replicaLeo.set(b, 0);
    }
  }

  get logEndOffset(): number {
    return this.log.logEndOffset;
  }

  get logStartOffset(): number {
    return this.log.logStartOffset;
  }

  /** read_committed consumers read up to here: the first offset of the oldest open transaction, capped by the high watermark. */
  get lastStableOffset(): number {
    let lso = this.highWatermark;
    for (const first of this.openTransactions.values()) if (first < lso) lso = first;
    return lso;
  }

  /**
   * Broker side of a produce request. Checks leadership, min.insync.replicas, producer epoch and
   * sequence (KIP-98: a sequence at or below the last one is a duplicate, a gap is out of order),
   * appends, and responds now (acks 0/1) or once every in-sync replica has the batch (acks=all).
   */
  produce(batch: ProduceBatch, now: number, respond: (result: ProduceResult) => void): void {
    const fail = (code: string, message: string, retriable: boolean) => respond({error: new KafkaError(code, message, retriable), baseOffset: -1});
    const where = `${this.topic}-${this.partition}`;
    if (this.leader === null) return fail("NOT_LEADER_OR_FOLLOWER", `${where} has no leader (no in-sync replica is alive)`, true);
    if (batch.acks === -1 && this.isr.size < this.log.config.minInsyncReplicas) {
      return fail("NOT_ENOUGH_REPLICAS", `${where} has ${this.isr.size} in-sync replicas, below minInsyncReplicas=${this.log.config.minInsyncReplicas}`, true);
    }
    const n = batch.records.values.length;
    if (batch.producerId >= 0 && batch.baseSequence >= 0) {
      const state = this.producers.get(batch.producerId);
      if (state && batch.producerEpoch < state.epoch) {
        return fail("PRODUCER_FENCED", `producer ${batch.producerId} epoch ${batch.producerEpoch} is older than epoch ${state.epoch} on ${where}`, false);
      }
      const last = state && state.epoch === batch.producerEpoch ? state.lastSequence : -1;
      if (batch.baseSequence <= last) {
        // Not cached any more: Kafka answers DUPLICATE_SEQUENCE_NUMBER, which the Java Sender
        // completes as a success without an offset (-1): the batch is in the log already.
        const cached = state?.batches.find((b) => b.firstSequence === batch.baseSequence);
        return respond({baseOffset: cached ? cached.baseOffset : -1, duplicate: true});
      }
      if (batch.baseSequence !== last + 1) {
        return fail("OUT_OF_ORDER_SEQUENCE_NUMBER", `${where} expected sequence ${last + 1} from producer ${batch.producerId}, got ${batch.baseSequence}`, true);
      }
    }
    const baseOffset = this.log.logEndOffset;
    const origin = {producerId: batch.producerId, producerEpoch: batch.producerEpoch, sequence: batch.baseSequence, flags: batch.transactional ? TRANSACTIONAL : 0};
    this.log.appendBatch(batch.records, batch.timestamp ?? now, now, origin);
    if (batch.producerId >= 0) this.#remember(batch.producerId, batch.producerEpoch, batch.baseSequence, n, baseOffset);
    if (batch.transactional && !this.openTransactions.has(batch.producerId)) this.openTransactions.set(batch.producerId, baseOffset);
    if (batch.acks === -1 && this.highWatermark < baseOffset + n) {
      this.waiters.push({until: baseOffset + n, respond, baseOffset});
    } else {
      respond({baseOffset});
    }
  }

  /** Writes a COMMIT or ABORT marker for the producer's open transaction here (it takes an offset). */
  writeMarker(producerId: number, producerEpoch: number, commit: boolean, now: number): number {
    const first = this.openTransactions.get(producerId);
    if (first !== undefined && !commit) {
      // Flag the aborted records once, instead of consulting an aborted-transaction index on every fetch.
      this.log.scan(first, this.log.logEndOffset, Infinity, (seg, i) => {
        if (seg.producerIds[i] === producerId && seg.flags[i] & TRANSACTIONAL) seg.flags[i] |= ABORTED;
        return false;
      });
    }
    const offset = this.log.append({key: null, value: null}, now, now, {producerId, producerEpoch, sequence: -1, flags: CONTROL | TRANSACTIONAL | (commit ? COMMIT : 0)});
    this.openTransactions.delete(producerId);
    const state = this.producers.get(producerId);
    if (state && producerEpoch > state.epoch) this.producers.set(producerId, {epoch: producerEpoch, lastSequence: -1, batches: []});
    return offset;
  }

  /** Followers fetch: every alive in-sync follower catches up to the leader; the high watermark follows. */
  replicate(alive: (broker: number) => boolean): void {
    if (this.leader === null) return;
    const leo = this.log.logEndOffset;
    for (const b of this.replicas) {
      if (b === this.leader || !alive(b)) continue;
      this.replicaLeo.set(b, leo);
      this.isr.add(b);
    }
    this.replicaLeo.set(this.leader, leo);
    this.updateHighWatermark();
  }

  updateHighWatermark(): void {
    let hw = this.log.logEndOffset;
    for (const b of this.isr) hw = Math.min(hw, b === this.leader ? this.log.logEndOffset : this.replicaLeo.get(b) ?? 0);
    const beforeHw = this.highWatermark, beforeLso = this.lastStableOffset;
    if (hw > this.highWatermark) this.highWatermark = hw;
    if (this.waiters.length > 0) {
      // Usually every waiter is answered at once: then the list is taken whole instead of filtered twice.
      const all = this.waiters.every((w) => w.until <= this.highWatermark);
      const ready = all ? this.waiters.splice(0) : this.waiters.filter((w) => w.until <= this.highWatermark);
      if (!all && ready.length > 0) this.waiters.splice(0, this.waiters.length, ...this.waiters.filter((w) => w.until > this.highWatermark));
      for (const w of ready) w.respond({baseOffset: w.baseOffset});
    }
    if (this.highWatermark !== beforeHw || this.lastStableOffset !== beforeLso) this.notify();
  }

  notify(): void {
    for (const listener of this.listeners) listener();
  }

  /**
   * A replica's broker failed. If it led, the first alive in-sync follower takes over and the log
   * is cut back to that follower's log-end offset: records above it, never acknowledged to acks=all
   * producers, are lost. Returns how many records were truncated.
   */
  replicaFailed(broker: number, alive: (broker: number) => boolean): number {
    this.isr.delete(broker);
    if (this.leader !== broker) {
      this.updateHighWatermark();
      return 0;
    }
    const next = this.replicas.find((b) => b !== broker && this.isr.has(b) && alive(b));
    if (next === undefined) {
      this.leader = null;
      this.#lastInSync = broker;
      return 0;
    }
    this.leader = next;
    const leo = this.replicaLeo.get(next) ?? 0;
    const lost = this.log.truncateTo(leo);
    for (const [b, l] of this.replicaLeo) this.replicaLeo.set(b, Math.min(l, leo));
    if (lost > 0) this.#rebuildState();
    const cut = this.waiters.filter((w) => w.until > leo);
    this.waiters.splice(0, this.waiters.length, ...this.waiters.filter((w) => w.until <= leo));
    for (const w of cut) w.respond({error: new KafkaError("NOT_LEADER_OR_FOLLOWER", `leader of ${this.topic}-${this.partition} changed`, true), baseOffset: -1});
    this.updateHighWatermark();
    return lost;
  }

  /** A broker came back: its replica rejoins from the high watermark and catches up on the next fetch. */
  replicaRestarted(broker: number): void {
    if (!this.replicas.includes(broker)) return;
    if (this.leader === null) {
      // Clean election only (unclean.leader.election.enable=false): the partition stays offline
      // until the last in-sync replica returns; it leads with its whole log.
      if (broker === this.#lastInSync) {
        this.leader = broker;
        this.isr.add(broker);
        this.replicaLeo.set(broker, this.log.logEndOffset);
      }
      return;
    }
    this.replicaLeo.set(broker, this.highWatermark);
  }

  #remember(producerId: number, epoch: number, firstSequence: number, n: number, baseOffset: number): void {
    let state = this.producers.get(producerId);
    if (!state || state.epoch !== epoch) this.producers.set(producerId, (state = {epoch, lastSequence: -1, batches: []}));
    if (firstSequence < 0) return;
    state.lastSequence = firstSequence + n - 1;
    state.batches.push({firstSequence, lastSequence: state.lastSequence, baseOffset});
    if (state.batches.length > 5) state.batches.shift();
  }

  // After truncation, producer state and open transactions are rebuilt from the log, as a Kafka
  // broker does when it loads a log (ProducerStateManager).
  #rebuildState(): void {
    this.producers.clear();
    this.openTransactions.clear();
    this.log.scan(this.log.logStartOffset, this.log.logEndOffset, Infinity, (seg, i) => {
      const pid = seg.producerIds[i];
      if (pid < 0) return false;
      const flags = seg.flags[i];
      if (flags & CONTROL) this.openTransactions.delete(pid);
      else if (flags & TRANSACTIONAL && !this.openTransactions.has(pid)) this.openTransactions.set(pid, seg.offsets[i]);
      if (seg.sequences[i] >= 0) this.#remember(pid, seg.epochs[i], seg.sequences[i], 1, seg.offsets[i]);
      return false;
    });
  }
}
