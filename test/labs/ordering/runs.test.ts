// The 11.4 runs: each shows what its experiment claims, replays exactly from its seed, and refuses
// settings outside their range with the setting's name.
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {runAtLeastOnce, runKeyless, runKeyOrder, runProducerRetries, runTransactions, STRATEGIES} from "../../../src/components/labs/ordering/runs.js";
import {retryTable, summarizeBatches, summarizeIsolation} from "../../../src/components/labs/ordering/summaries.js";
import {partitionForKey} from "../../../src/components/kafka/partitioner.js";

// The page's defaults: every run starts from them, as the page does.
const defaults = JSON.parse(readFileSync("data/scenarios/ordering-and-idempotency.json", "utf8")).experiments;
const keyOrder = (set: object = {}) => runKeyOrder({...defaults.keyOrder.parameters, ...set});
const keyless = (set: object = {}) => runKeyless({...defaults.keyless.parameters, ...set});
const atLeastOnce = (set: object = {}) => runAtLeastOnce({...defaults.atLeastOnce.parameters, ...set});
const retries = (set: object = {}) => runProducerRetries({...defaults.retries.parameters, ...set});
const transactions = (set: object = {}) => runTransactions({...defaults.transactions.parameters, ...set});

describe("per-key order", () => {
  it("keyed: each order lives in its key's partition and the group processes its events in order", async () => {
    for (const seed of [1, 2, 3]) {
      const run = await keyOrder({seed, partitions: 3, consumers: 2, orders: 8});
      expect(run.appends).toHaveLength(32);
      for (const a of run.appends) expect(a.partition).toBe(partitionForKey(a.order, 3));
      expect(new Set(run.deliveries.map((d) => `${d.partition}/${d.offset}`)).size).toBe(32);
      expect(run.violations).toEqual([]);
    }
  });

  it("keyless with a small batch.size: orders are spread and some seed shows an event processed too early", async () => {
    const runs = await Promise.all([1, 2, 3, 4].map((seed) => keyOrder({seed, keyed: false, partitions: 3, consumers: 3, orders: 8})));
    expect(runs.some((r) => r.violations.length > 0)).toBe(true);
    expect(runs.every((r) => new Set(r.appends.map((a) => a.partition)).size > 1)).toBe(true);
  });

  it("consumers beyond the partition count get nothing", async () => {
    const run = await keyOrder({partitions: 2, consumers: 4});
    expect(Object.values(run.assignment).filter((p) => p.length === 0)).toHaveLength(2);
  });

  it("the violations are the checker's reordered deliveries: an event processed after a later one of its order", async () => {
    const runs = await Promise.all([1, 2, 3, 4].map((seed) => keyOrder({seed, keyed: false, partitions: 3, consumers: 3, orders: 8})));
    const run = runs.find((r) => r.violations.length > 0)!;
    expect(run.violations).toHaveLength(run.verdict.reordered.length);
    for (const v of run.violations) {
      expect(v.step).toBeLessThan(v.after);
      // The later step was processed before, by the group, for the same order.
      expect(run.deliveries.some((d) => d.order === v.order && d.step === v.after && d.time <= v.time)).toBe(true);
    }
    expect(run.verdict.duplicated).toEqual([]);
  });
});

describe("keyless records", () => {
  it("sticky sends fewer, bigger batches than round-robin; round-robin uses every partition in turn", async () => {
    const run = await keyless({seed: 2, partitions: 4, records: 200, batchSize: 400, lingerMs: 20});
    const [sticky, roundRobin] = summarizeBatches(run);
    expect(sticky.batches).toBeLessThan(roundRobin.batches);
    expect(sticky["records per batch"]).toBeGreaterThan(roundRobin["records per batch"]);
    expect(run.batches.filter((b) => b.strategy === STRATEGIES[0]).reduce((n, b) => n + b.records, 0)).toBe(200);
    expect(roundRobin["partitions used"]).toBe(4);
  });

  it("at the default batch.size a quiet producer sticks to one partition", async () => {
    const [sticky] = summarizeBatches(await keyless({records: 100, batchSize: 16384}));
    expect(sticky["partitions used"]).toBe(1);
  });
});

