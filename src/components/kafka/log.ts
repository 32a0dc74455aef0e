// One partition's log: an append-only sequence of records in segments, stored column-wise
// (typed arrays and parallel arrays) so a million records cost tens of bytes each. Offsets stay
// with their records: compaction leaves gaps, and retention moves the log-start offset forward.
// Replication, the high watermark and transactions live in partition.ts; this file only stores.

import {KafkaConfigError, checkInteger, checkMs, checkOneOf} from "./errors.js";

type CleanupPolicy = "delete" | "compact" | "compact,delete";
const CLEANUP_POLICIES: readonly CleanupPolicy[] = ["delete", "compact", "compact,delete"];

/** Topic-level settings, named as Kafka's topic configs in camelCase (segment.bytes -> segmentBytes). */
export interface TopicConfig {
  /** Roll a new segment when the active one would exceed this many bytes (Kafka default 1 GiB). */
  segmentBytes: number;
  /** Roll a new segment when the active one is older than this (Kafka default 7 days). */
  segmentMs: number;
  /** Delete closed segments whose newest record is older than this; -1 keeps them forever (default 7 days). */
  retentionMs: number;
  /** Delete the oldest closed segments while the partition is bigger than this; -1 = no limit (default). */
  retentionBytes: number;
  cleanupPolicy: CleanupPolicy;
  /** How long compaction keeps a tombstone (a null value) before removing it (default 1 day). */
  deleteRetentionMs: number;
  /** Replicas that must be in sync for an acks=all write (default 1). */
  minInsyncReplicas: number;
}

const DEFAULT_TOPIC_CONFIG: TopicConfig = {
  segmentBytes: 1024 ** 3,
  segmentMs: 7 * 24 * 3600_000,
  retentionMs: 7 * 24 * 3600_000,
  retentionBytes: -1,
  cleanupPolicy: "delete",
  deleteRetentionMs: 24 * 3600_000,
  minInsyncReplicas: 1
};

export function topicConfig(overrides: Partial<TopicConfig> = {}): TopicConfig {
  for (const name of Object.keys(overrides)) {
    if (!(name in DEFAULT_TOPIC_CONFIG)) {
      throw new KafkaConfigError(`unknown topic config ${JSON.stringify(name)}; known: ${Object.keys(DEFAULT_TOPIC_CONFIG).join(", ")}`);
    }
  }
  const c = {...DEFAULT_TOPIC_CONFIG, ...overrides};
  checkInteger("segmentBytes", c.segmentBytes, 14);
  checkMs("segmentMs", c.segmentMs, 1);
  if (c.retentionMs !== -1) checkMs("retentionMs (or -1 for no limit)", c.retentionMs, 0);
  if (c.retentionBytes !== -1) checkInteger("retentionBytes (or -1 for no limit)", c.retentionBytes, 0);
  checkOneOf("cleanupPolicy", c.cleanupPolicy, CLEANUP_POLICIES);
  checkMs("deleteRetentionMs", c.deleteRetentionMs, 0);
  checkInteger("minInsyncReplicas", c.minInsyncReplicas, 1);
  return c;
}

export type Headers = Record<string, string | Uint8Array | (string | Uint8Array)[] | undefined>;

/** Record attribute bits (Kafka keeps the first three in the batch header). */
export const CONTROL = 1;
export const TRANSACTIONAL = 2;
/** On a control record: a COMMIT marker (else ABORT). */
export const COMMIT = 4;
/** Set on a transactional record when its transaction aborts (Kafka finds these through its aborted-transaction index). */
export const ABORTED = 8;

/** A record as read back from the log. */
export interface LogRecord {
  offset: number;
  timestamp: number;
  key: unknown;
  value: unknown;
  headers?: Headers;
  producerId: number;
  producerEpoch: number;
  sequence: number;
  /** Approximate size in bytes (record format v2 without its varints' variation). */
  size: number;
  /** "data", "commit" or "abort" (the last two are transaction markers). */
  type: "data" | "commit" | "abort";
  transactional: boolean;
  aborted: boolean;
}

