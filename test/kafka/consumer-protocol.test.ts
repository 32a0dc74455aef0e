// The consumer group protocol (KIP-848, group.protocol=consumer): heartbeat-driven, incremental
// reconciliation. Properties: no partition is ever owned by two members at once, members a join
// does not affect never stop, and the group converges to the coordinator's target assignment.
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import type {Consumer, Cluster} from "../../src/components/kafka/index.js";
import {Kafka} from "../../src/components/kafka/kafkajs.js";
import type {Simulation} from "../../src/components/sim/index.js";
import {setup} from "./helpers.js";

type Events = Simulation["trace"]["events"];

/** Replays the members' assign/revoke/crash events; returns the first time a partition had two owners, or null. */
function firstDoubleOwnership(events: Events): string | null {
  const owner = new Map<string, string>();
  for (const e of events) {
    const member = String((e as {member?: unknown}).member);
    // A crash stops the member's fetching at once; a clean close does too, then leaves the group.
    if (e.kind === "kafka.consumer.crash" || e.kind === "kafka.group.leave") for (const [tp, m] of owner) if (m === member) owner.delete(tp);
    if (e.kind === "kafka.consumer.revoke") for (const tp of (e as unknown as {partitions: string[]}).partitions) owner.delete(tp);
    if (e.kind === "kafka.consumer.assign") {
      const list = (e as unknown as {partitions: string[]}).partitions;
      for (const [tp, m] of owner) if (m === member && !list.includes(tp)) owner.delete(tp);
      for (const tp of list) {
        const other = owner.get(tp);
        if (other !== undefined && other !== member) return `${tp} given to ${member} at ${e.time} while ${other} owned it`;
        owner.set(tp, member);
      }
    }
  }
  return null;
}

function produceSteadily(sim: Simulation, cluster: Cluster, records: number, everyMs: number): void {
  const producer = cluster.producer({clientId: "orders"});
  for (let i = 0; i < records; i++) sim.schedule(i * everyMs, () => void producer.send({topic: "orders", key: `k${i % 31}`, value: String(i)}));
}

function member(cluster: Cluster, name: string, consumed?: Map<string, number[]>): Consumer {
  const c = cluster.consumer({groupId: "g", clientId: name, groupProtocol: "consumer", autoOffsetReset: "earliest", processingMs: 1});
  c.subscribe("orders");
  c.run({eachMessage: () => void consumed?.set(name, [...(consumed.get(name) ?? []), c.cluster.sim.now])});
  return c;
}

