// 11.3: what a member joining does to processing, under the classic protocol (eager and cooperative
// rebalances, JoinGroup/SyncGroup with its group-wide barrier) and the consumer protocol of KIP-848
// (Kafka 4.0: heartbeats, a server-side assignor, incremental reconciliation). The same workload
// and seed run three times; only group.protocol and the assignor change.
import {createSimulation} from "../../sim/index.js";
import {createCluster} from "../../kafka/cluster.js";
import type {Consumer} from "../../kafka/consumer.js";
import type {TraceEvent} from "../../sim/index.js";

export const PROTOCOLS = ["eager", "cooperative", "consumer"] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export interface RebalanceOptions {
  seed: number | string;
  partitions: number;
  /** Members before the join; they start `staggerMs` apart, so their heartbeats are out of phase. */
  members: number;
  staggerMs: number;
  ratePerSecond: number;
  keys: number;
  /** Each member's handler time per record. */
  processingMs: number;
  maxPollRecords: number;
  /** When the new member joins. */
  joinAtMs: number;
  durationMs: number;
  /** Classic heartbeat.interval.ms (Kafka's default 3000): when a member hears of a rebalance. */
  heartbeatIntervalMs: number;
  /** group.consumer.heartbeat.interval.ms (Kafka 4.0's default 5000). */
  consumerHeartbeatIntervalMs: number;
  /** Width of the processing-rate bins of the chart. */
  sampleMs: number;
}

/** A time a partition had no owner: its records waited. */
export interface Gap {
  partition: number;
  from: number;
  to: number;
}

export interface ProtocolRun {
  protocol: Protocol;
  /** Records each member processed per bin of sampleMs. */
  rate: {protocol: Protocol; member: string; time: number; records: number}[];
  /** Ownerless intervals that began at or after the join. */
  gaps: Gap[];
  /** Records that sat in a partition while it had no owner. */
  heldUp: number;
  /** Partitions that went without an owner after the join. */
  partitionsStopped: number;
  /** Partitions that kept their owner all along. */
  partitionsFlowing: number;
  /** The longest a partition went without an owner. */
  longestGapMs: number;
  /** Partitions whose owner changed because of the join. */
  moved: number;
  /** Members present before the join that owned nothing for a while after it. */
  membersStopped: number;
  /** The longest time after the join during which no partition had an owner. */
  groupStopMs: number;
  /** From the join until the last change of ownership. */
  convergeMs: number;
  processed: number;
}

export interface RebalanceRun {
  options: RebalanceOptions;
  runs: ProtocolRun[];
}

const memberName = (i: number) => `member-${i + 1}`;