/** One record to append (PartitionLog.append, or a batch's through recordColumns); the broker adds producer id, epoch, sequence and flags. */
export interface AppendInput {
  /** CreateTime; the batch's timestamp when absent. */
  timestamp?: number;
  key?: unknown;
  value: unknown;
  headers?: Headers;
}

/** Who wrote a record: producer id, epoch and sequence (-1 when not idempotent) and attribute flags. */
interface RecordOrigin {
  producerId: number;
  producerEpoch: number;
  sequence: number;
  flags: number;
}

const NO_ORIGIN: RecordOrigin = {producerId: -1, producerEpoch: -1, sequence: -1, flags: 0};

/** Any character outside ASCII: without one (the usual key or value), the UTF-8 length is the string's. */
const NON_ASCII = /[^\x00-\x7f]/;

/** UTF-8 bytes of a string, as TextEncoder counts them, without encoding it. */
const utf8Length = (s: string) => {
  if (!NON_ASCII.test(s)) return s.length;
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    // A surrogate pair is one 4-byte character: its two units count 2 more; a lone surrogate is written as U+FFFD (3 bytes).
    else if (c <= 0xdbff && c >= 0xd800 && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) (n += 2), i++;
    else n += 2;
  }
  return n;
};

/** Bytes a key or value takes: UTF-8 for strings, length for bytes, JSON text for anything else. */
function byteLength(x: unknown): number {
  if (x === null || x === undefined) return 0;
  if (typeof x === "string") return utf8Length(x);
  if (x instanceof Uint8Array) return x.byteLength;
  return utf8Length(JSON.stringify(x) ?? "");
}

/** Approximate on-disk size of one record: ~8 bytes of framing plus key, value and headers. */
export function recordSize(key: unknown, value: unknown, headers?: Headers): number {
  let size = 8 + byteLength(key) + byteLength(value);
  if (headers) for (const name in headers) size += 2 + byteLength(name) + byteLength(headers[name]);
  return size;
}

/** UTF-16 units of a string or null; -1 for anything else. */
const textLength = (x: unknown): number => (x === null ? 0 : typeof x === "string" ? x.length : -1);

/**
 * An upper bound of the size of a record of strings (or nulls) without headers, or -1 for any
 * other record. A string's UTF-8 length takes a scan, so such a record is sized only when its
 * size is first read (strings never change, so the size is the one it had at append); UTF-8
 * takes at most 3 bytes per UTF-16 unit. Anything else is sized at append.
 */
function sizeBound(key: unknown, value: unknown, headers: Headers | undefined): number {
  const k = textLength(key), v = textLength(value);
  return headers === undefined && k >= 0 && v >= 0 ? 8 + 3 * (k + v) : -1;
}

/** A batch's size bound so far (see RecordColumns.sizeBound) with one more record. */
export function addSizeBound(total: number, key: unknown, value: unknown, headers: Headers | undefined): number {
  const bound = sizeBound(key, value, headers);
  return total < 0 || bound < 0 ? -1 : total + bound;
}

/**
 * A batch's records column-wise, as a producer copies them out of its caller's objects (Kafka's
 * producer, too, keeps no reference to a ProducerRecord once it is in a batch). `timestamps` and
 * `headers` are null when no record has one; a record without a timestamp takes the batch's.
 */
export interface RecordColumns {
  /** null for a record without a key. */
  keys: unknown[];
  values: unknown[];
  timestamps: (number | undefined)[] | null;
  headers: (Headers | undefined)[] | null;
  /**
   * The sum of the records' sizeBound, or -1 if one has none: the producer knows its batch's
   * size, as Kafka's does, so the log can take a batch that fits without reading its records.
   */
  sizeBound: number;
}