describe("at-least-once", () => {
  it("the records processed after the last commit are delivered again, and only those", async () => {
    const run = await atLeastOnce({seed: 3, commitIntervalMs: 2000, crashAtMs: 3100});
    expect(run.positionAtCrash).toBeGreaterThan(run.committedAtCrash);
    expect(run.duplicates).toBe(run.positionAtCrash - run.committedAtCrash);
    const dups = run.deliveries.filter((d) => d.duplicate);
    expect(dups.every((d) => d.consumer === "billing-b" && d.offset >= run.committedAtCrash && d.offset < run.positionAtCrash)).toBe(true);
    expect(run.takeoverAt! - run.crashAt!).toBeGreaterThanOrEqual(10_000);
    expect(new Set(run.deliveries.map((d) => d.offset)).size).toBe(run.records);
  });

  it("no crash, or a crash before processing, delivers each record once", async () => {
    for (const crashAtMs of [null, 0]) expect((await atLeastOnce({crashAtMs})).duplicates).toBe(0);
  });

  it("replays exactly from its seed", async () => {
    expect(await atLeastOnce({seed: 8})).toEqual(await atLeastOnce({seed: 8}));
  });
});

describe("producer retries", () => {
  it("lost answers duplicate records without idempotence, never with it", async () => {
    const {summary, log} = await retries({seed: 4, lostAcks: 0.3, records: 30});
    const [off, on] = summary;
    expect(off["lost answers"]).toBeGreaterThan(0);
    expect(off["duplicate copies"]).toBeGreaterThan(0);
    expect(on["duplicate copies"]).toBe(0);
    expect(on["records in the log"]).toBe(30);
    const idempotent = log.filter((r) => r.idempotence === "enable.idempotence=true");
    expect(idempotent.map((r) => r.record)).toEqual(Array.from({length: 30}, (_, i) => i + 1));
  });

  it("when every answer is lost, every send fails after delivery.timeout.ms", async () => {
    const {summary} = await retries({lostAcks: 1, records: 3});
    for (const s of summary) expect(s["sends failed (delivery.timeout.ms)"]).toBe(3);
  });

  it("refuses a probability outside [0, 1]", async () => {
    await expect(retries({lostAcks: 1.5})).rejects.toThrow(/lostAcks must be a share in \[0, 1\], got 1.5/);
  });
});

describe("transactions", () => {
  it("read_committed reads committed records only; read_uncommitted reads aborted ones too", async () => {
    const run = await transactions({seed: 9, transactions: 8, abortShare: 0.4});
    const [uncommitted, committed] = summarizeIsolation(run);
    expect(run.ends.some((e) => e.outcome === "abort")).toBe(true);
    expect(committed.aborted).toBe(0);
    expect(committed["committed missed"]).toBe(0);
    expect(uncommitted.aborted).toBeGreaterThan(0);
    for (const s of run.samples) expect(s.lastStableOffset).toBeLessThanOrEqual(s.highWatermark);
    // read_committed reads a record only once its transaction's marker exists.
    const markerTime = new Map(run.ends.map((e) => [e.transaction, e.time]));
    for (const d of run.deliveries.filter((x) => x.isolation === "read_committed")) expect(d.time).toBeGreaterThanOrEqual(markerTime.get(d.transaction)!);
  });

  it("a crashed producer's transaction holds the LSO until the timeout, or until a new instance fences it", async () => {
    const orphan = await transactions({crash: true, crashAtMs: 1500, restart: false, transactionTimeoutMs: 5000});
    const timeout = orphan.ends.find((e) => e.reason === "timeout");
    expect(timeout).toBeDefined();
    const stuck = orphan.samples.filter((s) => s.time > 1600 && s.time < timeout!.time);
    expect(stuck.every((s) => s.lastStableOffset < s.highWatermark)).toBe(true);
    const fenced = await transactions({crash: true, crashAtMs: 1500, restart: true, restartAfterMs: 1000});
    expect(fenced.ends.find((e) => e.reason === "fenced")!.time).toBeLessThan(timeout!.time);
  });

  it("abortShare 1 leaves read_committed with nothing", async () => {
    const [, committed] = summarizeIsolation(await transactions({abortShare: 1}));
    expect(committed.read).toBe(0);
  });
});

describe("retryTable", () => {
  it("has a row per measure and a column per idempotence setting", async () => {
    const run = await retries({records: 5, lostAcks: 0});
    const rows = retryTable(run);
    expect(rows.map((r) => r.measure)).toEqual(Object.keys(run.summary[0]).filter((k) => k !== "idempotence"));
    expect(rows.find((r) => r.measure === "records in the log")).toEqual({measure: "records in the log", "idempotence off": 5, "idempotence on": 5});
  });
});
