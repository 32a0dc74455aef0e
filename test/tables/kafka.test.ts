import {describe, expect, it} from "vitest";
import {createCluster, scheduleFaults} from "../../src/components/kafka/index.js";
import {createSimulation} from "../../src/components/sim/index.js";
import * as tables from "../../src/components/tables/index.js";
import {columnTypes, expectRowsMatchTrace} from "./trace-match.js";

const {op} = tables;

/** Three partitions, two members; one crashes after 2 records with its offsets uncommitted, the other takes over. */
async function crashBeforeCommit(seed: number) {
  const sim = createSimulation({seed});
  const cluster = createCluster(sim, {brokers: 3});
  cluster.createTopic("orders", {partitions: 3, replicationFactor: 2});
  const producer = cluster.producer({lostAcks: 0.1, requestTimeoutMs: 100});
  const consumers = [0, 1].map(() => cluster.consumer({groupId: "g", autoOffsetReset: "earliest", autoCommitIntervalMs: 200}));
  for (const c of consumers) {
    c.subscribe("orders");
    c.run({eachMessage: () => undefined});
  }
  for (let t = 0; t < 20; t++) sim.schedule(t * 50, () => void producer.send({topic: "orders", key: `k${t % 4}`, value: {id: t}}));
  sim.schedule(300, () => consumers[0].crashAfter(2));
  await sim.runUntilIdle();
  return {sim, cluster};
}

/** One partition, keys k0..k4 in turn; the partition's owner crashes after 6 records, none of them committed (as in test/kafka/consumer.test.ts). */
async function sixRedelivered() {
  const sim = createSimulation({seed: 1});
  const cluster = createCluster(sim);
  cluster.createTopic("orders", {partitions: 1});
  void cluster.producer().send(Array.from({length: 10}, (_, i) => ({topic: "orders", key: `k${i % 5}`, value: i})));
  const [a, b] = [0, 1].map(() => cluster.consumer({groupId: "g", autoOffsetReset: "earliest"}));
  for (const c of [a, b]) {
    c.subscribe("orders");
    c.run({eachMessage: () => undefined});
  }
  scheduleFaults(sim, [{at: 0, kind: "consumer.crash", consumer: a, afterRecords: 6}]); // range gives the partition to a
  await sim.runUntilIdle();
  return {sim, cluster};
}

