// fast-check property of transactions (1,000 runs): whatever commits, aborts, plain writes and
// producer crashes happen, a read_committed consumer receives exactly the log's records that are
// not aborted: never one the log marks aborted.
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {scheduleFaults} from "../../src/components/kafka/index.js";
import {setup} from "./helpers.js";

describe("transaction properties", () => {
  it("read_committed never returns an aborted record", async () => {
    let runsWithAborted = 0;
    const txns = fc.record({
      seed: fc.integer({min: 0, max: 1e6}),
      transactions: fc.array(fc.record({records: fc.integer({min: 1, max: 4}), commit: fc.boolean()}), {minLength: 1, maxLength: 6}),
      plainWrites: fc.integer({min: 0, max: 5}),
      crashProducerAt: fc.option(fc.integer({min: 0, max: 60}), {nil: undefined})
    });
    await fc.assert(
      fc.asyncProperty(txns, async (s) => {
        const {sim, cluster} = setup({partitions: 2}, {seed: s.seed});
        const producer = cluster.producer({transactionalId: "tx", transactionTimeoutMs: 500});
        const plain = cluster.producer();
        const seen: string[] = [];
        const consumer = cluster.consumer({groupId: "g", isolationLevel: "read_committed", autoOffsetReset: "earliest"});
        consumer.subscribe("orders");
        consumer.run({eachMessage: (r) => void seen.push(r.value as string)});
        void producer.initTransactions().then(async () => {
          for (const [t, txn] of s.transactions.entries()) {
            producer.beginTransaction();
            const sends = Array.from({length: txn.records}, (_, i) => producer.send({topic: "orders", key: `k${i}`, value: `${txn.commit ? "commit" : "abort"}-${t}-${i}`}));
            await Promise.allSettled(sends);
            await (txn.commit ? producer.commitTransaction() : producer.abortTransaction());
          }
        }).catch(() => undefined);
        for (let i = 0; i < s.plainWrites; i++) sim.schedule(i * 7, () => void plain.send({topic: "orders", value: `plain-${i}`}));
        if (s.crashProducerAt !== undefined) scheduleFaults(sim, [{at: s.crashProducerAt, kind: "producer.crash", producer}]);
        await sim.runUntilIdle();
        const data = [0, 1].flatMap((p) => cluster.records("orders", p)).filter((r) => r.type === "data");
        const aborted = new Set(data.filter((r) => r.aborted).map((r) => r.value as string));
        if (aborted.size > 0) runsWithAborted++;
        expect(seen.filter((v) => aborted.has(v))).toEqual([]);
        expect([...seen].sort()).toEqual(data.filter((r) => !r.aborted).map((r) => r.value as string).sort());
        expect(seen.filter((v) => v.startsWith("plain"))).toHaveLength(s.plainWrites);
        const uncommitted = s.transactions.every((t) => !t.commit);
        if (s.crashProducerAt === undefined && !uncommitted) expect(seen.some((v) => v.startsWith("commit"))).toBe(true);
      }),
      {numRuns: 1000}
    );
    expect(runsWithAborted).toBeGreaterThan(100); // the generator does write aborted records for the consumer to skip
  });
});
