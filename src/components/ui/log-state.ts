// The state of one topic's log at a point of a run, replayed from the run's Kafka trace: every
// partition's records (with their offsets, keys, markers, aborted and removed ones), its log start
// offset, high watermark and last stable offset, and each consumer group's committed offset and
// members' positions. Pure (no DOM): the log view draws it, labs compute metrics from it, and the
// experiment worker's `logView` packs a trace for the page to draw. Replaying the same events
// gives the same state, so stepping back is replaying one event fewer.
import type {TraceEvent} from "../sim/trace.js";

export type RecordType = "data" | "commit" | "abort";

export interface LogRecord {
  offset: number;
  key: string | null;
  /** The producer's batch number (null for a marker). */
  batch: number | null;
  type: RecordType;
  /** A data record of a transaction whose marker is not written yet. */
  open: boolean;
  /** A data record of an aborted transaction: read_committed readers skip it. */
  aborted: boolean;
  /** Removed from the log: by retention ("deleted", below the log start offset) or compaction. */
  removed: "deleted" | "compacted" | null;
  /** When it was removed (virtual ms), to show it going. */
  removedAt: number | null;
}

export interface MemberPosition {
  member: string;
  /** The next offset the member will read. */
  position: number;
}

export interface GroupPartition {
  /** The group's committed offset (the next offset to read), null before its first commit. */
  committed: number | null;
  members: MemberPosition[];
  /** high watermark - committed offset, as kafka-consumer-groups reports it; before a commit (or for a consumer without a group) - its members' lowest position, else - the log start offset. */
  lag: number;
}

export interface PartitionState {
  partition: number;
  records: LogRecord[];
  logStartOffset: number;
  /**
   * The high watermark. Derived as the log end offset (one past the last record or marker):
   * exact with replication factor 1; with followers Kafka's moves once they have fetched.
   */
  highWatermark: number;
  /** The first offset of the oldest open transaction, else the high watermark (KIP-98). */
  lastStableOffset: number;
  /** Per consumer group (a consumer without one is listed under its member name). */
  groups: Record<string, GroupPartition>;
}

export interface LogState {
  topic: string;
  time: number;
  /** Events of the topic applied so far. */
  applied: number;
  partitions: PartitionState[];
  groups: string[];
}

/** The kinds that change the drawing of a topic (a producer's acks and retries do not). */
const VIEW_KINDS = new Set<string>([
  "kafka.topic.create", "kafka.partitions.create", "kafka.append", "kafka.txn.commit", "kafka.txn.abort", "kafka.segment.delete", "kafka.compact",
  "kafka.commit", "kafka.consume", "kafka.consumer.seek", "kafka.consumer.reset", "kafka.consumer.revoke", "kafka.consumer.crash", "kafka.group.leave"
]);

/** An event that changes the drawing of `topic`: what the log view steps through. */
export function touchesTopic(e: TraceEvent, topic: string): boolean {
  if (!VIEW_KINDS.has(e.kind)) return false;
  if ("topic" in e) return e.topic === topic;
  if (e.kind === "kafka.txn.commit" || e.kind === "kafka.txn.abort") return e.markers.some((m) => m.topic === topic);
  return e.kind !== "kafka.consumer.revoke" || e.partitions.some((p) => p.startsWith(`${topic}-`));
}

/** The events that change the view of `topic`, in trace order. */
export function topicEvents(events: readonly TraceEvent[], topic: string): TraceEvent[] {
  return events.filter((e) => touchesTopic(e, topic));
}

