import {describe, expect, it} from "vitest";
import {scheduleFaults, type Consumer, type ConsumerRecord} from "../../src/components/kafka/index.js";
import {consumerLag, duplicateDeliveries} from "../../src/components/tables/index.js";
import {setup} from "./helpers.js";

function produce(cluster: ReturnType<typeof setup>["cluster"], n: number, topic = "orders", from = 0) {
  return cluster.producer().send(Array.from({length: n}, (_, i) => ({topic, key: `k${(from + i) % 7}`, value: from + i})));
}

function collect(consumer: Consumer, into: ConsumerRecord[] = []) {
  consumer.run({eachMessage: (r) => void into.push(r)});
  return into;
}

describe("consumer groups", () => {
  it("divides partitions among members; generations count rebalances", async () => {
    const {sim, cluster} = setup({partitions: 4});
    const a = cluster.consumer({groupId: "g"});
    a.subscribe("orders");
    await sim.runUntilIdle();
    expect(a.assignment()).toHaveLength(4);
    expect(a.generation).toBe(1);
    const b = cluster.consumer({groupId: "g"});
    b.subscribe("orders");
    await sim.runUntilIdle();
    expect(a.generation).toBe(2);
    expect(cluster.groups.assignment("g").map((r) => [r.member, r.partition])).toEqual([
      [a.memberId, 0], [a.memberId, 1], [b.memberId, 2], [b.memberId, 3]
    ]);
  });

  it("a member that stops heartbeating is removed after session.timeout.ms and the others take over", async () => {
    const {sim, cluster} = setup({partitions: 2});
    const [a, b] = [cluster.consumer({groupId: "g", sessionTimeoutMs: 10_000}), cluster.consumer({groupId: "g", sessionTimeoutMs: 10_000})];
    a.subscribe("orders");
    b.subscribe("orders");
    await sim.runUntilIdle();
    const crashAt = sim.now;
    a.crash();
    await sim.runUntilIdle();
    const leave = sim.trace.filter("kafka.group.leave")[0];
    expect(leave).toMatchObject({member: a.memberId, reason: "session timeout"});
    expect(leave.time - crashAt).toBe(10_000);
    expect(b.assignment()).toHaveLength(2);
  });

  it("cooperative-sticky keeps partitions in place and runs a follow-up rebalance for the ones that move (KIP-429)", async () => {
    const {sim, cluster} = setup({partitions: 4});
    const a = cluster.consumer({groupId: "g", assignor: "cooperative-sticky"});
    a.subscribe("orders");
    await sim.runUntilIdle();
    const b = cluster.consumer({groupId: "g", assignor: "cooperative-sticky"});
    b.subscribe("orders");
    await sim.runUntilIdle();
    const syncs = sim.trace.filter("kafka.group.sync");
    expect(syncs.map((e) => e.followUp)).toEqual([false, true, false]);
    expect((syncs[1].assignment as Record<string, string[]>)[b.memberId!]).toEqual([]); // moved partitions are revoked first
    expect(a.assignment()).toHaveLength(2);
    expect(b.assignment()).toHaveLength(2);
    expect(sim.trace.filter("kafka.consumer.revoke").every((e) => e.member === a.memberId)).toBe(true);
  });

  it("refuses an unknown assignor and a member whose assignor differs from the group's", () => {
    const {cluster} = setup({partitions: 1});
    expect(() => cluster.consumer({groupId: "g", assignor: "fair" as never})).toThrow(/assignor \(partition.assignment.strategy\) must be one of "range", "roundrobin", "sticky", "cooperative-sticky"/);
    cluster.consumer({groupId: "g"}).subscribe("orders");
    expect(() => cluster.consumer({groupId: "g", assignor: "sticky"}).subscribe("orders")).toThrow(/uses assignor "range"/);
    expect(cluster.groups.group("g").members.size).toBe(1);
  });
});

