// Each "Prove it" simulation shows what its question claims, and replays exactly from its seed.
import {describe, expect, it} from "vitest";
import {PROOFS, PROOF_IDS, proofById} from "../../../src/components/labs/quiz/index.js";
import {
  proveCompatibilityTable, proveEventBridgeNumeric, proveDuplicateDelivery, proveForwardRead, proveIdempotentProducer, proveNewConsumerGroup,
  provePartitionGrowth, proveRabbitRedelivery, proveReadCommitted, proveStickyPartitioner, proveWorkQueue
} from "../../../src/components/labs/quiz/proofs.js";
import {partitionForKey} from "../../../src/components/kafka/partitioner.js";

const col = <T>(rows: Record<string, unknown>[], name: string) => rows.map((r) => r[name] as T);

describe("every proof", () => {
  it.each(PROOF_IDS)("%s holds, fills its table and replays from its seed", async (id) => {
    const proof = proofById(id)!;
    const first = await proof.run();
    expect(first.holds).toBe(true);
    expect(first.rows.length).toBeGreaterThan(0);
    for (const row of first.rows) expect(Object.keys(row).sort()).toEqual([...first.columns].sort());
    expect(first.marked.every((i) => i >= 0 && i < first.rows.length)).toBe(true);
    expect(await proof.run()).toEqual(first);
  });

  it.each(PROOF_IDS)("%s holds for other seeds too", async (id) => {
    for (const seed of [1, 2, 3, 17, 99]) expect((await proofById(id)!.run({seed})).holds, `seed ${seed}`).toBe(true);
  });

  it("ids are unique", () => {
    expect(new Set(PROOFS.map((p) => p.id)).size).toBe(PROOFS.length);
  });
});

