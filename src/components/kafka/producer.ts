// A producer: picks a partition per record (murmur2 of the key, or the sticky partition for
// keyless records), sends one batch per partition and send() call, and waits for the acks it asked
// for. Lost requests and lost acknowledgements are retried after request.timeout.ms; an idempotent
// producer (the default since Kafka 3.0, KIP-679) numbers its batches so the broker drops the
// duplicates a retry would write. A transactional producer (KIP-98) adds begin/commit/abort.

import type {TopicPartition} from "./assignors.js";
import {KafkaConfigError, KafkaError, checkInteger, checkMs} from "./errors.js";
import {addSizeBound, recordSize, type Headers, type RecordColumns} from "./log.js";
import {keyPartitioner} from "./partitioner.js";
import {partitionOf, type KafkaProtocol, type OffsetToCommit, type ProduceBatch, type ProduceResult, type TopicMetadata} from "./protocol.js";

type Acks = 0 | 1 | -1 | "all";

export interface ProducerOptions {
  clientId?: string;
  /** acks: 0 (fire and forget), 1 (leader only), "all"/-1 (every in-sync replica; default). */
  acks?: Acks;
  /** enable.idempotence (default true, Kafka ≥ 3.0). Needs acks=all. */
  idempotent?: boolean;
  /** transactional.id: enables transactions (and idempotence). */
  transactionalId?: string;
  /** retries (default 2147483647, bounded by deliveryTimeoutMs). */
  retries?: number;
  retryBackoffMs?: number;
  /** request.timeout.ms (default 30 s): how long to wait for a response before retrying. */
  requestTimeoutMs?: number;
  /** delivery.timeout.ms (default 120 s): a batch not acknowledged by then fails. */
  deliveryTimeoutMs?: number;
  /** batch.size (default 16384): the sticky partitioner moves on after this many bytes. */
  batchSize?: number;
  /** transaction.timeout.ms (default 60 s). */
  transactionTimeoutMs?: number;
  /**
   * max.in.flight.requests.per.connection (default 5, at most 5 with idempotence): batches sent
   * but not yet answered, here counted per partition. The broker remembers the last 5 batches of
   * each producer for deduplication, which is why idempotence caps this at 5.
   */
  maxInFlight?: number;
  /** Fault: probability that a request is lost on the way (nothing appended). */
  lostRequests?: number;
  /** Fault: probability that a response is lost (the broker appended, the producer retries). */
  lostAcks?: number;
}

export interface ProducerRecord {
  topic: string;
  key?: unknown;
  /** null is a tombstone in a compacted topic. */
  value: unknown;
  partition?: number;
  headers?: Headers;
  /** CreateTime; defaults to the virtual now. */
  timestamp?: number;
}

export interface RecordMetadata {
  topic: string;
  partition: number;
  /** -1 when unknown (acks=0). */
  offset: number;
  timestamp: number;
}

interface InFlightBatch {
  /** Producer-local batch number, and how many records earlier send() calls took (for duplicate and order metrics). */
  id: number;
  firstIndex: number;
  /** The topic's metadata entry for the partition (stable identity: the producer's maps are keyed by it). */
  partition: TopicPartition;
  request: ProduceBatch;
  /** Index in the send() call of each record; null when the batch is the whole call. */
  indexes: number[] | null;
  firstSent: number;
  attempts: number;
  attempt: number;
  timer: {id: number; time: number} | null;
  parked: boolean;
  /** Sent at least once; batches beyond max.in.flight wait in the queue unsent. */
  started: boolean;
  done: boolean;
  inTransaction: boolean;
  /** The offset of the first record once acknowledged (-1 with acks=0 or for a duplicate no longer cached). */
  baseOffset: number;
  resolve: (baseOffset: number) => void;
  reject: (error: KafkaError) => void;
}

const RESOLVED = Promise.resolve();
const ignore = (): void => {};

/**
 * Lets promise continuations of a response run before the kernel moves to the next task: the
 * task's promise settles 16 microtask turns after `fn`, as an async function awaiting null 16
 * times would, but each turn is one `then` on a settled promise (half the allocation of an
 * await, and a producer answers one response per batch).
 */
const settling = (fn: () => void) => () =>
  new Promise<void>((resolve) => {
    fn();
    let ticks = 16;
    const tick = (): void => (--ticks === 0 ? resolve() : void RESOLVED.then(tick));
    void RESOLVED.then(tick);
  });