/** The topic most records were appended to (the view's default). */
export function busiestTopic(events: readonly TraceEvent[]): string | null {
  const counts = new Map<string, number>();
  for (const e of events) if (e.kind === "kafka.append") counts.set(e.topic, (counts.get(e.topic) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

const keyText = (key: unknown): string | null => (key === null || key === undefined ? null : typeof key === "string" ? key : JSON.stringify(key));

/** A partition before anything happened to it. */
export function emptyPartition(partition: number): PartitionState {
  return {partition, records: [], logStartOffset: 0, highWatermark: 0, lastStableOffset: 0, groups: {}};
}

/**
 * The state after the first `count` of `events` (already filtered with topicEvents). Kafka's rules
 * it follows: a marker takes an offset and closes its producer's open records on that partition
 * (KIP-98); retention moves the log start offset past whole segments; a commit is the next offset
 * to read; a member's position is one past the last record handed to it, or where it seeked or was
 * reset to; a crashed or revoked member has no position.
 */
export function replay(events: readonly TraceEvent[], topic: string, count = events.length): LogState {
  const replayer = logReplayer(topic);
  const n = Math.min(count, events.length);
  for (let i = 0; i < n; i++) replayer.apply(events[i]);
  return replayer.state();
}

/**
 * replay(), one event at a time: `apply` an event, read `state()` whenever you like (the state is
 * live: the next `apply` changes it). Reading the state after every event costs one pass, where
 * replaying each prefix costs one pass per event. state() may move positions past markers; that
 * is the same walk the next state() would make, so it changes nothing later.
 */
export function logReplayer(topic: string): {apply: (e: TraceEvent) => void; state: () => LogState} {
  const partitions: PartitionState[] = [];
  const groups: string[] = [];
  /** Open transactional records per partition and producer id. */
  const open = new Map<string, LogRecord[]>();
  /** Members seen, with the group they belong to (for crashes and leaves, which name no topic). */
  const memberGroup = new Map<string, string>();
  const part = (p: number): PartitionState => {
    while (partitions.length <= p) partitions.push(emptyPartition(partitions.length));
    return partitions[p];
  };
  const groupOf = (p: PartitionState, group: string): GroupPartition => {
    if (!groups.includes(group)) groups.push(group);
    return (p.groups[group] ??= {committed: null, members: [], lag: 0});
  };
  const setPosition = (group: string, member: string, partition: number, position: number) => {
    memberGroup.set(member, group);
    const g = groupOf(part(partition), group);
    const m = g.members.find((x) => x.member === member);
    if (m) m.position = position;
    else g.members.push({member, position});
  };
  const dropMember = (member: string, only?: (p: PartitionState) => boolean) => {
    const group = memberGroup.get(member);
    if (group === undefined) return;
    for (const p of partitions) {
      const g = p.groups[group];
      if (g && (!only || only(p))) g.members = g.members.filter((m) => m.member !== member);
    }
  };
  let time = 0;
  let applied = 0;
  const apply = (e: TraceEvent) => {
    applied++;
    time = e.time;
    switch (e.kind) {
      case "kafka.topic.create":
        part(e.partitions - 1);
        break;
      case "kafka.partitions.create":
        part(e.to - 1);
        break;
      case "kafka.append": {
        const p = part(e.partition);
        const r: LogRecord = {offset: e.offset, key: keyText(e.key), batch: e.batch, type: "data", open: e.transactional, aborted: false, removed: null, removedAt: null};
        p.records.push(r);
        if (e.transactional) {
          const id = `${e.partition}/${e.producerId}`;
          open.set(id, [...(open.get(id) ?? []), r]);
        }
        break;
      }
      case "kafka.txn.commit":
      case "kafka.txn.abort":
        for (const m of e.markers) {
          if (m.topic !== topic) continue;
          const p = part(m.partition);
          const id = `${m.partition}/${e.producerId}`;
          for (const r of open.get(id) ?? []) {
            r.open = false;
            r.aborted = e.kind === "kafka.txn.abort";
          }
          open.delete(id);
          p.records.push({offset: m.offset, key: null, batch: null, type: e.kind === "kafka.txn.commit" ? "commit" : "abort", open: false, aborted: false, removed: null, removedAt: null});
        }
        break;
      case "kafka.segment.delete": {
        const p = part(e.partition);
        p.logStartOffset = e.logStartOffset;
        for (const r of p.records) if (r.offset < e.logStartOffset && !r.removed) Object.assign(r, {removed: "deleted", removedAt: e.time});
        break;
      }
      case "kafka.compact": {
        const gone = new Set(e.offsets);
        for (const r of part(e.partition).records) if (gone.has(r.offset) && !r.removed) Object.assign(r, {removed: "compacted", removedAt: e.time});
        break;
      }
      case "kafka.commit":
        groupOf(part(e.partition), e.group).committed = e.offset;
        break;
      case "kafka.consume":
        setPosition(e.group ?? e.member, e.member, e.partition, e.offset + 1);
        break;
      case "kafka.consumer.seek":
      case "kafka.consumer.reset":
        setPosition(e.group ?? e.member, e.member, e.partition, e.offset);
        break;
      case "kafka.consumer.revoke":
        dropMember(e.member, (p) => e.partitions.includes(`${topic}-${p.partition}`));
        break;
      case "kafka.consumer.crash":
      case "kafka.group.leave":
        dropMember(e.member);
        break;
    }
  };
  const state = (): LogState => {
    for (const p of partitions) {
      const last = p.records.at(-1);
      p.highWatermark = Math.max(p.logStartOffset, last ? last.offset + 1 : 0);
      const firstOpen = p.records.find((r) => r.open);
      p.lastStableOffset = firstOpen ? firstOpen.offset : p.highWatermark;
      // A consumer fetches markers with the records but never hands them over: its position moves
      // past them (KIP-98), so a marker right at a position is already behind it.
      const marker = new Set(p.records.filter((r) => r.type !== "data").map((r) => r.offset));
      for (const g of Object.values(p.groups)) for (const m of g.members) while (marker.has(m.position)) m.position++;
      for (const g of Object.values(p.groups)) g.lag = Math.max(0, p.highWatermark - (g.committed ?? (g.members.length ? Math.min(...g.members.map((m) => m.position)) : p.logStartOffset)));
    }
    return {topic, time, applied, partitions, groups};
  };
  return {apply, state};
}

/** Per step of the topic's events: how far the last stable offset trails the high watermark, and where each member stands against it (position - LSO). */
export function stableOffsetSteps(events: readonly TraceEvent[], topic: string, partition = 0): {time: number; lsoGap: number; pastLso: Record<string, number>}[] {
  const replayer = logReplayer(topic);
  return topicEvents(events, topic).map((e) => {
    replayer.apply(e);
    const p = replayer.state().partitions[partition] ?? emptyPartition(partition);
    const pastLso: Record<string, number> = {};
    for (const g of Object.values(p.groups)) for (const m of g.members) pastLso[m.member] = m.position - p.lastStableOffset;
    return {time: e.time, lsoGap: p.highWatermark - p.lastStableOffset, pastLso};
  });
}

/**
 * When the last stable offset first trailed the high watermark the most (a moment with a
 * transaction open), or null if it never did; from stableOffsetSteps, which a caller that reads
 * them for other measures too computes once.
 */
export function widestOpenTransaction(steps: readonly {time: number; lsoGap: number}[]): number | null {
  const widest = Math.max(0, ...steps.map((s) => s.lsoGap));
  return widest > 0 ? steps.find((s) => s.lsoGap === widest)!.time : null;
}

/** How many of `times` (non-decreasing) are at or before `time`. */
export function countAt(times: readonly number[], time: number): number {
  let lo = 0, hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The state at virtual time `time`: every event of the topic up to and including it. */
export function stateAt(events: readonly TraceEvent[], topic: string, time: number): LogState {
  const mine = topicEvents(events, topic);
  return {...replay(mine, topic, countAt(mine.map((e) => e.time), time)), time};
}

/** One sentence for what an event did to the log: the text alternative of a step. */
export function describeEvent(e: TraceEvent): string {
  const at = `${(e.time / 1000).toFixed(3)} s`;
  const where = "partition" in e ? ` partition ${e.partition}` : "";
  switch (e.kind) {
    case "kafka.append":
      return `${at}: ${e.producer} appended ${e.key === null || e.key === undefined ? "a keyless record" : `key ${keyText(e.key)}`} at offset ${e.offset} of${where}${e.transactional ? " (in an open transaction)" : ""}.`;
    case "kafka.consume":
      return `${at}: ${e.member}${e.group ? ` (${e.group})` : ""} read offset ${e.offset} of${where}; its position is now ${e.offset + 1}.`;
    case "kafka.commit":
      return `${at}: group ${e.group} committed offset ${e.offset} on${where}.`;
    case "kafka.txn.commit":
    case "kafka.txn.abort":
      return `${at}: ${e.transactionalId} wrote ${e.kind === "kafka.txn.commit" ? "a COMMIT" : "an ABORT"} marker at offset ${e.markers.map((m) => m.offset).join(", ")}${e.reason && e.reason !== "commit" && e.reason !== "abort" ? ` (${e.reason})` : ""}.`;
    case "kafka.segment.delete":
      return `${at}: retention deleted ${e.records} records of${where}; the log start offset is now ${e.logStartOffset}.`;
    case "kafka.compact":
      return `${at}: compaction removed ${e.removed} superseded records of${where}.`;
    case "kafka.consumer.seek":
    case "kafka.consumer.reset":
      return `${at}: ${e.member} moved to offset ${e.offset} of${where}${e.kind === "kafka.consumer.reset" ? ` (auto.offset.reset=${e.policy}, from ${e.from})` : ""}.`;
    case "kafka.consumer.crash":
      return `${at}: ${e.member} crashed.`;
    case "kafka.consumer.revoke":
      return `${at}: ${e.member} lost ${e.partitions.join(", ")} in a rebalance.`;
    default:
      return `${at}: ${e.kind.replace(/^kafka\./, "")}${where}.`;
  }
}

/** What the experiment worker's `logView(trace, options)` returns: plain data the page draws. */
export interface LogViewRequest {
  kind: "log-view";
  topic: string;
  events: TraceEvent[];
}

/** A log view of a run, callable in an experiment cell: `logView(sim.trace, {topic: "orders"})`. */
export function logView(trace: {events: readonly TraceEvent[]} | readonly TraceEvent[], {topic}: {topic?: string} = {}): LogViewRequest {
  const events = "events" in trace ? trace.events : trace;
  const chosen = topic ?? busiestTopic(events);
  if (chosen === null) throw new RangeError("logView: the trace has no kafka.append event; produce to a topic first");
  return {kind: "log-view", topic: chosen, events: topicEvents(events, chosen)};
}

export function isLogViewRequest(value: unknown): value is LogViewRequest {
  return typeof value === "object" && value !== null && (value as {kind?: unknown}).kind === "log-view" && Array.isArray((value as {events?: unknown}).events);
}