export function checkRebalanceOptions(o: RebalanceOptions): void {
  const int = (name: keyof RebalanceOptions, min: number, max: number) => {
    const v = o[name] as number;
    if (!(Number.isInteger(v) && v >= min && v <= max)) throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${v}`);
  };
  int("partitions", 1, 24);
  int("members", 1, 8);
  int("keys", 1, 1000);
  int("maxPollRecords", 1, 500);
  int("staggerMs", 0, 10_000);
  int("heartbeatIntervalMs", 100, 30_000);
  int("consumerHeartbeatIntervalMs", 100, 30_000);
  int("sampleMs", 50, 5_000);
  int("durationMs", 1_000, 120_000);
  int("joinAtMs", 0, o.durationMs);
  if (!(o.ratePerSecond > 0 && o.ratePerSecond <= 2_000)) throw new RangeError(`ratePerSecond must be in (0, 2000], got ${o.ratePerSecond}`);
  if (!(o.processingMs >= 0 && o.processingMs <= 1_000)) throw new RangeError(`processingMs must be in [0, 1000], got ${o.processingMs}`);
}

/** Runs one protocol: here by default; the lab's worker hands some to helper workers (worker.ts). */
export type ProtocolRunner = (protocol: Protocol, options: RebalanceOptions) => Promise<ProtocolRun>;

/** The three protocols' runs, at once where the runner runs them elsewhere (each is its own simulation). */
export async function runRebalance(options: RebalanceOptions, runner: ProtocolRunner = runProtocol): Promise<RebalanceRun> {
  checkRebalanceOptions(options);
  return {options, runs: await Promise.all(PROTOCOLS.map((protocol) => lastRunOr(protocol, options, runner)))};
}

/**
 * The options a protocol's run reads, as a key: a classic group never reads the consumer
 * protocol's heartbeat (the coordinator's group.consumer.heartbeat.interval.ms), and a consumer
 * group never reads heartbeat.interval.ms.
 */
function protocolKey(protocol: Protocol, {heartbeatIntervalMs, consumerHeartbeatIntervalMs, ...common}: RebalanceOptions): string {
  return JSON.stringify([protocol, protocol === "consumer" ? consumerHeartbeatIntervalMs : heartbeatIntervalMs, common]);
}

const lastRuns = new Map<Protocol, {key: string; run: Promise<ProtocolRun>}>();

/**
 * Each protocol's last run, reused while the options it reads stay the same: a reader dragging
 * one protocol's heartbeat re-runs that protocol only (the run is deterministic, so the reused
 * one is the run it would compute). A run that failed is not kept.
 */
function lastRunOr(protocol: Protocol, options: RebalanceOptions, runner: ProtocolRunner): Promise<ProtocolRun> {
  const key = protocolKey(protocol, options);
  const last = lastRuns.get(protocol);
  if (last?.key === key) return last.run;
  const run = runner(protocol, options);
  lastRuns.set(protocol, {key, run});
  run.catch(() => lastRuns.get(protocol)?.run === run && lastRuns.delete(protocol));
  return run;
}

/**
 * One protocol's run. The order service's producer sends without waiting for acknowledgements
 * (acks=0): with one replica its records land, and become visible, at the same virtual time under
 * any acks, so nothing the run measures changes, and it spares a response and its timers per
 * record (test/labs/brokers/rebalance.test.ts checks the runs are equal). The comparison, whose
 * checker counts acknowledged records that were lost, traces the run with acks=all (protocolTrace).
 */
export const runProtocol: ProtocolRunner = async (protocol, o) => (await simulate(protocol, o, 0)).run;

/** One protocol's run with acks=all, and its trace: the history a comparison reads (compare.ts). */
export async function protocolTrace(protocol: Protocol, o: RebalanceOptions): Promise<{run: ProtocolRun; events: TraceEvent[]; names: Map<string, string>}> {
  return simulate(protocol, o, "all");
}

async function simulate(protocol: Protocol, o: RebalanceOptions, acks: 0 | "all"): Promise<{run: ProtocolRun; events: TraceEvent[]; names: Map<string, string>}> {
  const sim = createSimulation({seed: o.seed});
  const cluster = createCluster(sim, {groupConsumer: {heartbeatIntervalMs: o.consumerHeartbeatIntervalMs}});
  cluster.createTopic("orders", {partitions: o.partitions});
  const producer = cluster.producer({clientId: "order-service", acks, ...(acks === 0 ? {idempotent: false} : {})});
  const keys = Array.from({length: o.keys}, (_, i) => `order-${i + 1}`);
  const records = Math.floor((o.durationMs * o.ratePerSecond) / 1000);
  for (let i = 0; i < records; i++) sim.schedule((i * 1000) / o.ratePerSecond, () => void producer.send({topic: "orders", key: sim.random.pick(keys), value: String(i)}));

  const consumed: {time: number; member: string; partition: number; offset: number}[] = [];
  const names = new Map<string, string>();
  const consumers: Consumer[] = [];
  const start = (i: number) => {
    const group = protocol === "consumer"
      ? {groupProtocol: "consumer" as const}
      : {assignor: protocol === "eager" ? ("range" as const) : ("cooperative-sticky" as const), heartbeatIntervalMs: o.heartbeatIntervalMs};
    const c = cluster.consumer({groupId: "orders-processor", clientId: memberName(i), ...group, autoOffsetReset: "earliest", processingMs: o.processingMs, maxPollRecords: o.maxPollRecords});
    c.subscribe("orders");
    names.set(c.memberId!, memberName(i));
    c.run({eachMessage: (r) => void consumed.push({time: sim.now, member: memberName(i), partition: r.partition, offset: r.offset})});
    consumers.push(c);
  };
  for (let i = 0; i < o.members; i++) sim.schedule(i * o.staggerMs, () => start(i));
  sim.schedule(o.joinAtMs, () => start(o.members));
  await sim.advance(o.durationMs);

  const owners = ownership(sim.trace.events, names, o.joinAtMs);
  const run = {
    protocol,
    rate: rateSeries(protocol, consumed, o),
    gaps: owners.gaps,
    partitionsStopped: new Set(owners.gaps.map((g) => g.partition)).size,
    partitionsFlowing: o.partitions - new Set(owners.gaps.map((g) => g.partition)).size,
    longestGapMs: Math.max(0, ...owners.gaps.map((g) => g.to - g.from)),
    heldUp: heldUp(sim.trace.filter("kafka.append"), consumed, owners.gaps, o.partitions),
    moved: owners.moved,
    membersStopped: owners.membersStopped,
    groupStopMs: owners.groupStopMs,
    convergeMs: owners.lastChange - o.joinAtMs,
    processed: consumed.length
  };
  return {run, events: sim.trace.events, names};
}

/**
 * Records that sat in a partition while it had no owner: appended before a gap ended and first
 * consumed at or after it began (or never). Indexed by partition and offset: a gap looks only at
 * its own partition's records, not at every record of the run.
 */
function heldUp(appended: readonly {partition: number; offset: number; time: number}[], consumed: readonly {time: number; partition: number; offset: number}[], gaps: readonly Gap[], partitions: number): number {
  const firstConsumed = Array.from({length: partitions}, () => [] as number[]);
  for (const c of consumed) firstConsumed[c.partition][c.offset] ??= c.time;
  const byPartition = Array.from({length: partitions}, () => [] as {offset: number; time: number}[]);
  for (const a of appended) byPartition[a.partition].push(a);
  const held = Array.from({length: partitions}, () => new Set<number>());
  for (const g of gaps) {
    for (const a of byPartition[g.partition]) if (a.time < g.to && (firstConsumed[g.partition][a.offset] ?? Infinity) >= g.from) held[g.partition].add(a.offset);
  }
  return held.reduce((n, offsets) => n + offsets.size, 0);
}

// Replays the members' assign/revoke events: who owned each partition when, from the join on.
function ownership(events: readonly {kind: string; time: number; [k: string]: unknown}[], names: Map<string, string>, joinAtMs: number) {
  const owner = new Map<number, string>();
  const ownerlessSince = new Map<number, number>();
  const before = new Map<number, string>();
  const gaps: Gap[] = [];
  const emptied = new Set<string>();
  let allOwnerlessSince: number | null = null;
  let groupStopMs = 0;
  let lastChange = joinAtMs;
  const partitionOf = (tp: string) => Number(tp.slice(tp.lastIndexOf("-") + 1));
  const release = (p: number, time: number) => {
    if (!owner.has(p)) return;
    owner.delete(p);
    if (time >= joinAtMs) ownerlessSince.set(p, time);
  };
  for (const e of events) {
    if (e.kind !== "kafka.consumer.assign" && e.kind !== "kafka.consumer.revoke") continue;
    if (e.time >= joinAtMs && before.size === 0) for (const [p, m] of owner) before.set(p, m);
    const member = names.get(String(e.member)) ?? String(e.member);
    const listed = (e.partitions as string[]).map(partitionOf);
    const had = [...owner].filter(([, m]) => m === member).map(([p]) => p);
    if (e.kind === "kafka.consumer.revoke") for (const p of listed) release(p, e.time);
    else {
      for (const p of had) if (!listed.includes(p)) release(p, e.time);
      for (const p of listed) {
        const since = ownerlessSince.get(p);
        if (since !== undefined) gaps.push({partition: p, from: since, to: e.time});
        ownerlessSince.delete(p);
        owner.set(p, member);
      }
    }
    if (e.time < joinAtMs) continue;
    const now = [...owner].filter(([, m]) => m === member).map(([p]) => p);
    if (now.join() !== had.join()) lastChange = e.time;
    if (had.length > 0 && now.length === 0 && [...before.values()].includes(member)) emptied.add(member);
    if (owner.size === 0) allOwnerlessSince ??= e.time;
    else if (allOwnerlessSince !== null) {
      groupStopMs = Math.max(groupStopMs, e.time - allOwnerlessSince);
      allOwnerlessSince = null;
    }
  }
  const moved = [...before].filter(([p, m]) => owner.get(p) !== m).length;
  return {gaps, moved, membersStopped: emptied.size, groupStopMs, lastChange};
}

function rateSeries(protocol: Protocol, consumed: {time: number; member: string}[], o: RebalanceOptions): ProtocolRun["rate"] {
  const bins = Math.ceil(o.durationMs / o.sampleMs);
  const members = Array.from({length: o.members + 1}, (_, i) => memberName(i));
  const counts = new Map(members.map((m) => [m, new Array<number>(bins).fill(0)]));
  for (const c of consumed) counts.get(c.member)![Math.min(bins - 1, Math.floor(c.time / o.sampleMs))]++;
  return members.flatMap((member) => counts.get(member)!.map((records, i) => ({protocol, member, time: i * o.sampleMs, records})));
}

/** The protocols' labels, as the chart and the page name them. */
export const PROTOCOL_LABELS: Record<Protocol, string> = {
  eager: "classic, eager (range)",
  cooperative: "classic, cooperative (cooperative-sticky)",
  consumer: "consumer (KIP-848, uniform)"
};