/** Records as columns. */
export function recordColumns(records: readonly AppendInput[]): RecordColumns {
  const keys = records.map((r) => r.key ?? null);
  const values = records.map((r) => r.value);
  const headers = records.some((r) => r.headers !== undefined) ? records.map((r) => r.headers) : null;
  let bound = 0;
  for (let i = 0; i < records.length; i++) bound = addSizeBound(bound, keys[i], values[i], headers?.[i]);
  return {keys, values, timestamps: records.some((r) => r.timestamp !== undefined) ? records.map((r) => r.timestamp) : null, headers, sizeBound: bound};
}

/**
 * Entries per block of a References column: 32 KiB of 8-byte references, which V8 allocates in
 * the young generation with the records they point to. A block of 128 KiB or more goes to the
 * large-object space, where every reference stored to a young value passes the write barrier.
 */
const BLOCK_BITS = 12;
export const BLOCK = 1 << BLOCK_BITS;

/**
 * A column of references (keys or values) in blocks of BLOCK entries, the first growing as an
 * ordinary array. A grown array copies every reference it holds, and a big one is garbage in
 * the old generation at once; a million-record segment would copy its references about three
 * times over. Blocks never move.
 */
class References {
  #blocks: unknown[][] = [[]];
  length = 0;

  get(i: number): unknown {
    return this.#blocks[i >>> BLOCK_BITS][i & (BLOCK - 1)];
  }

  push(x: unknown): void {
    const n = this.length++;
    if (n < BLOCK) this.#blocks[0].push(x);
    else {
      const j = n & (BLOCK - 1);
      if (j === 0) this.#blocks.push(new Array(BLOCK));
      this.#blocks[n >>> BLOCK_BITS][j] = x;
    }
  }

  /** Keeps the first `n` entries. */
  truncate(n: number): void {
    const blocks = this.#blocks;
    if (n < BLOCK) (blocks.length = 1), (blocks[0].length = n);
    else {
      blocks.length = ((n - 1) >>> BLOCK_BITS) + 1;
      // Clears the rest of the last block, so that it keeps no reference alive.
      blocks[blocks.length - 1].fill(undefined, ((n - 1) & (BLOCK - 1)) + 1);
    }
    this.length = n;
  }
}

/** Bytes per record of a segment's typed columns: timestamp, offset, producer id, sequence, size, epoch, flags. */
const COLUMN_BYTES = 8 + 4 + 4 + 4 + 4 + 2 + 1;

/** A segment: typed-array columns that grow by doubling, and key and value References. */
class Segment {
  readonly baseOffset: number;
  /** Virtual time the segment was rolled (opened). */
  readonly created: number;
  length = 0;
  /** Bytes of records [0, #sized); records from #sized on may still have size -1 (see sizeBound). */
  #bytes = 0;
  #sized = 0;
  /** At least the bytes of records [#sized, length): a roll by size is decided on #bytes + this. */
  #pendingBound = 0;
  maxTimestamp = -Infinity;
  closed = false;
  /** True while offset[i] === baseOffset + i (no compaction gaps): lookups need no search. */
  dense = true;
  offsets!: Int32Array;
  timestamps!: Float64Array;
  producerIds!: Int32Array;
  sequences!: Int32Array;
  sizes!: Int32Array;
  epochs!: Int16Array;
  flags!: Uint8Array;
  keys = new References();
  values = new References();
  headers: Map<number, Headers> | null = null;

  constructor(baseOffset: number, created: number, capacity = 16) {
    this.baseOffset = baseOffset;
    this.created = created;
    this.#allocate(capacity);
  }

  get nextOffset(): number {
    return this.length === 0 ? this.baseOffset : this.offsets[this.length - 1] + 1;
  }