describe("consumer group protocol (KIP-848)", () => {
  it("a joining member: the owners revoke first, the new member gets the partitions only after, and nobody else stops", async () => {
    const {sim, cluster} = setup({partitions: 6});
    produceSteadily(sim, cluster, 4000, 5);
    const consumed = new Map<string, number[]>();
    const a = member(cluster, "a", consumed);
    const b = member(cluster, "b", consumed);
    sim.schedule(7_000, () => void member(cluster, "c", consumed));
    await sim.advance(20_000);
    expect(firstDoubleOwnership(sim.trace.events)).toBeNull();
    // Converged: every member owns its target, and the target is balanced.
    const target = cluster.groups.targetAssignment("g").assignment;
    expect(Object.values(target).map((l) => l.length)).toEqual([2, 2, 2]);
    expect(a.assignment().map((tp) => `${tp.topic}-${tp.partition}`)).toEqual(target[a.memberId!]);
    expect(b.assignment().map((tp) => `${tp.topic}-${tp.partition}`)).toEqual(target[b.memberId!]);
    // Each moved partition was acknowledged (left out of a heartbeat) before the new member got it.
    const revokedAt = new Map(sim.trace.filter("kafka.consumer.revoke").filter((e) => e.time >= 7_000).flatMap((e) => e.partitions.map((p) => [p, e.time] as const)));
    const cAssign = sim.trace.filter("kafka.consumer.assign").find((e) => e.member.startsWith("c/") && e.partitions.length > 0)!;
    expect(revokedAt.size).toBe(2);
    for (const p of cAssign.partitions) expect(cAssign.time).toBeGreaterThan(revokedAt.get(p)!);
    // No JoinGroup barrier: a and b processed records all through the join (gaps stay at the record pace).
    for (const name of ["a", "b"]) {
      const times = consumed.get(name)!.filter((t) => t >= 6_000 && t <= 16_000);
      const gaps = times.slice(1).map((t, i) => t - times[i]);
      expect(times.length).toBeGreaterThan(500);
      expect(Math.max(...gaps)).toBeLessThan(200);
    }
    expect(sim.trace.filter("kafka.group.rebalance")).toHaveLength(0);
  });

  it("offsets commit with the member epoch: the next owner starts where the revoking member stopped (no record read twice)", async () => {
    const {sim, cluster} = setup({partitions: 4});
    produceSteadily(sim, cluster, 3000, 4);
    member(cluster, "a");
    sim.schedule(3_000, () => void member(cluster, "b"));
    await sim.advance(20_000);
    const seen = new Map<string, number>();
    for (const e of sim.trace.filter("kafka.consume")) seen.set(`${e.partition}/${e.offset}`, (seen.get(`${e.partition}/${e.offset}`) ?? 0) + 1);
    expect(seen.size).toBe(3000);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(sim.trace.filter("kafka.commit.error")).toHaveLength(0);
  });

  it("a crashed member's partitions move after group.consumer.session.timeout.ms", async () => {
    const {sim, cluster} = setup({partitions: 2}, {groupConsumer: {sessionTimeoutMs: 10_000}});
    produceSteadily(sim, cluster, 500, 50);
    const a = member(cluster, "a");
    const b = member(cluster, "b");
    await sim.advance(3_000);
    expect(a.assignment()).toHaveLength(1);
    b.crash();
    // b's last heartbeat was at about 0 ms (the next was due at 5 s): its session ends at about 10 s.
    await sim.advance(6_000);
    expect(a.assignment()).toHaveLength(1);
    await sim.advance(16_000);
    expect(a.assignment()).toHaveLength(2);
    expect(sim.trace.filter("kafka.group.leave").map((e) => e.reason)).toEqual(["session timeout"]);
  });

  it("a member whose session ended between heartbeats has lost its partitions: onPartitionsLost (not onPartitionsRevoked), and it rejoins", async () => {
    // group.consumer.session.timeout.ms shorter than the heartbeat interval: the session ends before each next heartbeat.
    const {sim, cluster} = setup({partitions: 2}, {groupConsumer: {sessionTimeoutMs: 2_000, heartbeatIntervalMs: 3_000}});
    produceSteadily(sim, cluster, 100, 50);
    const c = cluster.consumer({groupId: "g", clientId: "a", groupProtocol: "consumer", autoOffsetReset: "earliest"});
    c.subscribe("orders");
    const lost: {time: number; partitions: string[]}[] = [];
    const revoked: string[] = [];
    c.run({eachMessage: () => undefined, onPartitionsLost: (ps) => void lost.push({time: sim.now, partitions: ps.map((tp) => `${tp.topic}-${tp.partition}`)}), onPartitionsRevoked: (ps) => void revoked.push(...ps.map((tp) => tp.partition.toString()))});
    await sim.advance(4_000);
    expect(lost.length).toBeGreaterThan(0);
    expect(lost[0].partitions.sort()).toEqual(["orders-0", "orders-1"]);
    expect(revoked).toEqual([]);
    expect(sim.trace.filter("kafka.group.leave").map((e) => e.reason)).toContain("session timeout");
    // Rejoined with epoch 0: the partitions come back.
    await sim.advance(200);
    expect(c.assignment()).toHaveLength(2);
  });

  it("the range assignor on request, and the classic settings refused", async () => {
    const {sim, cluster} = setup({partitions: 3});
    const c = cluster.consumer({groupId: "g", groupProtocol: "consumer", remoteAssignor: "range"});
    c.subscribe("orders");
    await sim.advance(10);
    expect(sim.trace.filter("kafka.group.target")[0].assignor).toBe("range");
    expect(() => cluster.consumer({groupId: "g", groupProtocol: "consumer", assignor: "range"})).toThrow(/classic-protocol setting/);
    expect(() => cluster.consumer({groupId: "g", remoteAssignor: "uniform"})).toThrow(/needs groupProtocol "consumer"/);
    const classic = cluster.consumer({groupId: "g"});
    expect(() => classic.subscribe("orders")).toThrow(/INCONSISTENT_GROUP_PROTOCOL|consumer protocol/);
  });

  it("the kafkajs facade accepts group.protocol (kafkajs itself speaks only the classic protocol)", async () => {
    const {sim, cluster} = setup({partitions: 2});
    const kafka = new Kafka({clientId: "app", cluster});
    const consumer = kafka.consumer({groupId: "g", "group.protocol": "consumer"});
    await consumer.subscribe({topics: ["orders"]});
    await consumer.run({eachMessage: async () => {}});
    await sim.advance(10);
    expect(sim.trace.filter("kafka.group.target")).toHaveLength(1);
    expect(sim.trace.filter("kafka.group.rebalance")).toHaveLength(0);
  });

  it("property: a join never makes an unaffected member revoke or pause; the moved partitions only are revoked", async () => {
    const scenario = fc.record({
      seed: fc.integer({min: 0, max: 1e6}),
      partitions: fc.integer({min: 1, max: 8}),
      members: fc.integer({min: 1, max: 4}),
      joinAt: fc.integer({min: 1_000, max: 12_000}),
      assignor: fc.constantFrom("uniform" as const, "range" as const)
    });
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const {sim, cluster} = setup({partitions: s.partitions}, {seed: s.seed});
        const members: Consumer[] = [];
        const join = () => {
          const c = cluster.consumer({groupId: "g", groupProtocol: "consumer", remoteAssignor: s.assignor});
          c.subscribe("orders");
          members.push(c);
        };
        for (let i = 0; i < s.members; i++) join();
        await sim.advance(s.joinAt);
        // The property is about a settled group: a member still taking its first assignment when the
        // newcomer joins may be given a partition and lose it again for that (seed 0, 5 partitions,
        // 3 members, join at 5,002 ms: two members own nothing yet).
        for (let waited = 0; !settled(cluster, members); waited += 100) {
          if (waited > 60_000) throw new Error("the group never settled before the join");
          await sim.advance(100);
        }
        const joinedAt = sim.now;
        const before = new Map(members.map((m) => [m.memberId!, owned(m)]));
        join();
        await sim.advance(20_000);
        const target = cluster.groups.targetAssignment("g").assignment;
        for (const [id, owned] of before) {
          const lost = owned.filter((tp) => !target[id].includes(tp));
          const revoked = sim.trace.filter("kafka.consumer.revoke").filter((e) => e.member === id && e.time >= joinedAt).flatMap((e) => e.partitions);
          expect(revoked.sort()).toEqual(lost.sort());
        }
        expect(firstDoubleOwnership(sim.trace.events)).toBeNull();
      }),
      {numRuns: 150}
    );
  });

  it("property: under churn no partition ever has two owners, and a quiet group converges to its target", async () => {
    const churn = fc.record({
      seed: fc.integer({min: 0, max: 1e6}),
      partitions: fc.integer({min: 1, max: 8}),
      initial: fc.integer({min: 1, max: 3}),
      assignor: fc.constantFrom("uniform" as const, "range" as const),
      steps: fc.array(fc.record({at: fc.integer({min: 0, max: 30_000}), action: fc.constantFrom("join", "leave", "crash")}), {minLength: 1, maxLength: 6})
    });
    await fc.assert(
      fc.asyncProperty(churn, async (s) => {
        const {sim, cluster} = setup({partitions: s.partitions}, {seed: s.seed, groupConsumer: {sessionTimeoutMs: 8_000}});
        produceSteadily(sim, cluster, 600, 50);
        const members: Consumer[] = [];
        const join = () => {
          const c = cluster.consumer({groupId: "g", groupProtocol: "consumer", remoteAssignor: s.assignor, autoOffsetReset: "earliest"});
          c.subscribe("orders");
          c.run({eachMessage: () => {}});
          members.push(c);
        };
        for (let i = 0; i < s.initial; i++) join();
        for (const step of s.steps) {
          sim.schedule(step.at, () => {
            const alive = members.filter((m) => m.state === "running");
            if (step.action === "join" || alive.length <= 1) join();
            else if (step.action === "leave") alive[0].close();
            else alive[alive.length - 1].crash();
          });
        }
        // Quiet after the last step: past a session timeout and a few heartbeats.
        await sim.advance(30_000 + 8_000 + 20_000);
        expect(firstDoubleOwnership(sim.trace.events)).toBeNull();
        const alive = members.filter((m) => m.state === "running");
        const target = cluster.groups.targetAssignment("g").assignment;
        expect(Object.keys(target).sort()).toEqual(alive.map((m) => m.memberId!).sort());
        for (const m of alive) expect(m.assignment().map((tp) => `${tp.topic}-${tp.partition}`).sort()).toEqual([...target[m.memberId!]].sort());
        expect(alive.flatMap((m) => m.assignment()).length).toBe(s.partitions);
      }),
      {numRuns: 150}
    );
  });
});

