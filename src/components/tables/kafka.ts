// A Kafka run as tables: the records the leaders appended, the records consumers received, offset
// commits, rebalances and assignments, and the questions the tests and labs ask of them (lag,
// duplicates, order). Pull-only: each function reads a finished run's trace.
import type {TraceEventOf} from "../sim/index.js";
import {aq, op, type ColumnTable} from "./arquero.js";
import {tableDocs} from "./columns.js";
import {eventsOf, tableOf, tableOfEvents, traceEvents, type Run} from "./table.js";

const partitionKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/** Every record a partition leader wrote: see tableDocs.recordsAppended for the columns. */
export function recordsAppended(run: Run): ColumnTable {
  const events = traceEvents(run);
  const appends = eventsOf(events, "kafka.append");
  const transaction: (string | null)[] = appends.map(([e]) => (e.transactional ? "open" : null));
  // A transactional record's outcome is its producer id's next commit or abort (markers in every partition of the transaction).
  const open = new Map<number, number[]>();
  for (let i = 0, row = 0; i < events.length; i++) {
    const e = events[i];
    if (e.kind === "kafka.append") {
      if (e.transactional) open.get(e.producerId)?.push(row) ?? open.set(e.producerId, [row]);
      row++;
    } else if (e.kind === "kafka.txn.commit" || e.kind === "kafka.txn.abort") {
      for (const r of open.get(e.producerId) ?? []) transaction[r] = e.kind === "kafka.txn.commit" ? "committed" : "aborted";
      open.delete(e.producerId);
    }
  }
  // Backwards: a leader election that truncates a partition to logEndOffset cuts every earlier copy at or past it.
  const truncated: boolean[] = new Array(appends.length).fill(false);
  const cutFrom = new Map<string, number>();
  for (let i = events.length - 1, row = appends.length - 1; i >= 0 && row >= 0; i--) {
    const e = events[i];
    if (e.kind === "kafka.leader.elect" && e.truncated > 0) {
      const k = partitionKey(e.topic, e.partition);
      cutFrom.set(k, Math.min(cutFrom.get(k) ?? Infinity, e.logEndOffset));
    } else if (e.kind === "kafka.append") {
      truncated[row--] = e.offset >= (cutFrom.get(partitionKey(e.topic, e.partition)) ?? Infinity);
    }
  }
  return tableOfEvents("recordsAppended", appends, {transaction, truncated});
}

/** Every record handed to a consumer's handler, a redelivery being another row. */
export function recordsConsumed(run: Run): ColumnTable {
  const consumed = eventsOf(run, "kafka.consume");
  const seen = new Set<string>();
  const redelivered = consumed.map(([e]) => {
    const k = `${e.group ?? `member ${e.member}`}\u0000${partitionKey(e.topic, e.partition)}\u0000${e.offset}`;
    if (seen.has(k)) return true;
    seen.add(k);
    return false;
  });
  return tableOfEvents("recordsConsumed", consumed, {redelivered});
}

export function offsetCommits(run: Run): ColumnTable {
  return tableOfEvents("offsetCommits", eventsOf(run, "kafka.commit"));
}

export function groupRebalances(run: Run): ColumnTable {
  return tableOfEvents("groupRebalances", eventsOf(run, "kafka.group.rebalance"));
}

/** One row per member and partition of each SyncGroup's assignment ("orders-2" is topic orders, partition 2). */
export function partitionAssignments(run: Run): ColumnTable {
  return tableOf(
    "partitionAssignments",
    eventsOf(run, "kafka.group.sync").flatMap(([e, event]) =>
      Object.entries(e.assignment).flatMap(([member, names]) =>
        names.map((name) => {
          const dash = name.lastIndexOf("-");
          return {...e, event, member, topic: name.slice(0, dash), partition: Number(name.slice(dash + 1))};
        })
      )
    )
  );
}

/** One row per marker: a commit or abort writes one in every partition the transaction wrote to. */
export function transactionMarkers(run: Run): ColumnTable {
  return tableOf(
    "transactionMarkers",
    eventsOf(run, "kafka.txn.commit", "kafka.txn.abort").flatMap(([e, event]) =>
      e.markers.map((m) => ({...e, ...m, event, type: e.kind === "kafka.txn.commit" ? "COMMIT" : "ABORT"}))
    )
  );
}

type EndEvent = TraceEventOf<"kafka.append" | "kafka.leader.elect" | "kafka.txn.commit" | "kafka.txn.abort">;

/** The log-end offsets an event sets: an append, a truncating election, a transaction's markers. */
function logEnds(e: EndEvent): {topic: string; partition: number; logEndOffset: number}[] {
  switch (e.kind) {
    case "kafka.append":
      return [{topic: e.topic, partition: e.partition, logEndOffset: e.offset + 1}];
    case "kafka.leader.elect":
      return e.truncated > 0 ? [{topic: e.topic, partition: e.partition, logEndOffset: e.logEndOffset}] : [];
    default:
      return e.markers.map((m) => ({topic: m.topic, partition: m.partition, logEndOffset: m.offset + 1}));
  }
}

