// Metrics derived from a run's trace, as plain arrays of flat objects: hand them to Plot marks or
// to arquero's from(). Each function reads only the events it needs, so a page can chart any run
// recorded with the trace on.

import type {TraceEvent} from "../sim/index.js";

export interface LogEndOffsetRow {
  time: number;
  topic: string;
  partition: number;
  logEndOffset: number;
}

/** The log-end offset of each partition after every append and transaction marker. */
export function logEndOffsets(events: readonly TraceEvent[]): LogEndOffsetRow[] {
  const rows: LogEndOffsetRow[] = [];
  for (const e of events) {
    if (e.kind === "kafka.append") rows.push({time: e.time, topic: e.topic, partition: e.partition, logEndOffset: e.offset + 1});
    else if (e.kind === "kafka.leader.elect" && e.truncated > 0) rows.push({time: e.time, topic: e.topic, partition: e.partition, logEndOffset: e.logEndOffset});
    else if (e.kind === "kafka.txn.commit" || e.kind === "kafka.txn.abort") {
      for (const m of e.markers) rows.push({time: e.time, topic: m.topic, partition: m.partition, logEndOffset: m.offset + 1});
    }
  }
  return rows;
}

export interface CommittedOffsetRow {
  time: number;
  group: string;
  topic: string;
  partition: number;
  offset: number;
}

/** Every committed offset (the next offset the group will read), in time order. */
export function committedOffsets(events: readonly TraceEvent[]): CommittedOffsetRow[] {
  return events.filter((e) => e.kind === "kafka.commit").map((e) => ({time: e.time, group: e.group, topic: e.topic, partition: e.partition, offset: e.offset}));
}

export interface LagRow {
  time: number;
  group: string;
  topic: string;
  partition: number;
  /** Log-end offset minus committed offset (0 before the first commit). */
  lag: number;
}

/**
 * Consumer lag per group and partition, sampled at the end of every `bucketMs` window: log-end
 * offset minus committed offset. Only partitions a group consumed or committed appear.
 */
export function lag(events: readonly TraceEvent[], {bucketMs = 1000}: {bucketMs?: number} = {}): LagRow[] {
  const end = new Map<string, number>();
  const committed = new Map<string, number>();
  const tracked = new Map<string, {group: string; topic: string; partition: number}>();
  const rows: LagRow[] = [];
  let bucket = 0;
  const flush = (until: number) => {
    while (bucket + bucketMs <= until) {
      bucket += bucketMs;
      for (const [k, t] of tracked) {
        rows.push({time: bucket, ...t, lag: Math.max(0, (end.get(`${t.topic}-${t.partition}`) ?? 0) - (committed.get(k) ?? 0))});
      }
    }
  };
  let last = 0;
  for (const e of events) {
    flush(e.time);
    last = e.time;
    if (e.kind === "kafka.append") end.set(`${e.topic}-${e.partition}`, e.offset + 1);
    else if (e.kind === "kafka.leader.elect" && e.truncated > 0) end.set(`${e.topic}-${e.partition}`, e.logEndOffset);
    else if (e.kind === "kafka.txn.commit" || e.kind === "kafka.txn.abort") for (const m of e.markers) end.set(`${m.topic}-${m.partition}`, m.offset + 1);
    else if (e.kind === "kafka.commit" || e.kind === "kafka.consume") {
      const k = `${e.group}\u0000${e.topic}-${e.partition}`;
      if (!tracked.has(k) && e.group !== undefined) tracked.set(k, {group: e.group, topic: e.topic, partition: e.partition});
      if (e.kind === "kafka.commit") committed.set(k, e.offset);
    }
  }
  flush(Math.ceil(last / bucketMs) * bucketMs);
  return rows;
}

export interface ThroughputRow {
  /** Start of the window. */
  time: number;
  topic: string;
  /** "produced", or the consumer group's id. */
  series: string;
  records: number;
}

/** Records appended per topic, and records delivered per group and topic, per `bucketMs` window. */
export function throughput(events: readonly TraceEvent[], {bucketMs = 1000}: {bucketMs?: number} = {}): ThroughputRow[] {
  const counts = new Map<string, ThroughputRow>();
  for (const e of events) {
    if (e.kind !== "kafka.append" && e.kind !== "kafka.consume") continue;
    const series = e.kind === "kafka.append" ? "produced" : String(e.group ?? e.member);
    const time = Math.floor(e.time / bucketMs) * bucketMs;
    const k = `${time}\u0000${e.topic}\u0000${series}`;
    const row = counts.get(k);
    if (row) row.records++;
    else counts.set(k, {time, topic: e.topic, series, records: 1});
  }
  return [...counts.values()];
}