  /**
   * Appends the batch's records from index `from` on, at offsets from `offset` on, while they fit
   * in `segmentBytes` (the first record always fits an empty segment); returns the index after
   * the last one taken.
   */
  pushRun(batch: RecordColumns, from: number, offset: number, timestamp: number, o: RecordOrigin, segmentBytes: number): number {
    const n = batch.values.length;
    const start = this.length;
    if (this.offsets.length - start < n - from) this.#grow(Math.max(this.offsets.length * 2, start + n - from));
    const end = batch.sizeBound >= 0 && this.#bytes + this.#pendingBound + batch.sizeBound <= segmentBytes ? this.#pushAll(batch, from, offset) : this.#pushEach(batch, from, offset, segmentBytes);
    const i = start + end - from;
    const {timestamps, sequences} = this;
    let maxTimestamp = this.maxTimestamp;
    for (let k = from, j = start; j < i; k++, j++) {
      const t = batch.timestamps?.[k] ?? timestamp;
      timestamps[j] = t;
      if (t > maxTimestamp) maxTimestamp = t;
    }
    if (o.sequence < 0) sequences.fill(-1, start, i);
    else for (let k = from, j = start; j < i; k++, j++) sequences[j] = o.sequence + k;
    this.producerIds.fill(o.producerId, start, i);
    this.epochs.fill(o.producerEpoch, start, i);
    this.flags.fill(o.flags, start, i);
    if (i > start && offset !== this.baseOffset + start) this.dense = false;
    this.length = i;
    this.maxTimestamp = maxTimestamp;
    return end;
  }

