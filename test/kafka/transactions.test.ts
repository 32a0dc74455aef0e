import {describe, expect, it} from "vitest";
import {KafkaError, type ConsumerRecord} from "../../src/components/kafka/index.js";
import {setup} from "./helpers.js";

async function committedTxn() {
  const {sim, cluster} = setup({partitions: 1});
  const producer = cluster.producer({transactionalId: "tx"});
  await Promise.all([producer.initTransactions(), sim.runUntilIdle()]);
  return {sim, cluster, producer};
}

describe("transactions", () => {
  it("commit and abort markers take offsets; read_committed skips aborted records and markers", async () => {
    const {sim, cluster, producer} = await committedTxn();
    producer.beginTransaction();
    void producer.send([{topic: "orders", key: "a", value: "kept"}]);
    void producer.commitTransaction();
    await sim.runUntilIdle();
    producer.beginTransaction();
    void producer.send([{topic: "orders", key: "b", value: "aborted"}]);
    void producer.abortTransaction();
    await sim.runUntilIdle();
    expect(cluster.records("orders", 0).map((r) => [r.offset, r.type, r.value, r.aborted])).toEqual([
      [0, "data", "kept", false], [1, "commit", null, false], [2, "data", "aborted", true], [3, "abort", null, false]
    ]);
    const read = async (isolationLevel: "read_committed" | "read_uncommitted") => {
      const seen: unknown[] = [];
      const c = cluster.consumer({groupId: isolationLevel, isolationLevel, autoOffsetReset: "earliest"});
      c.subscribe("orders");
      c.run({eachMessage: (r) => void seen.push(r.value)});
      await sim.runUntilIdle();
      return {seen, position: c.position("orders", 0)};
    };
    expect(await read("read_committed")).toEqual({seen: ["kept"], position: 4});
    expect(await read("read_uncommitted")).toEqual({seen: ["kept", "aborted"], position: 4});
  });

  it("an open transaction holds the last stable offset back; read_committed waits, read_uncommitted does not", async () => {
    const {sim, cluster, producer} = await committedTxn();
    producer.beginTransaction();
    void producer.send({topic: "orders", value: "pending"});
    await sim.advance(10);
    const p = cluster.partition("orders", 0);
    expect([p.highWatermark, p.lastStableOffset]).toEqual([1, 0]);
    const committedSeen: ConsumerRecord[] = [];
    const c = cluster.consumer({groupId: "g", isolationLevel: "read_committed", autoOffsetReset: "earliest"});
    c.subscribe("orders");
    c.run({eachMessage: (r) => void committedSeen.push(r)});
    await sim.advance(100);
    expect(committedSeen).toEqual([]);
    void producer.commitTransaction();
    await sim.runUntilIdle();
    expect(committedSeen.map((r) => r.value)).toEqual(["pending"]);
    expect(p.lastStableOffset).toBe(2);
  });

  it("a new producer with the same transactional.id fences the old one and aborts its open transaction", async () => {
    const {sim, cluster, producer: zombie} = await committedTxn();
    zombie.beginTransaction();
    void zombie.send({topic: "orders", value: "zombie"});
    await sim.advance(10);
    const fresh = cluster.producer({transactionalId: "tx"});
    void fresh.initTransactions();
    await sim.runUntilIdle();
    expect(fresh.producerEpoch).toBe(zombie.producerEpoch + 1);
    expect(cluster.records("orders", 0).map((r) => [r.type, r.aborted])).toEqual([["data", true], ["abort", false]]);
    const late = zombie.send({topic: "orders", value: "late"}).catch((e: KafkaError) => e.code);
    await sim.runUntilIdle();
    expect(await late).toBe("PRODUCER_FENCED");
    expect(() => zombie.commitTransaction()).toThrow(/fenced by a newer one/);
  });

  it("sendOffsetsToTransaction commits the group's offsets only if the transaction commits", async () => {
    const {sim, cluster, producer} = await committedTxn();
    for (const commit of [false, true]) {
      producer.beginTransaction();
      void producer.send({topic: "orders", value: commit});
      void producer.sendOffsetsToTransaction([{topic: "orders", partition: 0, offset: commit ? 7 : 3}], "billing");
      void (commit ? producer.commitTransaction() : producer.abortTransaction());
      await sim.runUntilIdle();
      expect(cluster.groups.committed("billing", "orders", 0)).toBe(commit ? 7 : undefined);
    }
  });

  it("the coordinator aborts a transaction left open past transaction.timeout.ms (a crashed producer)", async () => {
    const {sim, cluster} = setup({partitions: 1});
    const producer = cluster.producer({transactionalId: "tx", transactionTimeoutMs: 5000});
    void producer.initTransactions();
    await sim.runUntilIdle();
    producer.beginTransaction();
    void producer.send({topic: "orders", value: "lost"});
    await sim.advance(10);
    producer.crash();
    await sim.runUntilIdle();
    expect(sim.trace.filter("kafka.txn.abort")).toMatchObject([{reason: "timeout"}]);
    expect(cluster.partition("orders", 0).lastStableOffset).toBe(2);
  });

  it("refuses send outside a transaction, a second begin, and offsets without one", async () => {
    const {cluster, producer} = await committedTxn();
    expect(() => producer.send({topic: "orders", value: 1})).toThrow(/needs beginTransaction\(\) first/);
    expect(() => producer.sendOffsetsToTransaction([], "g")).toThrow(/needs an open transaction/);
    producer.beginTransaction();
    expect(() => producer.beginTransaction()).toThrow(/already open/);
    expect(() => cluster.producer({transactionalId: "t2", idempotent: false})).toThrow(/idempotent must be true/);
    expect(() => cluster.producer().beginTransaction()).toThrow(/needs a producer with a transactionalId/);
    expect(cluster.records("orders", 0)).toEqual([]);
  });
});