describe("Kafka tables", () => {
  it("the same seed and scenario give the same trace and tables; another seed does not", async () => {
    const [a, b, c] = await Promise.all([crashBeforeCommit(7), crashBeforeCommit(7), crashBeforeCommit(8)]);
    expect(JSON.stringify(a.sim.trace.events)).toBe(JSON.stringify(b.sim.trace.events));
    expect(JSON.stringify(a.sim.trace.events)).not.toBe(JSON.stringify(c.sim.trace.events));
    expect(tables.recordsConsumed(a.sim).objects()).toEqual(tables.recordsConsumed(b.sim).objects());
  });

  it("one row per event, with the event's fields, for records appended and consumed, commits, rebalances", async () => {
    const {sim} = await crashBeforeCommit(7);
    const appended = expectRowsMatchTrace(sim, "recordsAppended", tables.recordsAppended(sim), ["kafka.append"]);
    expect(appended.every((r) => r.transaction === null && r.truncated === false)).toBe(true);
    const consumed = expectRowsMatchTrace(sim, "recordsConsumed", tables.recordsConsumed(sim), ["kafka.consume"]);
    expect(consumed.filter((r) => r.redelivered).length).toBeGreaterThan(0); // the crash before commit
    expectRowsMatchTrace(sim, "offsetCommits", tables.offsetCommits(sim), ["kafka.commit"]);
    expectRowsMatchTrace(sim, "groupRebalances", tables.groupRebalances(sim), ["kafka.group.rebalance"]);
    expect(columnTypes(tables.recordsConsumed(sim))).toEqual({
      event: "number", time: "number", group: "string", member: "string", topic: "string", partition: "number", offset: "number", key: "string", value: "object", redelivered: "boolean"
    });
    expect(columnTypes(tables.offsetCommits(sim))).toMatchObject({member: "string", transactionalId: "null", offset: "number"});
  });

  it("partitionAssignments: one row per member and partition of each SyncGroup", async () => {
    const {sim} = await crashBeforeCommit(7);
    const table = tables.partitionAssignments(sim);
    expect(table.columnNames()).toEqual(Object.keys(tables.tableDocs.partitionAssignments.columns));
    const syncs = sim.trace.filter("kafka.group.sync");
    expect(table.numRows()).toBe(syncs.reduce((n, s) => n + Object.values(s.assignment).flat().length, 0));
    // After the crash the survivor owns all three partitions.
    const last = table.filter((d) => d.generation === op.max(d.generation)).objects() as {member: string; partition: number}[];
    expect(last.map((r) => r.partition).sort()).toEqual([0, 1, 2]);
    expect(new Set(last.map((r) => r.member)).size).toBe(1);
  });

  it("duplicates per key: a groupby on the records a group received twice", async () => {
    const {sim} = await sixRedelivered();
    expect(tables.recordsConsumed(sim).filter((d) => d.redelivered).numRows()).toBe(6);
    const duplicates = tables.duplicateDeliveries(sim);
    expect(duplicates.columnNames()).toEqual(Object.keys(tables.tableDocs.duplicateDeliveries.columns));
    expect(duplicates.array("offset")).toEqual([0, 1, 2, 3, 4, 5]);
    const perKey = duplicates.groupby("key").rollup({records: op.count(), deliveries: op.sum("deliveries")}).orderby("key").objects();
    expect(perKey).toEqual([
      {key: "k0", records: 2, deliveries: 4}, // offsets 0 and 5
      {key: "k1", records: 1, deliveries: 2},
      {key: "k2", records: 1, deliveries: 2},
      {key: "k3", records: 1, deliveries: 2},
      {key: "k4", records: 1, deliveries: 2}
    ]);
    const [first] = duplicates.objects() as {times: number[]; members: string[]}[];
    expect(first.times[0]).toBeLessThan(first.times[1]);
    expect(new Set(first.members).size).toBe(2); // the crashed member, then the one that took over
  });

  it("log-end offsets and lag: the last log-end offset is the partition's, and lag drains to 0", async () => {
    const {sim, cluster} = await crashBeforeCommit(7);
    const ends = tables.logEndOffsets(sim).groupby("partition").rollup({logEndOffset: op.max("logEndOffset")}).orderby("partition").objects();
    expect(ends).toEqual(cluster.offsets().map((o) => ({partition: o.partition, logEndOffset: o.logEndOffset})));
    const lag = tables.consumerLag(sim, {bucketMs: 100});
    expect(lag.numRows()).toBeGreaterThan(0);
    expect(lag.filter((d) => d.time % 100 !== 0 || d.lag < 0 || d.lag !== d.logEndOffset - d.committed).numRows()).toBe(0);
    expect(lag.filter((d) => d.lag > 0).numRows()).toBeGreaterThan(0);
    expect(lag.filter((d) => d.time === op.max(d.time)).array("lag")).toEqual([0, 0, 0]);
  });

  it("sees per-key order violations when a non-idempotent producer's retry overtakes", async () => {
    const sim = createSimulation({seed: 11});
    const cluster = createCluster(sim);
    cluster.createTopic("orders", {partitions: 1});
    const producer = cluster.producer({idempotent: false, lostRequests: 0.5, requestTimeoutMs: 50});
    for (let i = 0; i < 10; i++) void producer.send({topic: "orders", key: "k", value: i}).catch(() => undefined);
    const c = cluster.consumer({groupId: "g", autoOffsetReset: "earliest"});
    c.subscribe("orders");
    c.run({eachMessage: () => undefined});
    await sim.runUntilIdle();
    const rows = tables.orderViolations(sim).objects() as {group: string; key: string; sendIndex: number; after: number}[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]).toMatchObject({group: "g", key: "k"});
    expect(rows.every((r) => r.sendIndex < r.after)).toBe(true);
    // In order from the keyed, idempotent crash scenario: redeliveries are not violations.
    expect(tables.orderViolations((await crashBeforeCommit(7)).sim).numRows()).toBe(0);
  });

  it("a lost ack without idempotence writes a record twice; recordsAppended marks each transaction's outcome", async () => {
    const sim = createSimulation({seed: 1});
    const cluster = createCluster(sim);
    cluster.createTopic("orders", {partitions: 1});
    const plain = cluster.producer({idempotent: false});
    plain.loseAcks(1);
    void plain.send({topic: "orders", key: "k", value: "once"});
    await sim.runUntilIdle();
    expect(tables.duplicateWrites(sim).objects()).toEqual([{producer: plain.clientId, sendIndex: 0, batch: expect.any(Number), topic: "orders", partition: 0, key: "k", offsets: [0, 1]}]);

    const tx = cluster.producer({transactionalId: "tx"});
    await Promise.all([tx.initTransactions(), sim.runUntilIdle()]);
    for (const [value, end] of [["kept", "commit"], ["dropped", "abort"], ["pending", null]] as const) {
      tx.beginTransaction();
      void tx.send([{topic: "orders", key: "t", value}]);
      if (end === "commit") void tx.commitTransaction();
      if (end === "abort") void tx.abortTransaction();
      await (end ? sim.runUntilIdle() : sim.advance(1000)); // the open one, before transaction.timeout.ms aborts it
    }
    const rows = expectRowsMatchTrace(sim, "recordsAppended", tables.recordsAppended(sim), ["kafka.append"]);
    expect(rows.map((r) => [r.value, r.transactional, r.transaction])).toEqual([
      ["once", false, null], ["once", false, null], ["kept", true, "committed"], ["dropped", true, "aborted"], ["pending", true, "open"]
    ]);
  });

  it("transactionMarkers: one row per partition a transaction's end wrote to, at the offset its marker took", async () => {
    const sim = createSimulation({seed: 1});
    const cluster = createCluster(sim);
    cluster.createTopic("payments", {partitions: 2});
    const tx = cluster.producer({transactionalId: "tx"});
    await Promise.all([tx.initTransactions(), sim.runUntilIdle()]);
    for (const [partitions, end] of [[[0, 1], "abort"], [[1], "commit"], [[0], null]] as const) {
      tx.beginTransaction();
      void tx.send(partitions.map((partition) => ({topic: "payments", partition, key: null, value: end})));
      if (end === "commit") void tx.commitTransaction();
      if (end === "abort") void tx.abortTransaction();
      await (end ? sim.runUntilIdle() : sim.advance(1000)); // the open one writes no marker
    }
    const markers = tables.transactionMarkers(sim);
    expect(markers.columnNames()).toEqual(Object.keys(tables.tableDocs.transactionMarkers.columns));
    expect(markers.select("partition", "offset", "type", "transactionalId", "reason").objects()).toEqual([
      {partition: 0, offset: 1, type: "ABORT", transactionalId: "tx", reason: "abort"},
      {partition: 1, offset: 1, type: "ABORT", transactionalId: "tx", reason: "abort"},
      {partition: 1, offset: 3, type: "COMMIT", transactionalId: "tx", reason: "commit"}
    ]);
    // Each marker sits where the partition's log holds a control record of its type.
    for (const m of markers.objects() as {partition: number; offset: number; type: string}[]) {
      expect(cluster.records("payments", m.partition).find((r) => r.offset === m.offset)?.type.toUpperCase()).toBe(m.type);
    }
    expect(columnTypes(markers)).toMatchObject({event: "number", time: "number", producerId: "number", producerEpoch: "number"});
  });
});
