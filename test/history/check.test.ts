// The checker against histories whose anomalies are known: a generated clean history (every
// acknowledged message delivered once, in per-key order; committed transactions; failed and
// unknown produces never delivered) gets no verdict, and every anomaly planted in it is found.
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {checkHistory, duplicateDeliveries, type DuplicateCause} from "../../src/components/history/check.js";
import {messageId, type DeliverOp, type History, type Operation} from "../../src/components/history/history.js";

type Plan = {kind: "lose"} | {kind: "reorder"} | {kind: "uncommitted"; outcome: "abort" | "open"; commitsLater: boolean} | {kind: "duplicate"; cause: DuplicateCause["kind"]};

interface Case {
  history: History;
  /** Checks that the verdict shows the planted anomaly. */
  planted: {plan: Plan; message: string; found: (v: ReturnType<typeof checkHistory>) => boolean}[];
}

const planArb: fc.Arbitrary<Plan> = fc.oneof(
  fc.constant({kind: "lose"} as const),
  fc.constant({kind: "reorder"} as const),
  fc.constantFrom("abort", "open").chain((outcome) => fc.boolean().map((commitsLater) => ({kind: "uncommitted", outcome, commitsLater: outcome === "open" && commitsLater}) as const)),
  fc.constantFrom("producer-retry", "crash", "rebalance", "redelivered").map((cause) => ({kind: "duplicate", cause}) as const)
);

const caseArb: fc.Arbitrary<Case> = fc
  .record({keys: fc.integer({min: 1, max: 4}), perKey: fc.integer({min: 2, max: 6}), transactional: fc.boolean(), unacked: fc.nat(3)})
  .chain(({keys, perKey, transactional, unacked}) =>
    fc.record({
      keys: fc.constant(keys),
      perKey: fc.constant(perKey),
      transactional: fc.constant(transactional),
      unacked: fc.constant(unacked),
      // The interleaving of the keys' deliveries: each entry picks the key whose next message comes.
      picks: fc.array(fc.nat(keys - 1), {minLength: keys * perKey, maxLength: keys * perKey}),
      plans: fc.array(fc.record({plan: planArb, pick: fc.nat()}), {maxLength: 3})
    })
  )
  .map(build);

function build({keys, perKey, transactional, unacked, picks, plans}: {keys: number; perKey: number; transactional: boolean; unacked: number; picks: number[]; plans: {plan: Plan; pick: number}[]}): Case {
  let time = 0;
  const ops: Operation[] = [];
  const messages = Array.from({length: keys}, (_, k) => Array.from({length: perKey}, (_, seq) => ({key: `k${k}`, seq, message: messageId(`k${k}`, seq)}))).flat();
  const txn = (m: {seq: number}) => (transactional ? {transaction: `t${m.seq}`} : {});
  for (const m of messages) ops.push({type: "produce", phase: "invoke", producer: "p", ...m, ...txn(m), time: time++});
  for (const m of messages) ops.push({type: "produce", phase: "ok", producer: "p", ...m, ...txn(m), time: time++});
  for (const m of messages) ops.push({type: "append", producer: "p", ...m, partition: Number(m.key.slice(1)), offset: m.seq, attempt: 0, time: time++});
  // Produces that failed or whose answer never came, never delivered: no anomaly.
  for (let i = 0; i < unacked; i++) {
    const m = {key: "k0", seq: 100 + i, message: messageId("k0", 100 + i)};
    ops.push({type: "produce", phase: "invoke", producer: "p", ...m, time: time++}, {type: "produce", phase: i % 2 ? "fail" : "info", producer: "p", ...m, time: time++});
  }
  if (transactional) for (let seq = 0; seq < perKey; seq++) ops.push({type: "transaction", transaction: `t${seq}`, outcome: "commit", time: time++});
  const next = new Array<number>(keys).fill(0);
  const order: DeliverOp[] = [];
  const pending = (k: number) => next[k] < perKey;
  for (const pick of picks) {
    let k = pick;
    while (!pending(k)) k = (k + 1) % keys;
    const m = messages[k * perKey + next[k]++];
    order.push({type: "deliver", consumer: `c${k % 2}`, ...m, redelivered: false, partition: k, offset: m.seq, time: 0});
  }

  const used = new Set<string>();
  const free = (pick: number, ok: (m: (typeof messages)[number]) => boolean = () => true) => {
    const candidates = messages.filter((m) => !used.has(m.message) && ok(m));
    if (candidates.length === 0) return null;
    const m = candidates[pick % candidates.length];
    used.add(m.message);
    return m;
  };
  const planted: Case["planted"] = [];
  const late: ((t: () => number) => Operation[])[] = [];
  let removed = new Set<string>();
  for (const {plan, pick} of plans) {
    if (plan.kind === "reorder") {
      // Swap the deliveries of two messages of one key: the later seq is now read first.
      const a = free(pick, (m) => m.seq < perKey - 1 && !used.has(messageId(m.key, m.seq + 1)));
      if (!a) continue;
      const b = messageId(a.key, a.seq + 1);
      used.add(b);
      const [i, j] = [order.findIndex((d) => d.message === a.message), order.findIndex((d) => d.message === b)];
      [order[i], order[j]] = [order[j], order[i]];
      planted.push({plan, message: a.message, found: (v) => v.reordered.some((r) => r.record.message === a.message && r.after.seq > a.seq)});
      continue;
    }
    const m = free(pick, plan.kind === "uncommitted" ? () => !transactional : undefined);
    if (!m) continue;
    if (plan.kind === "lose") {
      removed.add(m.message);
      planted.push({plan, message: m.message, found: (v) => v.lost.some((l) => l.message === m.message)});
    } else if (plan.kind === "uncommitted") {
      // A record written in a transaction that aborted (its marker written before anyone reads), or still open when read.
      const transaction = `u-${m.message}`;
      for (const op of ops) if (op.type === "produce" && op.message === m.message) Object.assign(op, {transaction});
      if (plan.outcome === "abort") ops.push({type: "transaction", transaction, outcome: "abort", time: time++});
      // Read while open, committed afterwards: still a read of uncommitted data.
      if (plan.commitsLater) late.push((t) => [{type: "transaction", transaction, outcome: "commit", time: t()}]);
      planted.push({plan, message: m.message, found: (v) => v.uncommittedReads.some((u) => u.delivery.message === m.message && u.outcome === plan.outcome)});
    } else {
      // Its own consumer, so that no other plan's crash or rebalance explains this one.
      const first = Object.assign(order.find((d) => d.message === m.message)!, {consumer: `c-${m.message}`});
      late.push((t) => {
        const again: DeliverOp = {...first, redelivered: plan.cause === "redelivered" || plan.cause === "crash", time: 0};
        if (plan.cause === "crash") return [{type: "crash", process: first.consumer, time: t()}, {...again, time: t()}];
        if (plan.cause === "rebalance") return [{type: "rebalance", consumer: first.consumer, time: t()}, {...again, time: t()}];
        if (plan.cause === "producer-retry") {
          const offset = 1000 + first.offset!;
          return [{type: "append", producer: "p", message: m.message, key: m.key, seq: m.seq, partition: first.partition!, offset, attempt: 1, time: t()}, {...again, offset, time: t()}];
        }
        return [{...again, time: t()}];
      });
      planted.push({plan, message: m.message, found: (v) => v.duplicated.some((d) => d.message === m.message && d.causes.some((c) => c.kind === plan.cause))});
    }
  }
  for (const d of order) if (!removed.has(d.message)) ops.push({...d, time: time++});
  for (const more of late) ops.push(...more(() => time++));
  return {history: ops, planted};
}

