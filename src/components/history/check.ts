// The delivery-history checker: reads a history (history.ts) and reports, per key and per
// message, what went wrong. One pure pass in time order; the same verdicts for a run on the
// simulation and on a real broker.
//
// - lost: acknowledged to the producer ("ok"; committed, for a transactional one), never delivered;
// - duplicated: delivered more than once, each later delivery with the reason the history gives;
// - reordered: a delivery whose place in its key's order is not above the key's previous delivery;
// - uncommittedReads: a delivery of a record whose transaction had not committed when it was read
//   (aborted, or still open: read_uncommitted, KIP-98).
import type {AppendOp, CrashOp, DeliverOp, History, Operation, ProduceOp, RebalanceOp, TransactionOp} from "./history.js";

/** Why a message was delivered again, as far as the history says. */
export type DuplicateCause =
  | {kind: "producer-retry"; append: AppendOp}
  | {kind: "crash"; crash: CrashOp}
  | {kind: "rebalance"; rebalance: RebalanceOp}
  | {kind: "redelivered"}
  | {kind: "unexplained"};

export interface Duplicate {
  message: string;
  key: string;
  /** Every delivery of the message, the first included. */
  deliveries: DeliverOp[];
  /** One cause per delivery after the first. */
  causes: DuplicateCause[];
}

export interface Reorder {
  key: string;
  /** The key's delivery just before, whose seq is at least `record`'s. */
  after: DeliverOp;
  record: DeliverOp;
}

export interface UncommittedRead {
  delivery: DeliverOp;
  transaction: string;
  /** How the transaction ended, or "open" if it had not ended when the record was read. */
  outcome: "abort" | "open";
}

export interface Lost {
  message: string;
  key: string;
  acknowledged: ProduceOp;
}

export interface Verdict {
  /** Messages handed to consumers' code (a redelivery counts again). */
  deliveries: number;
  /** Distinct messages delivered at least once. */
  delivered: number;
  /** Deliveries the broker flagged as redelivered, or reads of a log position read before. */
  redeliveries: number;
  lost: Lost[];
  duplicated: Duplicate[];
  reordered: Reorder[];
  uncommittedReads: UncommittedRead[];
  /** True when the history shows no anomaly. */
  valid: boolean;
}

/** Deliveries beyond the first, over every duplicated message. */
export const duplicateDeliveries = (verdict: Verdict): number => verdict.duplicated.reduce((n, d) => n + d.deliveries.length - 1, 0);

const byTime = (history: History): Operation[] => history.map((op, i) => ({op, i})).sort((a, b) => a.op.time - b.op.time || a.i - b.i).map(({op}) => op);

export function checkHistory(history: History): Verdict {
  const ops = byTime(history);
  const deliveries = ops.filter((op): op is DeliverOp => op.type === "deliver");
  const crashes = ops.filter((op): op is CrashOp => op.type === "crash");
  const rebalances = ops.filter((op): op is RebalanceOp => op.type === "rebalance");
  const appends = ops.filter((op): op is AppendOp => op.type === "append");
  const ends = new Map(ops.filter((op): op is TransactionOp => op.type === "transaction").map((op) => [op.transaction, op]));
  const produced = ops.filter((op): op is ProduceOp => op.type === "produce");
  const transactionOf = new Map(produced.filter((op) => op.transaction !== undefined).map((op) => [op.message, op.transaction!]));

  const byMessage = new Map<string, DeliverOp[]>();
  const reordered: Reorder[] = [];
  const uncommittedReads: UncommittedRead[] = [];
  const lastOfKey = new Map<string, DeliverOp>();
  const positionsRead = new Set<string>();
  let redeliveries = 0;
  for (const d of deliveries) {
    byMessage.set(d.message, [...(byMessage.get(d.message) ?? []), d]);
    const previous = lastOfKey.get(d.key);
    if (previous && d.seq <= previous.seq) reordered.push({key: d.key, after: previous, record: d});
    lastOfKey.set(d.key, d);
    const position = d.partition === undefined ? null : `${d.partition}/${d.offset}`;
    if (d.redelivered || (position !== null && positionsRead.has(position))) redeliveries++;
    if (position !== null) positionsRead.add(position);
    const transaction = transactionOf.get(d.message);
    if (transaction !== undefined) {
      const end = ends.get(transaction);
      if (!end || end.time > d.time) uncommittedReads.push({delivery: d, transaction, outcome: "open"});
      else if (end.outcome === "abort") uncommittedReads.push({delivery: d, transaction, outcome: "abort"});
    }
  }

  const duplicated: Duplicate[] = [];
  for (const [message, list] of byMessage) {
    if (list.length < 2) continue;
    const causes = list.slice(1).map((d, i) => causeOf(d, list.slice(0, i + 1), {appends, crashes, rebalances}));
    duplicated.push({message, key: list[0].key, deliveries: list, causes});
  }

  // Acknowledged and meant to be read (not in an aborted or unfinished transaction), never delivered.
  const lost: Lost[] = [];
  const counted = new Set<string>();
  for (const op of produced) {
    if (op.phase !== "ok" || byMessage.has(op.message) || counted.has(op.message)) continue;
    if (op.transaction !== undefined && ends.get(op.transaction)?.outcome !== "commit") continue;
    counted.add(op.message);
    lost.push({message: op.message, key: op.key, acknowledged: op});
  }

  return {
    deliveries: deliveries.length,
    delivered: byMessage.size,
    redeliveries,
    lost,
    duplicated,
    reordered,
    uncommittedReads,
    valid: lost.length + duplicated.length + reordered.length + uncommittedReads.length === 0
  };
}

/**
 * Why `d` delivered a message already delivered by `earlier`: a copy at a log position not read
 * before is a producer retry's second append; otherwise the message was handed out again because
 * the consumer that had it crashed, or its group rebalanced, before it was acknowledged or
 * committed; failing that, the broker's redelivered flag is all the history says.
 */
function causeOf(d: DeliverOp, earlier: DeliverOp[], {appends, crashes, rebalances}: {appends: AppendOp[]; crashes: CrashOp[]; rebalances: RebalanceOp[]}): DuplicateCause {
  if (d.offset !== undefined && !earlier.some((e) => e.partition === d.partition && e.offset === d.offset)) {
    const append = appends.find((a) => a.message === d.message && a.partition === d.partition && a.offset === d.offset);
    if (append) return {kind: "producer-retry", append};
  }
  const last = earlier[earlier.length - 1];
  const between = (op: {time: number}) => op.time >= last.time && op.time <= d.time;
  // The latest crash or rebalance of the consumer that had it, before this delivery.
  const crash = crashes.findLast((c) => c.process === last.consumer && between(c));
  const rebalance = rebalances.findLast((r) => r.consumer === last.consumer && between(r));
  if (crash && !(rebalance && rebalance.time > crash.time)) return {kind: "crash", crash};
  if (rebalance) return {kind: "rebalance", rebalance};
  return d.redelivered ? {kind: "redelivered"} : {kind: "unexplained"};
}