export interface DuplicateDeliveryRow {
  /** undefined for a consumer without a group (assign()). */
  group: string | undefined;
  topic: string;
  partition: number;
  offset: number;
  key: unknown;
  deliveries: number;
}

/** Records a group received more than once (at-least-once redelivery after a crash or a failed commit). */
export function duplicateDeliveries(events: readonly TraceEvent[]): DuplicateDeliveryRow[] {
  const seen = new Map<string, DuplicateDeliveryRow>();
  for (const e of events) {
    if (e.kind !== "kafka.consume") continue;
    const k = `${e.group}\u0000${e.topic}\u0000${e.partition}\u0000${e.offset}`;
    const row = seen.get(k);
    if (row) row.deliveries++;
    else seen.set(k, {group: e.group, topic: e.topic, partition: e.partition, offset: e.offset, key: e.key, deliveries: 1});
  }
  return [...seen.values()].filter((r) => r.deliveries > 1);
}

export interface DuplicateWriteRow {
  producer: string;
  batch: number;
  sendIndex: number;
  topic: string;
  partition: number;
  key: unknown;
  /** Offsets holding a copy of the same sent record. */
  offsets: number[];
}

/** Records written to the log more than once (a retry without idempotence). Copies cut by a leader failover do not count. */
export function duplicateWrites(events: readonly TraceEvent[]): DuplicateWriteRow[] {
  const copies = new Map<string, DuplicateWriteRow>();
  for (const e of events) {
    if (e.kind === "kafka.leader.elect" && e.truncated > 0) {
      for (const row of copies.values()) {
        if (row.topic === e.topic && row.partition === e.partition) row.offsets = row.offsets.filter((o) => o < e.logEndOffset);
      }
    }
    if (e.kind !== "kafka.append") continue;
    const k = `${e.producer}\u0000${e.sendIndex}`;
    const row = copies.get(k);
    if (row) row.offsets.push(e.offset);
    else copies.set(k, {producer: e.producer, batch: e.batch, sendIndex: e.sendIndex, topic: e.topic, partition: e.partition, key: e.key, offsets: [e.offset]});
  }
  return [...copies.values()].filter((r) => r.offsets.length > 1);
}

export interface OrderViolationRow {
  /** undefined for a consumer without a group (assign()). */
  group: string | undefined;
  key: unknown;
  topic: string;
  partition: number;
  offset: number;
  /** The record's position in its producer's send order... */
  sendIndex: number;
  /** ...and the highest send index this group had already received for the key. */
  after: number;
  time: number;
}

/**
 * Per-key order violations: a group receives (for the first time) a record of a key that its
 * producer sent before one the group already received. Redeliveries are duplicates, not violations.
 */
export function orderViolations(events: readonly TraceEvent[]): OrderViolationRow[] {
  const sent = new Map<string, {producer: string; sendIndex: number}>();
  const delivered = new Set<string>();
  const highest = new Map<string, number>();
  const rows: OrderViolationRow[] = [];
  for (const e of events) {
    if (e.kind === "kafka.append") sent.set(`${e.topic}\u0000${e.partition}\u0000${e.offset}`, {producer: e.producer, sendIndex: e.sendIndex});
    if (e.kind !== "kafka.consume" || e.key === null || e.key === undefined) continue;
    const at = `${e.topic}\u0000${e.partition}\u0000${e.offset}`;
    const origin = sent.get(at);
    if (!origin || delivered.has(`${e.group}\u0000${at}`)) continue;
    delivered.add(`${e.group}\u0000${at}`);
    const k = `${e.group}\u0000${origin.producer}\u0000${typeof e.key === "string" ? e.key : JSON.stringify(e.key)}`;
    const max = highest.get(k) ?? -1;
    if (origin.sendIndex < max) rows.push({group: e.group, key: e.key, topic: e.topic, partition: e.partition, offset: e.offset, sendIndex: origin.sendIndex, after: max, time: e.time});
    else highest.set(k, origin.sendIndex);
  }
  return rows;
}