export class Producer {
  readonly cluster: KafkaProtocol;
  readonly clientId: string;
  readonly acks: 0 | 1 | -1;
  readonly idempotent: boolean;
  readonly transactionalId: string | undefined;
  readonly options: Required<Omit<ProducerOptions, "clientId" | "acks" | "idempotent" | "transactionalId">>;
  producerId = -1;
  producerEpoch = -1;
  state: "ready" | "crashed" | "closed" | "fenced" = "ready";
  /** Responses the producer will lose next (a deterministic fault, see loseAcks). */
  #acksToLose = 0;
  #sequences = new Map<TopicPartition, number>();
  #sticky = new Map<string, {partition: number; bytes: number}>();
  #inFlight = new Map<TopicPartition, InFlightBatch[]>();
  /** Started batches at the head of each partition's queue (the rest wait for max.in.flight). */
  #started = new Map<TopicPartition, number>();
  #inTransaction = false;
  /** Sends of the open transaction still unacknowledged, the first error among them, and what waits for them. */
  #txnPending = 0;
  #txnError: unknown = null;
  #afterFlush: (() => void)[] = [];
  #ending = false;
  #batches = 0;
  #parked = 0;
  /** Records passed to send() so far: the application's order, which metrics compare with delivery order. */
  #sent = 0;
  #txnPartitions = new Set<TopicPartition>();
  /** Scratch for send(): each record's partition, the batch number of each partition of the main topic and of other topics' partitions, and each record's batch number. */
  #targets: TopicPartition[] = [];
  #slotOf = new Int32Array(16);
  #slots = new Map<TopicPartition, number>();
  #batchOf = new Int32Array(64);
  /** The default partitioner for keyed records, with a memo of the keys' hashes (a producer's keys repeat). */
  #partitionForKey = keyPartitioner();

  constructor(cluster: KafkaProtocol, options: ProducerOptions = {}) {
    const {
      acks = "all", transactionalId, retries = 2147483647, retryBackoffMs = 100, requestTimeoutMs = 30_000,
      deliveryTimeoutMs = 120_000, batchSize = 16384, transactionTimeoutMs = 60_000, lostRequests = 0, lostAcks = 0, maxInFlight = 5
    } = options;
    if (![0, 1, -1, "all"].includes(acks)) throw new KafkaConfigError(`acks must be one of 0, 1, -1, "all", got ${JSON.stringify(acks)}`);
    const acksValue = acks === "all" ? -1 : acks;
    if (transactionalId !== undefined && (typeof transactionalId !== "string" || transactionalId === "")) {
      throw new KafkaConfigError(`transactionalId must be a non-empty string, got ${JSON.stringify(transactionalId)}`);
    }
    // Kafka ≥ 3.2: idempotence is on unless the configs conflict; an explicit request that conflicts is an error.
    const explicit = options.idempotent ?? (transactionalId !== undefined ? true : undefined);
    if (transactionalId !== undefined && explicit === false) throw new KafkaConfigError("idempotent must be true (or unset) with a transactionalId: transactions need the idempotent producer");
    if (explicit === true && acksValue !== -1) throw new KafkaConfigError(`idempotent producer needs acks "all" (-1), got acks ${JSON.stringify(acks)}: set acks to "all" or idempotent to false`);
    checkInteger("retries", retries, 0);
    checkMs("retryBackoffMs", retryBackoffMs);
    checkMs("requestTimeoutMs", requestTimeoutMs, 1);
    checkMs("deliveryTimeoutMs", deliveryTimeoutMs, requestTimeoutMs);
    checkInteger("batchSize", batchSize, 1);
    checkInteger("maxInFlight", maxInFlight, 1);
    checkMs("transactionTimeoutMs", transactionTimeoutMs, 1);
    for (const [name, p] of [["lostRequests", lostRequests], ["lostAcks", lostAcks]] as const) {
      if (typeof p !== "number" || !(p >= 0 && p <= 1)) throw new KafkaConfigError(`${name} must be a probability in [0, 1], got ${p}`);
    }
    this.cluster = cluster;
    this.clientId = options.clientId ?? cluster.clientName("producer");
    this.acks = acksValue;
    this.idempotent = explicit ?? acksValue === -1;
    if (this.idempotent && maxInFlight > 5) throw new KafkaConfigError(`maxInFlight must be at most 5 with an idempotent producer, got ${maxInFlight}`);
    this.transactionalId = transactionalId;
    this.options = {retries, retryBackoffMs, requestTimeoutMs, deliveryTimeoutMs, batchSize, transactionTimeoutMs, lostRequests, lostAcks, maxInFlight};
    if (this.idempotent && transactionalId === undefined) {
      ({producerId: this.producerId, producerEpoch: this.producerEpoch} = cluster.initProducerId());
    }
  }