describe("classic protocol with heartbeat.interval.ms", () => {
  it("eager: each member revokes when its heartbeat tells it, and the group waits for the last one (the JoinGroup barrier)", async () => {
    const {sim, cluster} = setup({partitions: 4});
    const join = (name: string) => {
      const c = cluster.consumer({groupId: "g", clientId: name, assignor: "range", heartbeatIntervalMs: 3_000});
      c.subscribe("orders");
      return c;
    };
    join("a");
    sim.schedule(1_000, () => void join("b"));
    await sim.advance(5_000);
    // b's join waited for a's heartbeat at 3 s.
    expect(sim.trace.filter("kafka.group.sync").map((e) => e.time)).toEqual([4, 3_004]);
    sim.schedule(500, () => void join("c"));
    await sim.advance(10_000);
    // c joins at 5.5 s: a (joined at 0) hears at 6 s, b (joined at 1 s) at 7 s; the rebalance ends after 7 s.
    const revokes = sim.trace.filter("kafka.consumer.revoke").filter((e) => e.time >= 5_500);
    expect(revokes.map((e) => [e.member.split("-")[0], e.time])).toEqual([["a", 6_000], ["b", 7_000]]);
    expect(sim.trace.filter("kafka.group.sync").at(-1)!.time).toBe(7_004);
  });
});

const owned = (m: Consumer) => m.assignment().map((tp) => `${tp.topic}-${tp.partition}`);

/** Every member owns exactly what the coordinator's target gives it. */
function settled(cluster: Cluster, members: Consumer[]): boolean {
  const target = cluster.groups.targetAssignment("g").assignment;
  return members.every((m) => {
    const given = m.memberId ? target[m.memberId] : undefined;
    return given !== undefined && owned(m).sort().join() === [...given].sort().join();
  });
}