describe("checkHistory", () => {
  it("finds every planted anomaly and reports none in a clean history", () => {
    const outcomes = {clean: 0, anomalous: 0};
    fc.assert(
      fc.property(caseArb, ({history, planted}) => {
        const verdict = checkHistory(history);
        outcomes[planted.length === 0 ? "clean" : "anomalous"]++;
        if (planted.length === 0) {
          expect(verdict).toMatchObject({valid: true, lost: [], duplicated: [], reordered: [], uncommittedReads: []});
          expect(verdict.deliveries).toBe(verdict.delivered);
        } else {
          expect(verdict.valid).toBe(false);
          for (const p of planted) expect(p.found(verdict), `${p.plan.kind} ${JSON.stringify(p.plan)} of ${p.message}`).toBe(true);
        }
      }),
      {numRuns: 400}
    );
    // Both outcomes occurred: the property was not passed by never planting, or by always planting.
    expect(outcomes.clean).toBeGreaterThan(20);
    expect(outcomes.anomalous).toBeGreaterThan(20);
  });

  it("is blind to the order the operations are listed in: it reads them by time", () => {
    fc.assert(
      fc.property(caseArb, fc.integer(), ({history}, salt) => {
        const shuffled = history.map((op, i) => ({op, k: (i * 7919 + salt) % 104729})).sort((a, b) => a.k - b.k).map(({op}) => op);
        expect(checkHistory(shuffled)).toEqual(checkHistory(history));
      }),
      {numRuns: 100}
    );
  });

  it("explains a RabbitMQ redelivery after a crash, with the deliveries and the crash", () => {
    const m = {message: "a#0", key: "a", seq: 0};
    const verdict = checkHistory([
      {type: "produce", phase: "invoke", producer: "p", ...m, time: 0},
      {type: "produce", phase: "ok", producer: "p", ...m, time: 1},
      {type: "deliver", consumer: "crasher", ...m, redelivered: false, deliveryTag: 1, time: 2},
      {type: "crash", process: "crasher", time: 3},
      {type: "deliver", consumer: "worker", ...m, redelivered: true, deliveryTag: 1, time: 4},
      {type: "ack", consumer: "worker", message: "a#0", deliveryTag: 1, time: 5}
    ]);
    expect(verdict.duplicated).toEqual([{message: "a#0", key: "a", deliveries: [expect.objectContaining({consumer: "crasher"}), expect.objectContaining({consumer: "worker"})], causes: [{kind: "crash", crash: {type: "crash", process: "crasher", time: 3}}]}]);
    expect(duplicateDeliveries(verdict)).toBe(1);
    expect(verdict.redeliveries).toBe(1);
    expect(verdict.lost).toEqual([]);
  });

  it("calls a message delivered twice with nothing to explain it unexplained", () => {
    const d = {type: "deliver", consumer: "c", message: "a#0", key: "a", seq: 0, redelivered: false} as const;
    const verdict = checkHistory([{...d, time: 1}, {...d, time: 2}]);
    expect(verdict.duplicated[0].causes).toEqual([{kind: "unexplained"}]);
  });
});