  /** Fault: the next `n` responses to this producer are lost (the writes happened; the producer retries). */
  loseAcks(n: number): void {
    this.#acksToLose += checkInteger("n", n, 0);
  }

  /**
   * Sends records; resolves with their metadata once acknowledged (acks=0: at once, offset -1).
   * Every record is checked before any is sent, so a refused call sends nothing.
   */
  send(records: ProducerRecord | ProducerRecord[]): Promise<RecordMetadata[]> {
    const list = Array.isArray(records) ? records : [records];
    this.#ready("send");
    if (this.transactionalId !== undefined && (!this.#inTransaction || this.#ending)) {
      throw new KafkaError("INVALID_TXN_STATE", `send() on a transactional producer (transactionalId ${JSON.stringify(this.transactionalId)}) needs beginTransaction() first`);
    }
    const now = this.cluster.sim.now;
    const targets = this.#targets; // entries [0, list.length) are all written below
    // The topic's metadata is looked up once per run of records to the same topic (a send usually names one).
    let topic: TopicMetadata | undefined;
    let compact = false;
    let stamped = false, headed = false;
    for (let i = 0; i < list.length; i++) {
      const r = list[i];
      if (topic === undefined || r?.topic !== topic.name) {
        topic = this.cluster.metadata(r?.topic);
        compact = topic.config.cleanupPolicy.includes("compact");
      }
      if (r.value === undefined) throw new KafkaConfigError(`value must be set for a record to ${r.topic} (null for a tombstone)`);
      if (r.timestamp !== undefined) {
        checkMs("timestamp", r.timestamp);
        stamped = true;
      }
      if (r.headers !== undefined) headed = true;
      if (r.partition !== undefined) targets[i] = partitionOf(topic, r.partition);
      else if (r.key !== undefined && r.key !== null) targets[i] = topic.partitions[this.#partitionForKey(keyBytes(r.key), topic.partitions.length)];
      else targets[i] = null as unknown as TopicPartition; // sticky, chosen below once all checks passed
      if (compact && (r.key === undefined || r.key === null)) {
        throw new KafkaError("INVALID_RECORD", `compacted topic ${r.topic} cannot accept a record without a key`);
      }
    }
    if (this.transactionalId !== undefined) {
      for (const p of new Set(targets.slice(0, list.length).filter((p) => p && !this.#txnPartitions.has(p)))) this.#addToTransaction(p);
    }
    this.cluster.reserve(list.length);
    // One batch per partition, in the order the partitions first occur. Each record's batch number
    // goes in a scratch column, found by partition number for the last record's topic (usually the
    // only one) and by a map for other topics, so grouping allocates only the batches' own arrays.
    const partitions: TopicPartition[] = [];
    const counts: number[] = [];
    const slots = this.#slots;
    if (slots.size > 0) slots.clear(); // clearing a Map allocates its table anew, even an empty one
    const main = topic?.name;
    const width = topic?.partitions.length ?? 0;
    if (this.#slotOf.length < width) this.#slotOf = new Int32Array(width);
    const slotOf = this.#slotOf.fill(-1, 0, width);
    if (this.#batchOf.length < list.length) this.#batchOf = new Int32Array(Math.max(list.length, 2 * this.#batchOf.length));
    const batchOf = this.#batchOf;
    for (let i = 0; i < list.length; i++) {
      let p = targets[i];
      if (!p) {
        p = this.#stickyPartition(list[i]);
        if (this.transactionalId !== undefined && !this.#txnPartitions.has(p)) this.#addToTransaction(p);
      }
      let slot = p.topic === main ? slotOf[p.partition] : slots.get(p) ?? -1;
      if (slot < 0) {
        slot = partitions.length;
        if (p.topic === main) slotOf[p.partition] = slot;
        else slots.set(p, slot);
        partitions.push(p);
        counts.push(0);
      }
      counts[slot]++;
      batchOf[i] = slot;
    }
    const firstIndex = this.#sent;
    this.#sent += list.length;
    // Each batch copies its records into columns (so the caller's objects are not kept) and sums
    // their sizes, reading them in the call's order; with several batches, each also takes its
    // part of one column of the records' positions in the call.
    const columns = counts.map((n): RecordColumns => ({keys: new Array(n), values: new Array(n), timestamps: stamped ? new Array(n) : null, headers: headed ? new Array(n) : null, sizeBound: 0}));
    const several = partitions.length > 1;
    const indexes = counts.map((n) => (several ? new Array<number>(n) : null));
    const filled = counts.map(() => 0);
    for (let i = 0; i < list.length; i++) {
      const r = list[i], slot = several ? batchOf[i] : 0, k = filled[slot]++, c = columns[slot];
      const key = r.key ?? null, value = r.value;
      c.keys[k] = key;
      c.values[k] = value;
      if (c.timestamps) c.timestamps[k] = r.timestamp;
      if (c.headers) c.headers[k] = r.headers;
      c.sizeBound = addSizeBound(c.sizeBound, key, value, r.headers);
      if (several) indexes[slot]![k] = i;
    }
    const batches: InFlightBatch[] = [];
    const sends: Promise<void>[] = [];
    for (let slot = 0; slot < partitions.length; slot++) {
      const partition = partitions[slot], n = counts[slot];
      let baseSequence = -1;
      if (this.idempotent) {
        baseSequence = this.#sequences.get(partition) ?? 0;
        this.#sequences.set(partition, baseSequence + n);
      }
      const request: ProduceBatch = {
        producerId: this.producerId, producerEpoch: this.producerEpoch, baseSequence, transactional: this.transactionalId !== undefined, acks: this.acks,
        timestamp: now, records: columns[slot]
      };
      const batch: InFlightBatch = {
        id: ++this.#batches, firstIndex,
        partition, request, indexes: indexes[slot], firstSent: now, attempts: 0, attempt: 0, timer: null, parked: false, started: false, done: false, inTransaction: this.#inTransaction,
        baseOffset: -1, reject: ignore, resolve: ignore
      };
      if (this.acks !== 0) {
        sends.push(new Promise<void>((resolve, reject) => {
          batch.reject = reject;
          batch.resolve = (baseOffset) => ((batch.baseOffset = baseOffset), resolve());
        }));
      }
      batches.push(batch);
      if (batch.inTransaction) this.#txnPending++;
      let queue = this.#inFlight.get(partition);
      if (!queue) this.#inFlight.set(partition, (queue = []));
      queue.push(batch);
      this.#startWaiting(partition);
    }
    // acks=0: every batch went out above and counts as sent (#attempt), so the call is settled now, without a promise per batch.
    if (this.acks === 0) return Promise.resolve(recordMetadata(batches, list.length, now));
    // The records' metadata is made once every batch is acknowledged, so that it lives only as long as the caller keeps it.
    return Promise.all(sends).then(() => recordMetadata(batches, list.length, now));
  }

  /** InitProducerId for the transactional.id: fences any older producer with the same id. */
  initTransactions(): Promise<void> {
    if (this.transactionalId === undefined) throw new KafkaConfigError("initTransactions() needs a transactionalId");
    this.#ready("initTransactions");
    const transactionalId = this.transactionalId;
    return this.#roundTrip(() => {
      const {producerId, producerEpoch} = this.cluster.initProducerId(transactionalId);
      this.producerId = producerId;
      this.producerEpoch = producerEpoch;
      this.#sequences.clear();
    });
  }

  beginTransaction(): void {
    this.#ready("beginTransaction");
    if (this.transactionalId === undefined) throw new KafkaConfigError("beginTransaction() needs a producer with a transactionalId");
    if (this.producerEpoch < 0) throw new KafkaError("INVALID_TXN_STATE", "beginTransaction() before initTransactions()");
    if (this.#inTransaction) throw new KafkaError("INVALID_TXN_STATE", "beginTransaction(): a transaction is already open; commit or abort it first");
    this.#inTransaction = true;
    this.#txnPending = 0;
    this.#txnError = null;
    this.#txnPartitions.clear();
    this.cluster.sim.record("kafka.txn.begin", {transactionalId: this.transactionalId, producerId: this.producerId, producerEpoch: this.producerEpoch});
  }

  /** Adds a consumer group's offsets to the transaction: they commit (or not) with its records. */
  sendOffsetsToTransaction(offsets: OffsetToCommit[], groupId: string): Promise<void> {
    this.#transactionOpen("sendOffsetsToTransaction");
    if (typeof groupId !== "string" || groupId === "") throw new KafkaConfigError(`groupId must be a non-empty string, got ${JSON.stringify(groupId)}`);
    for (const o of offsets) {
      partitionOf(this.cluster.metadata(o.topic), o.partition);
      checkInteger(`offset for ${o.topic}-${o.partition}`, o.offset, 0);
    }
    const {transactionalId, producerEpoch} = this;
    return this.#roundTrip(() => this.cluster.addOffsetsToTxn(transactionalId!, producerEpoch, groupId, offsets, this.options.transactionTimeoutMs));
  }

  /** Waits for the transaction's sends, then writes COMMIT markers (and commits the added offsets). */
  commitTransaction(): Promise<void> {
    return this.#endTransaction(true);
  }

  abortTransaction(): Promise<void> {
    return this.#endTransaction(false);
  }

  /** Fault: the process dies; nothing in flight is retried, an open transaction stays open until it times out. */
  crash(): void {
    if (this.state === "crashed") return;
    this.state = "crashed";
    for (const queue of this.#inFlight.values()) for (const b of queue) if (b.timer) this.cluster.sim.cancel(b.timer);
    this.#inFlight.clear();
    this.cluster.sim.record("kafka.producer.crash", {producer: this.clientId, producerId: this.producerId});
  }

  close(): void {
    if (this.state === "ready") this.state = "closed";
  }

  // ---- internals ----

  #ready(what: string): void {
    if (this.state === "fenced") throw new KafkaError("PRODUCER_FENCED", `${what}(): this producer was fenced by a newer one with transactionalId ${JSON.stringify(this.transactionalId)}`);
    if (this.state !== "ready") throw new KafkaError("ILLEGAL_STATE", `${what}() on a ${this.state} producer`);
  }

  #transactionOpen(what: string): void {
    this.#ready(what);
    if (!this.#inTransaction) throw new KafkaError("INVALID_TXN_STATE", `${what}() needs an open transaction: call beginTransaction() first`);
    if (this.#ending) throw new KafkaError("INVALID_TXN_STATE", `${what}(): the transaction is already being committed or aborted`);
  }

  #addToTransaction(p: TopicPartition): void {
    try {
      this.cluster.addPartitionsToTxn(this.transactionalId!, this.producerEpoch, p, this.options.transactionTimeoutMs);
    } catch (error) {
      if (error instanceof KafkaError && error.code === "PRODUCER_FENCED") this.state = "fenced";
      throw error;
    }
    this.#txnPartitions.add(p);
  }

  // Flushes the transaction's sends, then EndTxn. Everything is driven by callbacks from simulation
  // tasks (not by awaiting promises), so the commit happens at the virtual time it is due.
  #endTransaction(commit: boolean): Promise<void> {
    const what = commit ? "commitTransaction" : "abortTransaction";
    this.#transactionOpen(what);
    this.#ending = true;
    const {transactionalId, producerEpoch} = this;
    return new Promise<void>((resolve, reject) => {
      const end = () => {
        if (commit && this.#txnError !== null) {
          this.#ending = false;
          reject(new KafkaError("INVALID_TXN_STATE", `commitTransaction(): a send in this transaction failed (${String(this.#txnError)}); call abortTransaction()`));
          return;
        }
        const done = () => {
          this.#inTransaction = this.#ending = false;
          this.#txnPartitions.clear();
        };
        this.#request(() => this.cluster.endTxn(transactionalId!, producerEpoch, commit), () => (done(), resolve()), (error) => (done(), reject(error)));
      };
      if (this.#txnPending === 0) end();
      else this.#afterFlush.push(end);
    });
  }

  // A request to a coordinator and its response: the work happens at the broker after networkMs.
  #request(work: () => void, onOk: () => void, onError: (error: unknown) => void): void {
    const sim = this.cluster.sim;
    const net = this.cluster.networkMs;
    sim.schedule(net, () => {
      if (this.state === "crashed") return;
      let error: unknown = null;
      try {
        work();
      } catch (e) {
        error = e;
        if (e instanceof KafkaError && e.code === "PRODUCER_FENCED") this.state = "fenced";
      }
      sim.schedule(net, settling(() => (error ? onError(error) : onOk())));
    });
  }

  #roundTrip(work: () => void): Promise<void> {
    return new Promise((resolve, reject) => this.#request(work, resolve, reject));
  }

  #batchSettled(batch: InFlightBatch, error: unknown): void {
    if (!batch.inTransaction) return;
    if (error !== null && this.#txnError === null) this.#txnError = error;
    if (--this.#txnPending === 0) for (const end of this.#afterFlush.splice(0)) end();
  }

  // KIP-480 / KIP-794: keyless records stick to one partition until batch.size bytes went there,
  // then move to another partition chosen at random.
  #stickyPartition(r: ProducerRecord): TopicPartition {
    const topic = this.cluster.metadata(r.topic);
    const n = topic.partitions.length;
    let sticky = this.#sticky.get(r.topic);
    if (!sticky || sticky.bytes >= this.options.batchSize || sticky.partition >= n) {
      const previous = sticky?.partition;
      let next = 0;
      if (n > 1) {
        if (previous === undefined || previous >= n) next = this.cluster.sim.random.int(n);
        else {
          next = this.cluster.sim.random.int(n - 1);
          if (next >= previous) next++;
        }
      }
      sticky = {partition: next, bytes: 0};
      this.#sticky.set(r.topic, sticky);
    }
    sticky.bytes += recordSize(r.key ?? null, r.value, r.headers);
    return topic.partitions[sticky.partition];
  }

  #attempt(batch: InFlightBatch): void {
    const sim = this.cluster.sim;
    const net = this.cluster.networkMs;
    const id = ++batch.attempt;
    batch.attempts++;
    if (batch.parked) this.#parked--;
    batch.parked = false;
    const lostRequest = this.options.lostRequests > 0 && sim.random.chance(this.options.lostRequests);
    if (this.acks !== 0) {
      batch.timer = sim.schedule(this.options.requestTimeoutMs, () => {
        batch.timer = null; // it has run: cancelling it now would upset the kernel's count of pending tasks
        if (batch.attempt !== id || batch.done) return;
        this.#onResponse(batch, id, {error: new KafkaError("REQUEST_TIMED_OUT", `no response from ${batch.partition.topic}-${batch.partition.partition} within requestTimeoutMs`, true), baseOffset: -1});
      });
    }
    sim.schedule(net, () => {
      if (this.state === "crashed" || batch.attempt !== id) return;
      const {partition, request} = batch;
      if (lostRequest) {
        sim.record("kafka.request.lost", {producer: this.clientId, topic: partition.topic, partition: partition.partition, sequence: request.baseSequence, attempt: batch.attempts});
        return;
      }
      // Each record's index among everything sent is for the trace only (kafka.append's sendIndex).
      const sendIndexes = !sim.trace.enabled ? [] : batch.indexes ? Array.from(batch.indexes, (i) => batch.firstIndex + i) : Array.from(request.records.values, (_, k) => batch.firstIndex + k);
      this.cluster.produce(
        {topic: partition.topic, partition: partition.partition, clientId: this.clientId, batch: request, batchId: batch.id, sendIndexes, attempt: batch.attempts},
        (result) => this.#respond(batch, id, result)
      );
    });
    if (this.acks === 0) {
      batch.done = true;
      this.#dequeue(batch);
      batch.resolve(-1);
      this.#batchSettled(batch, null);
    }
  }

  #respond(batch: InFlightBatch, id: number, result: ProduceResult): void {
    if (this.acks === 0) return;
    const sim = this.cluster.sim;
    const lost = this.#acksToLose > 0 || (this.options.lostAcks > 0 && sim.random.chance(this.options.lostAcks));
    if (lost) {
      if (this.#acksToLose > 0) this.#acksToLose--;
      sim.record("kafka.ack.lost", {producer: this.clientId, topic: batch.partition.topic, partition: batch.partition.partition, baseOffset: result.baseOffset, attempt: batch.attempts});
      return;
    }
    sim.schedule(this.cluster.networkMs, settling(() => this.#onResponse(batch, id, result)));
  }

  #onResponse(batch: InFlightBatch, id: number, result: ProduceResult): void {
    if (this.state === "crashed" || batch.attempt !== id || batch.done) return;
    const sim = this.cluster.sim;
    if (batch.timer) sim.cancel(batch.timer);
    batch.timer = null;
    const {partition} = batch;
    if (result.error) {
      const error = result.error;
      sim.record("kafka.produce.error", {producer: this.clientId, topic: partition.topic, partition: partition.partition, code: error.code, attempt: batch.attempts});
      const expired = sim.now - batch.firstSent + this.options.retryBackoffMs >= this.options.deliveryTimeoutMs;
      if (!error.retriable || batch.attempts > this.options.retries || expired) {
        if (error.code === "PRODUCER_FENCED") this.state = "fenced";
        batch.done = true;
        this.#dequeue(batch);
        const failure = expired ? new KafkaError("DELIVERY_TIMEOUT", `batch to ${partition.topic}-${partition.partition} expired after deliveryTimeoutMs (last error ${error.code})`) : error;
        batch.reject(failure);
        this.#batchSettled(batch, failure);
        return;
      }
      // An idempotent producer resends in sequence order: a batch that overtook a lost one waits for it.
      const queue = this.#inFlight.get(partition) ?? [];
      if (error.code === "OUT_OF_ORDER_SEQUENCE_NUMBER" && queue[0] !== batch) {
        batch.parked = true;
        this.#parked++;
        return;
      }
      sim.schedule(this.options.retryBackoffMs, () => {
        if (!batch.done && this.state !== "crashed") this.#attempt(batch);
      });
      return;
    }
    batch.done = true;
    this.#dequeue(batch);
    if (sim.trace.enabled) {
      const where = {producer: this.clientId, topic: partition.topic, partition: partition.partition};
      if (result.duplicate) sim.record("kafka.produce.duplicate", {...where, producerId: batch.request.producerId, sequence: batch.request.baseSequence, baseOffset: result.baseOffset});
      sim.record("kafka.ack", {...where, baseOffset: result.baseOffset, records: batch.request.records.values.length, attempt: batch.attempts, duplicate: !!result.duplicate});
    }
    batch.resolve(result.baseOffset);
    this.#batchSettled(batch, null);
    if (this.#parked > 0) for (const b of this.#inFlight.get(partition) ?? []) if (b.parked) this.#attempt(b);
  }

  #dequeue(batch: InFlightBatch): void {
    const queue = this.#inFlight.get(batch.partition);
    if (!queue) return;
    if (queue[0] === batch) queue.shift();
    else {
      const i = queue.indexOf(batch);
      if (i >= 0) queue.splice(i, 1);
    }
    if (batch.started) this.#started.set(batch.partition, (this.#started.get(batch.partition) ?? 1) - 1);
    this.#startWaiting(batch.partition);
  }

  // Sends the partition's waiting batches, in order, while fewer than max.in.flight are unanswered.
  // Batches start in queue order, so the started ones are always the queue's head.
  #startWaiting(partition: TopicPartition): void {
    const queue = this.#inFlight.get(partition);
    let started = this.#started.get(partition) ?? 0;
    while (queue && started < this.options.maxInFlight && started < queue.length && this.state !== "crashed") {
      const batch = queue[started++];
      batch.started = true;
      this.#started.set(partition, started);
      this.#attempt(batch);
    }
  }
}

/** Each record's metadata, in the order of the send() call, from its batch's base offset. */
function recordMetadata(batches: readonly InFlightBatch[], length: number, now: number): RecordMetadata[] {
  const metadata: RecordMetadata[] = new Array(length);
  for (const {partition, request, indexes, baseOffset} of batches) {
    const {topic} = partition, {values, timestamps} = request.records;
    for (let k = 0; k < values.length; k++) {
      metadata[indexes ? indexes[k] : k] = {topic, partition: partition.partition, offset: baseOffset < 0 ? -1 : baseOffset + k, timestamp: timestamps?.[k] ?? now};
    }
  }
  return metadata;
}

function keyBytes(key: unknown): string | Uint8Array {
  return typeof key === "string" || key instanceof Uint8Array ? key : JSON.stringify(key);
}