describe("the claims, one by one", () => {
  it("a group started six months later reads the whole history; the producer is unchanged", async () => {
    const {rows} = await proveNewConsumerGroup();
    const fraud = rows.find((r) => r["consumer group"] === "fraud-detection")!;
    expect(fraud["started on day"]).toBe(180);
    expect(fraud["payments read"]).toBe(180);
    expect(fraud["read pay-1 (day 0)"]).toBe(true);
    expect(col<number>(rows, "changes to the Payment Service")).toEqual([0, 0, 0]);
  });

  it("the queue keeps every agent busy while tickets wait; the partitioned group does not", async () => {
    const {rows} = await proveWorkQueue();
    const rabbit = rows.filter((r) => String(r.broker).startsWith("RabbitMQ"));
    const kafka = rows.filter((r) => String(r.broker).startsWith("Kafka"));
    expect(col<number>(rabbit, "tickets").reduce((a, b) => a + b)).toBe(12);
    expect(col<number>(kafka, "tickets").reduce((a, b) => a + b)).toBe(12);
    expect(col<number>(rabbit, "idle while tickets waited (min)").every((m) => m === 0)).toBe(true);
    expect(col<number>(kafka, "idle while tickets waited (min)").some((m) => m > 0)).toBe(true);
  });

  it("RabbitMQ redelivers the unacked message with redelivered=true; only the naive handler emails twice", async () => {
    const {rows, summary} = await proveRabbitRedelivery();
    const first = rows.filter((r) => r.message === "order-1042");
    expect(first.map((r) => [r.consumer, r.redelivered])).toEqual([["worker-1", false], ["worker-2", true]]);
    expect(first[1]["delivery tag"]).toBeGreaterThan(1); // tags count per channel
    expect(summary).toContain("sent 2 emails for it");
    expect(summary).toContain("has handled sent 1");
  });

  it("deliveryType: FORWARD is what old consumers need; with a default it is FULL; the reads work both ways", async () => {
    const {rows} = await proveForwardRead();
    const verdict = (change: string, level: string) => rows.find((r) => r.step === "registry check" && r.change === change && r.level === level)!.result;
    for (const level of ["BACKWARD", "FORWARD", "FULL"]) expect(verdict("add deliveryType with a default", level)).toBe("compatible");
    expect(verdict("add deliveryType without a default", "FORWARD")).toBe("compatible");
    expect(verdict("add deliveryType without a default", "BACKWARD")).toBe("refused");
    const reads = rows.filter((r) => r.step === "read");
    expect(JSON.parse(String(reads[0].result))).toEqual({orderId: "order-1042", amount: 25});
    expect(JSON.parse(String(reads[1].result))).toEqual({orderId: "order-1041", amount: 12, deliveryType: "STANDARD"});
  });

  it("the compatibility table matches Confluent's rules (seed corrections 1, 3 and 4)", async () => {
    const {rows} = await proveCompatibilityTable();
    const table = Object.fromEntries(rows.map((r) => [r.change, [r.BACKWARD, r.FORWARD, r.FULL].map((v) => String(v).startsWith("✓"))]));
    expect(table).toEqual({
      "add a field with a default": [true, true, true],
      "add a field without a default": [false, true, false],
      "remove a field without a default (amount)": [true, false, false],
      "remove a field that had a default": [true, true, true],
      "rename amount → total": [false, false, false],
      'rename amount → total, with alias "amount"': [true, false, false],
      "change amount from double to string": [false, false, false]
    });
  });

  it("a crash between processing and commit duplicates deliveries; inserts duplicate, upserts do not", async () => {
    const {rows} = await proveDuplicateDelivery();
    const twice = rows.filter((r) => r.deliveries === 2);
    expect(twice.map((r) => r.eventId)).toEqual(["evt-504", "evt-505"]);
    expect(twice.every((r) => r["shipments (insert)"] === 2)).toBe(true);
    expect(col<number>(rows, "shipments (upsert by eventId)").every((n) => n === 1)).toBe(true);
    expect(rows.filter((r) => r.deliveries === 1).every((r) => r["shipments (insert)"] === 1)).toBe(true);
  });

  it("keyless records stick to a partition for a batch's worth of bytes, then move to another", async () => {
    const {rows} = await proveStickyPartitioner();
    const runs = new Map<number, number[]>();
    for (const r of rows) runs.set(r["sticky run"] as number, [...(runs.get(r["sticky run"] as number) ?? []), r.partition as number]);
    expect(runs.size).toBeGreaterThan(1);
    for (const partitions of runs.values()) expect(new Set(partitions).size).toBe(1);
    // 29-byte records and batch.size 120: the producer switches after the 5th record of a run.
    expect([...runs.values()].slice(0, -1).every((p) => p.length === 5)).toBe(true);
    // offsets increase within a partition in send order
    for (const p of new Set(col<number>(rows, "partition"))) {
      const offsets = rows.filter((r) => r.partition === p).map((r) => r.offset as number);
      expect(offsets).toEqual(offsets.map((_, i) => i));
    }
  });

  it("read_committed sees only the committed transaction; read_uncommitted sees every data record", async () => {
    const {rows} = await proveReadCommitted();
    expect(rows.filter((r) => r["read_committed sees"]).map((r) => r.record)).toEqual(["pay-2:debit", "pay-2:credit"]);
    expect(rows.filter((r) => r["read_uncommitted sees"]).map((r) => r.record)).toEqual(["pay-1:debit", "pay-1:fee", "pay-1:credit", "pay-2:debit", "pay-2:credit", "pay-3:debit"]);
    expect(rows.map((r) => r.record)).toContain("ABORT marker");
    expect(rows.map((r) => r.record)).toContain("COMMIT marker");
  });

  it("a lost ack duplicates the record without idempotence and not with it", async () => {
    const {rows} = await proveIdempotentProducer();
    expect(rows.map((r) => [r["enable.idempotence"], r["sends of the batch"], r["copies in the log"]])).toEqual([[false, 2, 2], [true, 2, 1]]);
    expect(rows[1]["acknowledged after (s)"]).toBeGreaterThanOrEqual(30); // request.timeout.ms
  });

  it("adding partitions moves keys, and some moved keys are read out of order", async () => {
    const {rows} = await provePartitionGrowth();
    for (const r of rows) {
      expect(r["partition before"]).toBe(partitionForKey(String(r.key), 3));
      expect(r["partition after"]).toBe(partitionForKey(String(r.key), 4));
      expect(r["partition before"]).not.toBe(r["partition after"]);
    }
    const broken = rows.filter((r) => !r["order kept"]);
    expect(broken.length).toBeGreaterThan(0);
    for (const r of broken) expect(r["OrderShipped read at (ms)"] as number).toBeLessThanOrEqual(r["OrderPlaced read at (ms)"] as number);
  });

  it("EventBridge's numeric filter passes JSON numbers above the bound and nothing else", async () => {
    const {rows} = await proveEventBridgeNumeric();
    expect(rows.map((r) => [r["detail.amount"], r["delivered to the queue"]])).toEqual([
      ["150", true], ['"150"', false], ["100", false], ["100.5", true], ["80", false], ["(missing)", false]
    ]);
  });
});