  // The batch fits by its bound (which covers all of it, `from` or not): records of strings, sized when first read.
  #pushAll(batch: RecordColumns, from: number, offset: number): number {
    const {keys: batchKeys, values: batchValues} = batch;
    const {offsets, sizes, keys, values} = this;
    const n = batchValues.length;
    for (let k = from, i = this.length; k < n; k++, i++) {
      offsets[i] = offset + k - from;
      sizes[i] = -1;
      keys.push(batchKeys[k]);
      values.push(batchValues[k]);
    }
    this.#pendingBound += batch.sizeBound;
    return n;
  }

  // Record by record, deciding on exact sizes where one may not fit.
  #pushEach(batch: RecordColumns, from: number, offset: number, segmentBytes: number): number {
    const {keys: batchKeys, values: batchValues, headers: batchHeaders} = batch;
    const {offsets, sizes, keys, values} = this;
    const n = batchValues.length;
    let i = this.length, k = from;
    for (; k < n; k++, i++) {
      const key = batchKeys[k], value = batchValues[k], headers = batchHeaders?.[k];
      let bound = sizeBound(key, value, headers);
      let size = bound < 0 ? (bound = recordSize(key, value, headers)) : -1;
      if (i > 0 && this.#bytes + this.#pendingBound + bound > segmentBytes) {
        // It may not fit: decide on exact sizes.
        this.#settle(i);
        if (size < 0) bound = size = recordSize(key, value);
        if (this.#bytes + size > segmentBytes) break;
      }
      offsets[i] = offset + k - from;
      sizes[i] = size;
      keys.push(key);
      values.push(value);
      if (headers) (this.headers ??= new Map()).set(i, headers);
      this.#pendingBound += bound;
    }
    return k;
  }

  get bytes(): number {
    this.#settle(this.length);
    return this.#bytes;
  }

  /** The size of record i (see sizeBound). */
  size(i: number): number {
    this.#settle(this.length);
    return this.sizes[i];
  }

  // Sizes the records [#sized, end) that still have none and adds them all to #bytes.
  #settle(end: number): void {
    for (let i = this.#sized; i < end; i++) {
      if (this.sizes[i] < 0) this.sizes[i] = recordSize(this.keys.get(i), this.values.get(i));
      this.#bytes += this.sizes[i];
    }
    this.#sized = end;
    this.#pendingBound = 0;
  }

  /** Index of the first record with offset >= `offset` (length if none). */
  indexOf(offset: number): number {
    if (this.dense) return Math.max(0, Math.min(this.length, offset - this.baseOffset));
    let lo = 0, hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.offsets[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  record(i: number): LogRecord {
    const flags = this.flags[i];
    return {
      offset: this.offsets[i],
      timestamp: this.timestamps[i],
      key: this.keys.get(i),
      value: this.values.get(i),
      headers: this.headers?.get(i),
      producerId: this.producerIds[i],
      producerEpoch: this.epochs[i],
      sequence: this.sequences[i],
      size: this.size(i),
      type: flags & CONTROL ? (flags & COMMIT ? "commit" : "abort") : "data",
      transactional: (flags & TRANSACTIONAL) !== 0,
      aborted: (flags & ABORTED) !== 0
    };
  }

  /** Keeps the first `n` records (leader failover truncation). */
  truncate(n: number): void {
    this.#settle(this.length);
    for (let i = n; i < this.length; i++) {
      this.#bytes -= this.sizes[i];
      this.headers?.delete(i);
    }
    this.#sized = n;
    this.length = n;
    this.keys.truncate(n);
    this.values.truncate(n);
    this.maxTimestamp = -Infinity;
    for (let i = 0; i < n; i++) if (this.timestamps[i] > this.maxTimestamp) this.maxTimestamp = this.timestamps[i];
  }

  /** A copy holding only the records `keep` accepts (compaction). Offsets are preserved. */
  filter(keep: (i: number) => boolean): Segment {
    const out = new Segment(this.baseOffset, this.created, Math.max(16, this.length));
    this.#settle(this.length);
    let n = 0;
    for (let i = 0; i < this.length; i++) {
      if (!keep(i)) continue;
      out.offsets[n] = this.offsets[i];
      out.timestamps[n] = this.timestamps[i];
      out.producerIds[n] = this.producerIds[i];
      out.sequences[n] = this.sequences[i];
      out.sizes[n] = this.sizes[i];
      out.epochs[n] = this.epochs[i];
      out.flags[n] = this.flags[i];
      out.keys.push(this.keys.get(i));
      out.values.push(this.values.get(i));
      const headers = this.headers?.get(i);
      if (headers) (out.headers ??= new Map()).set(n, headers);
      out.#bytes += this.sizes[i];
      if (this.timestamps[i] > out.maxTimestamp) out.maxTimestamp = this.timestamps[i];
      n++;
    }
    out.length = out.#sized = n;
    out.closed = this.closed;
    out.dense = this.dense && n === this.length;
    return out;
  }

  /**
   * The typed columns as views of one buffer, widest first so that each view is aligned: a segment
   * that grows allocates once, not once per column (an allocation costs more than its copy while
   * segments are small, as most of the labs' are).
   */
  #allocate(capacity: number): void {
    const buffer = new ArrayBuffer(capacity * COLUMN_BYTES);
    this.timestamps = new Float64Array(buffer, 0, capacity);
    this.offsets = new Int32Array(buffer, 8 * capacity, capacity);
    this.producerIds = new Int32Array(buffer, 12 * capacity, capacity);
    this.sequences = new Int32Array(buffer, 16 * capacity, capacity);
    this.sizes = new Int32Array(buffer, 20 * capacity, capacity);
    this.epochs = new Int16Array(buffer, 24 * capacity, capacity);
    this.flags = new Uint8Array(buffer, 26 * capacity, capacity);
  }

  #grow(capacity: number): void {
    const {offsets, timestamps, producerIds, sequences, sizes, epochs, flags} = this;
    this.#allocate(capacity);
    this.offsets.set(offsets);
    this.timestamps.set(timestamps);
    this.producerIds.set(producerIds);
    this.sequences.set(sequences);
    this.sizes.set(sizes);
    this.epochs.set(epochs);
    this.flags.set(flags);
  }
}

export interface SegmentInfo {
  baseOffset: number;
  nextOffset: number;
  records: number;
  bytes: number;
  created: number;
  maxTimestamp: number;
  active: boolean;
}

/** The storage of one partition replica set (followers hold prefixes of it, see partition.ts). */
export class PartitionLog {
  config: TopicConfig;
  segments: Segment[];
  /** The offset the next appended record gets. */
  logEndOffset = 0;
  logStartOffset = 0;

  constructor(config: TopicConfig, now: number) {
    this.config = config;
    this.segments = [new Segment(0, now)];
  }

  get active(): Segment {
    return this.segments[this.segments.length - 1];
  }

  get size(): number {
    let bytes = 0;
    for (const s of this.segments) bytes += s.bytes;
    return bytes;
  }