const endsLog = (e: {kind: string}): e is EndEvent => e.kind === "kafka.append" || e.kind === "kafka.leader.elect" || e.kind === "kafka.txn.commit" || e.kind === "kafka.txn.abort";

export function logEndOffsets(run: Run): ColumnTable {
  return tableOf(
    "logEndOffsets",
    traceEvents(run).flatMap((e, event) => (endsLog(e) ? logEnds(e).map((end) => ({...end, event, time: e.time})) : []))
  );
}

/**
 * Lag per group and partition at the end of every `bucketMs` window: log-end offset minus
 * committed offset. A sampled state, not a join of events, so it is one pass over the trace.
 */
export function consumerLag(run: Run, {bucketMs = 1000}: {bucketMs?: number} = {}): ColumnTable {
  const end = new Map<string, number>();
  const committed = new Map<string, number>();
  const tracked = new Map<string, {group: string; topic: string; partition: number}>();
  const rows: {time: number; group: string; topic: string; partition: number; logEndOffset: number; committed: number; lag: number}[] = [];
  let bucket = 0;
  const flush = (until: number) => {
    for (; bucket + bucketMs <= until; ) {
      bucket += bucketMs;
      for (const [k, t] of tracked) {
        const logEndOffset = end.get(partitionKey(t.topic, t.partition)) ?? 0;
        const offset = committed.get(k) ?? 0;
        rows.push({time: bucket, ...t, logEndOffset, committed: offset, lag: Math.max(0, logEndOffset - offset)});
      }
    }
  };
  let last = 0;
  for (const e of traceEvents(run)) {
    flush(e.time);
    last = e.time;
    if (endsLog(e)) for (const x of logEnds(e)) end.set(partitionKey(x.topic, x.partition), x.logEndOffset);
    else if ((e.kind === "kafka.commit" || e.kind === "kafka.consume") && e.group !== undefined) {
      const k = `${e.group}\u0000${partitionKey(e.topic, e.partition)}`;
      if (!tracked.has(k)) tracked.set(k, {group: e.group, topic: e.topic, partition: e.partition});
      if (e.kind === "kafka.commit") committed.set(k, e.offset);
    }
  }
  flush(Math.ceil(last / bucketMs) * bucketMs);
  return tableOf("consumerLag", rows);
}

/** Records a group received more than once: the redelivered rows' records, grouped (rows are in trace order, so are the times). */
export function duplicateDeliveries(run: Run): ColumnTable {
  const keys = ["reader", "topic", "partition", "offset"];
  // A consumer without a group reads alone.
  const consumed = recordsConsumed(run).derive({reader: (d) => (d.group === null ? "member " + d.member : d.group)});
  return consumed
    .semijoin(consumed.filter((d) => d.redelivered), [keys])
    .groupby([...keys, "group"])
    .rollup({key: op.any("key"), deliveries: op.count(), times: op.array_agg("time"), members: op.array_agg("member")})
    .select(Object.keys(tableDocs.duplicateDeliveries.columns));
}

/** Records written more than once for one send: appended copies that survived, grouped by producer and send index. */
export function duplicateWrites(run: Run): ColumnTable {
  return recordsAppended(run)
    .filter((d) => !d.truncated)
    .groupby("producer", "sendIndex")
    .rollup({batch: op.any("batch"), topic: op.any("topic"), partition: op.any("partition"), key: op.any("key"), offsets: op.array_agg("offset")})
    .filter((d) => op.length(d.offsets) > 1)
    .select(Object.keys(tableDocs.duplicateWrites.columns));
}

/**
 * Per-key order violations: a group's first receipt of a keyed record whose send index is below
 * the highest one the group already received from that producer for that key. Redeliveries are
 * duplicates, not violations.
 */
export function orderViolations(run: Run): ColumnTable {
  const sent = recordsAppended(run).select("topic", "partition", "offset", "producer", "sendIndex");
  return recordsConsumed(run)
    .filter((d) => !d.redelivered && d.key !== null && d.group !== null)
    .join(sent, [["topic", "partition", "offset"]])
    .groupby("group", "producer", "key")
    .orderby("event")
    .derive({highest: aq.rolling((d: {sendIndex: number}) => op.max(d.sendIndex))}) // frame [-Infinity, 0]: this row and every one before
    .derive({after: (d: {highest: number}) => op.lag(d.highest, 1)})
    .filter((d) => d.sendIndex < d.after) // false for a key's first record: nothing before it
    .ungroup()
    .orderby("event")
    .select(Object.keys(tableDocs.orderViolations.columns));
}