describe("offsets", () => {
  it("the committed offset is the next offset to read; a restarted group continues from it", async () => {
    const {sim, cluster} = setup({partitions: 1});
    void produce(cluster, 5);
    const first = cluster.consumer({groupId: "g", autoCommit: false, autoOffsetReset: "earliest"});
    first.subscribe("orders");
    const seen = collect(first);
    await sim.runUntilIdle();
    first.commit();
    expect(cluster.groups.committed("g", "orders", 0)).toBe(5);
    first.close();
    void produce(cluster, 2, "orders", 5);
    const second = cluster.consumer({groupId: "g", autoOffsetReset: "earliest"});
    second.subscribe("orders");
    const later = collect(second);
    await sim.runUntilIdle();
    expect(seen.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4]);
    expect(later.map((r) => r.offset)).toEqual([5, 6]);
  });

  it("auto-commit commits the positions every auto.commit.interval.ms", async () => {
    const {sim, cluster} = setup({partitions: 1});
    const c = cluster.consumer({groupId: "g", autoCommitIntervalMs: 1000, autoOffsetReset: "earliest"});
    c.subscribe("orders");
    collect(c);
    for (let t = 0; t < 3; t++) {
      void produce(cluster, 1, "orders", t);
      await sim.advance(1000);
    }
    await sim.runUntilIdle();
    const commits = sim.trace.filter("kafka.commit");
    expect(commits.map((e) => e.offset)).toEqual([1, 2, 3]);
    expect(commits.every((e, i) => i === 0 || e.time - commits[i - 1].time >= 1000)).toBe(true);
  });

  it("auto.offset.reset: earliest reads history, latest only new records, none refuses", async () => {
    const {sim, cluster} = setup({partitions: 1});
    void produce(cluster, 3);
    await sim.runUntilIdle();
    const early = cluster.consumer({groupId: "early", autoOffsetReset: "earliest"});
    const late = cluster.consumer({groupId: "late"});
    early.subscribe("orders");
    late.subscribe("orders");
    const [e, l] = [collect(early), collect(late)];
    await sim.runUntilIdle();
    void produce(cluster, 1, "orders", 3);
    await sim.runUntilIdle();
    expect(e.map((r) => r.value)).toEqual([0, 1, 2, 3]);
    expect(l.map((r) => r.value)).toEqual([3]);
    const none = cluster.consumer({groupId: "none", autoOffsetReset: "none"});
    none.subscribe("orders");
    collect(none);
    await expect(sim.runUntilIdle()).rejects.toThrow(/autoOffsetReset \(auto.offset.reset\) is "none"; use "earliest" or "latest"/);
  });

  it("seek replays from an offset or a timestamp; a new group replays the whole history", async () => {
    const {sim, cluster} = setup({partitions: 1});
    for (let t = 0; t < 5; t++) {
      void produce(cluster, 1, "orders", t);
      await sim.advance(100);
    }
    const c = cluster.consumer({groupId: "g", autoOffsetReset: "earliest"});
    c.subscribe("orders");
    const seen = collect(c);
    await sim.runUntilIdle();
    expect(() => c.seek("orders", 1, 0)).toThrow(/no current assignment for partition orders-1/);
    expect(() => c.seek("orders", 0, -1)).toThrow(/offset must be an integer >= 0, got -1/);
    c.seek("orders", 0, 3);
    await sim.runUntilIdle();
    c.seekToTimestamp("orders", 150); // records were written at 0, 100, 200, ...
    await sim.runUntilIdle();
    expect(seen.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 3, 4, 2, 3, 4]);
    const replay = cluster.consumer({groupId: "audit", autoOffsetReset: "earliest"});
    replay.subscribe("orders");
    const history = collect(replay);
    await sim.runUntilIdle();
    expect(history.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4]);
  });
});

describe("faults", () => {
  it("a consumer crashing between processing and commit makes the next owner process records again", async () => {
    const {sim, cluster} = setup({partitions: 1});
    void produce(cluster, 10);
    const [a, b] = [cluster.consumer({groupId: "g", autoOffsetReset: "earliest"}), cluster.consumer({groupId: "g", autoOffsetReset: "earliest"})];
    a.subscribe("orders");
    b.subscribe("orders");
    const seen: ConsumerRecord[] = [];
    collect(a, seen);
    collect(b, seen);
    // range gives the only partition to the first member by id: a
    scheduleFaults(sim, [{at: 0, kind: "consumer.crash", consumer: a, afterRecords: 6}]);
    await sim.runUntilIdle();
    expect(seen.filter((r) => r.offset < 6)).toHaveLength(12); // the first 6 twice: none of them was committed
    expect(new Set(seen.map((r) => r.offset)).size).toBe(10);
    expect(duplicateDeliveries(sim).numRows()).toBe(6);
  });

  it("a paused consumer keeps its partitions while lag grows, then catches up", async () => {
    const {sim, cluster} = setup({partitions: 1});
    const c = cluster.consumer({groupId: "g", autoCommitIntervalMs: 500});
    c.subscribe("orders");
    collect(c);
    await sim.runUntilIdle();
    scheduleFaults(sim, [{at: 1000, kind: "consumer.pause", consumer: c, forMs: 3000}]);
    for (let t = 0; t < 6; t++) {
      void produce(cluster, 10, "orders", t * 10);
      await sim.advance(1000);
    }
    await sim.runUntilIdle();
    const rows = consumerLag(sim, {bucketMs: 1000}).objects() as {lag: number}[];
    const peak = Math.max(...rows.map((r) => r.lag));
    expect(peak).toBeGreaterThanOrEqual(30);
    expect(rows.at(-1)!.lag).toBe(0);
    expect(c.assignment()).toHaveLength(1);
  });

  it("read_committed, paused partitions and slow handlers: processingMs spaces out polls", async () => {
    const {sim, cluster} = setup({partitions: 1});
    void produce(cluster, 20);
    const c = cluster.consumer({groupId: "g", autoOffsetReset: "earliest", maxPollRecords: 5, processingMs: 10});
    c.subscribe("orders");
    const seen = collect(c);
    await sim.runUntilIdle();
    const times = sim.trace.filter("kafka.consume").map((e) => e.time);
    expect(seen).toHaveLength(20);
    expect(times[5] - times[0]).toBe(50);
  });

  it("a handler that keeps failing is retried, then the consumer gives up", async () => {
    const {sim, cluster} = setup({partitions: 1});
    void produce(cluster, 1);
    const c = cluster.consumer({groupId: "g", autoOffsetReset: "earliest", handlerRetries: 2});
    c.subscribe("orders");
    c.run({eachMessage: () => {
      throw new Error("poison");
    }});
    await sim.runUntilIdle();
    expect(sim.trace.filter("kafka.consume.error").map((e) => e.attempt)).toEqual([0, 1, 2]);
    expect(c.state).toBe("crashed");
  });
});