  /** Appends one record at the log-end offset, rolling the segment first if it is full or old. */
  append(r: AppendInput, timestamp: number, now: number, origin: RecordOrigin = NO_ORIGIN): number {
    const offset = this.logEndOffset;
    this.appendBatch(recordColumns([{...r, timestamp}]), timestamp, now, origin);
    return offset;
  }

  /**
   * Appends a producer's batch as append would record by record: each record may roll the segment
   * (by size; by age only before the first, as the batch shares `now`). Records without a
   * timestamp take `timestamp`, and record i of an idempotent batch gets sequence
   * origin.sequence + i. The columns are written a run of records at a time.
   */
  appendBatch(records: RecordColumns, timestamp: number, now: number, origin: RecordOrigin): void {
    const {segmentBytes, segmentMs} = this.config;
    const n = records.values.length;
    let seg = this.active;
    if (seg.length > 0 && now - seg.created >= segmentMs) seg = this.#roll(now);
    for (let from = 0; from < n; ) {
      const to = seg.pushRun(records, from, this.logEndOffset, timestamp, origin, segmentBytes);
      this.logEndOffset += to - from;
      if (to < n) seg = this.#roll(now);
      from = to;
    }
  }

  #roll(now: number): Segment {
    this.active.closed = true;
    const seg = new Segment(this.logEndOffset, now);
    this.segments.push(seg);
    return seg;
  }

  /** Index of the segment that holds `offset` or the next record after it. */
  segmentIndex(offset: number): number {
    const segs = this.segments;
    let lo = 0, hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segs[mid].baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * Visits records with offsets in [from, upTo), at most `max` of them that `accept` takes, and
   * returns the offset after the last visited (or skipped) record: the consumer's next position.
   */
  scan(from: number, upTo: number, max: number, visit: (seg: Segment, i: number) => boolean): number {
    let next = Math.max(from, this.logStartOffset);
    let taken = 0;
    for (let s = this.segmentIndex(next); s < this.segments.length && taken < max; s++) {
      const seg = this.segments[s];
      const offsets = seg.offsets;
      for (let i = seg.indexOf(next); i < seg.length; i++) {
        const offset = offsets[i];
        if (offset >= upTo) return next;
        next = offset + 1;
        if (visit(seg, i) && ++taken >= max) return next;
      }
      if (seg.length > 0 && seg.nextOffset > next) next = seg.nextOffset;
    }
    return Math.min(Math.max(next, from), upTo);
  }

  /** Every stored record in offset order (markers included), for tables and charts. */
  records(): LogRecord[] {
    const rows: LogRecord[] = [];
    for (const seg of this.segments) for (let i = 0; i < seg.length; i++) rows.push(seg.record(i));
    return rows;
  }

  segmentInfo(): SegmentInfo[] {
    return this.segments.map((s) => ({
      baseOffset: s.baseOffset, nextOffset: s === this.active ? this.logEndOffset : s.nextOffset, records: s.length,
      bytes: s.bytes, created: s.created, maxTimestamp: s.maxTimestamp, active: s === this.active
    }));
  }

  /** Offset of the first record whose timestamp is >= `timestamp` (ListOffsets by time); null if none. */
  offsetForTimestamp(timestamp: number): number | null {
    for (const seg of this.segments) {
      if (seg.maxTimestamp < timestamp) continue;
      for (let i = 0; i < seg.length; i++) if (seg.timestamps[i] >= timestamp) return seg.offsets[i];
    }
    return null;
  }

  /** Drops every record at or above `offset` (a new leader's log wins after failover). */
  truncateTo(offset: number): number {
    if (offset >= this.logEndOffset) return 0;
    const before = this.logEndOffset;
    while (this.segments.length > 1 && this.active.baseOffset >= offset) this.segments.pop();
    const seg = this.active;
    seg.truncate(seg.indexOf(offset));
    seg.closed = false;
    this.logEndOffset = Math.max(offset, this.logStartOffset);
    return before - this.logEndOffset;
  }

  /**
   * Retention (cleanup.policy contains delete), as Kafka's UnifiedLog.deleteOldSegments: from the
   * oldest segment on, deletes each segment that ends at or below the high watermark (the next
   * segment's base offset, or the log end for the active one) and is older than retention.ms or
   * pushes the partition over retention.bytes. The active segment goes too unless it is empty:
   * UnifiedLog.deleteSegments first rolls a new empty segment at the log end, so the log start
   * offset reaches the log end offset (UnifiedLogTest.testCannotDeleteSegmentsAtOrAboveHighWatermark).
   * Returns the deleted segments.
   */
  applyRetention(now: number, highWatermark: number): SegmentInfo[] {
    const {retentionMs, retentionBytes, cleanupPolicy} = this.config;
    if (!cleanupPolicy.includes("delete")) return [];
    const segs = this.segments;
    let excess = retentionBytes < 0 ? -Infinity : this.size - retentionBytes;
    let n = 0;
    for (; n < segs.length; n++) {
      const seg = segs[n];
      const last = n === segs.length - 1;
      if (last && seg.length === 0) break; // LocalLog.deletableSegments: isLastSegmentAndEmpty
      if ((last ? this.logEndOffset : segs[n + 1].baseOffset) > highWatermark) break;
      // LogSegment.largestTimestamp: an empty segment's age is its file's (here: when it was rolled).
      const expired = retentionMs >= 0 && now - (seg.length > 0 ? seg.maxTimestamp : seg.created) > retentionMs;
      const tooBig = excess - seg.bytes >= 0;
      if (!expired && !tooBig) break;
      excess -= seg.bytes;
    }
    if (n === 0) return [];
    if (n === segs.length) {
      this.active.closed = true;
      segs.push(new Segment(this.logEndOffset, now));
    }
    const deleted = this.segmentInfo().slice(0, n);
    segs.splice(0, n);
    this.logStartOffset = segs[0].baseOffset;
    return deleted;
  }

  /**
   * Compaction (cleanup.policy contains compact): in the closed segments below `upTo`, keeps only
   * the newest record of each key seen there; tombstones older than delete.retention.ms and aborted
   * records go too. The active segment is never cleaned (Kafka's LogCleaner). Returns records
   * removed; their offsets are pushed to `removedOffsets` when given.
   */
  compact(now: number, upTo: number, removedOffsets?: number[]): number {
    if (!this.config.cleanupPolicy.includes("compact")) return 0;
    const cleanable = this.segments.filter((s) => s.closed && s.nextOffset <= upTo);
    if (cleanable.length === 0) return 0;
    const latest = new Map<unknown, number>();
    for (const seg of cleanable) {
      for (let i = 0; i < seg.length; i++) {
        if (!(seg.flags[i] & CONTROL) && !(seg.flags[i] & ABORTED)) latest.set(keyId(seg.keys.get(i)), seg.offsets[i]);
      }
    }
    let removed = 0;
    for (let s = 0; s < this.segments.length; s++) {
      const seg = this.segments[s];
      if (!cleanable.includes(seg)) continue;
      const tombstonesExpire = now - seg.maxTimestamp > this.config.deleteRetentionMs;
      const cleaned = seg.filter((i) => {
        const flags = seg.flags[i];
        const keep = !!(flags & CONTROL) || (!(flags & ABORTED) && latest.get(keyId(seg.keys.get(i))) === seg.offsets[i] && !(seg.values.get(i) === null && tombstonesExpire));
        if (!keep) removedOffsets?.push(seg.offsets[i]);
        return keep;
      });
      removed += seg.length - cleaned.length;
      this.segments[s] = cleaned;
    }
    return removed;
  }
}

// Map keys: bytes compare by content, like Kafka compares key bytes.
function keyId(key: unknown): unknown {
  if (key instanceof Uint8Array) return `bytes:${Array.from(key).join(",")}`;
  return key !== null && typeof key === "object" ? `json:${JSON.stringify(key)}` : key;
}
