// 11.3: what a member joining does to processing, under the classic protocol (eager and cooperative
// rebalances, JoinGroup/SyncGroup with its group-wide barrier) and the consumer protocol of KIP-848
// (Kafka 4.0: heartbeats, a server-side assignor, incremental reconciliation). The same workload
// and seed run three times; only group.protocol and the assignor change.
import {createSimulation} from "../../sim/index.js";
import {createCluster, type Cluster} from "../../kafka/cluster.js";
import type {TopicPartition} from "../../kafka/assignors.js";
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
 * One protocol's run, as the page shows it: no trace, and a producer that sends without waiting
 * for acknowledgements (acks=0). The run reads what the members' rebalance listeners and handlers
 * see and when each partition's records became visible; with one replica a record lands, and
 * becomes visible, at the same virtual time under any acks. So nothing the run measures changes,
 * and each record spares a response, its timers and its trace events
 * (test/labs/brokers/rebalance.test.ts checks the runs equal protocolTrace's).
 */
export const runProtocol: ProtocolRunner = async (protocol, o) => (await simulate(protocol, o, {acks: 0, trace: false})).run;

/**
 * One protocol's run with acks=all, and its trace: the history a comparison reads (compare.ts),
 * whose checker counts acknowledged records that were lost.
 */
export function protocolTrace(protocol: Protocol, o: RebalanceOptions): Promise<{run: ProtocolRun; events: TraceEvent[]; names: Map<string, string>}> {
  return simulate(protocol, o, {acks: "all", trace: true});
}

async function simulate(protocol: Protocol, o: RebalanceOptions, {acks, trace}: {acks: 0 | "all"; trace: boolean}): Promise<{run: ProtocolRun; events: TraceEvent[]; names: Map<string, string>}> {
  const sim = createSimulation({seed: o.seed, trace});
  const cluster = createCluster(sim, {groupConsumer: {heartbeatIntervalMs: o.consumerHeartbeatIntervalMs}});
  cluster.createTopic("orders", {partitions: o.partitions});
  const producer = cluster.producer({clientId: "order-service", acks, ...(acks === 0 ? {idempotent: false} : {})});
  const keys = Array.from({length: o.keys}, (_, i) => `order-${i + 1}`);
  const records = Math.floor((o.durationMs * o.ratePerSecond) / 1000);
  for (let i = 0; i < records; i++) sim.schedule((i * 1000) / o.ratePerSecond, () => void producer.send({topic: "orders", key: sim.random.pick(keys), value: String(i)}));

  const visible = visibility(cluster, "orders", o.partitions);
  const owners = ownership(o.joinAtMs);
  const bins = Math.ceil(o.durationMs / o.sampleMs);
  const counts = Array.from({length: o.members + 1}, () => new Array<number>(bins).fill(0));
  const firstConsumed = Array.from({length: o.partitions}, () => [] as number[]);
  let processed = 0;
  const names = new Map<string, string>();
  const start = (i: number) => {
    const group = protocol === "consumer"
      ? {groupProtocol: "consumer" as const}
      : {assignor: protocol === "eager" ? ("range" as const) : ("cooperative-sticky" as const), heartbeatIntervalMs: o.heartbeatIntervalMs};
    const member = memberName(i);
    const c = cluster.consumer({groupId: "orders-processor", clientId: member, ...group, autoOffsetReset: "earliest", processingMs: o.processingMs, maxPollRecords: o.maxPollRecords});
    c.subscribe("orders");
    names.set(c.memberId!, member);
    const released = (partitions: TopicPartition[]) => owners.revoke(member, partitions.map((tp) => tp.partition), sim.now);
    c.run({
      eachMessage: (r) => {
        counts[i][Math.min(bins - 1, Math.floor(sim.now / o.sampleMs))]++;
        firstConsumed[r.partition][r.offset] ??= sim.now;
        processed++;
      },
      // A member's whole assignment after each change, as its kafka.consumer.assign event lists it.
      onPartitionsAssigned: () => owners.assign(member, c.assignment().map((tp) => tp.partition), sim.now),
      onPartitionsRevoked: released,
      onPartitionsLost: released
    });
  };
  for (let i = 0; i < o.members; i++) sim.schedule(i * o.staggerMs, () => start(i));
  sim.schedule(o.joinAtMs, () => start(o.members));
  await sim.advance(o.durationMs);

  const {gaps, moved, membersStopped, groupStopMs, lastChange} = owners.result();
  const stopped = new Set(gaps.map((g) => g.partition)).size;
  const run = {
    protocol,
    rate: counts.flatMap((row, i) => row.map((n, bin) => ({protocol, member: memberName(i), time: bin * o.sampleMs, records: n}))),
    gaps,
    partitionsStopped: stopped,
    partitionsFlowing: o.partitions - stopped,
    longestGapMs: Math.max(0, ...gaps.map((g) => g.to - g.from)),
    heldUp: heldUp(visible, firstConsumed, gaps),
    moved,
    membersStopped,
    groupStopMs,
    convergeMs: lastChange - o.joinAtMs,
    processed
  };
  return {run, events: sim.trace.events, names};
}

/**
 * When each partition's records became visible: its high watermark after each move, taken from
 * the notification that wakes the consumers' long polls. With one replica that is when they landed.
 */
function visibility(cluster: Cluster, topic: string, partitions: number): {times: number[]; highWatermarks: number[]}[] {
  return Array.from({length: partitions}, (_, p) => {
    const steps = {times: [] as number[], highWatermarks: [] as number[]};
    const offsets = cluster.listOffsets(topic, p);
    cluster.watch(topic, p, () => void (steps.times.push(cluster.sim.now), steps.highWatermarks.push(offsets.highWatermark)));
    return steps;
  });
}

/** The records of a partition visible before `time`: offsets below the last high watermark reached before it. */
function visibleBefore({times, highWatermarks}: {times: number[]; highWatermarks: number[]}, time: number): number {
  let lo = 0, hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] < time) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 0 : highWatermarks[lo - 1];
}

/**
 * Records that sat in a partition while it had no owner: visible before a gap ended and first
 * consumed at or after it began (or never). A gap looks only at its own partition's records.
 */
function heldUp(visible: {times: number[]; highWatermarks: number[]}[], firstConsumed: number[][], gaps: readonly Gap[]): number {
  const held = visible.map(() => new Set<number>());
  for (const g of gaps) {
    const first = firstConsumed[g.partition];
    for (let offset = 0, end = visibleBefore(visible[g.partition], g.to); offset < end; offset++) if ((first[offset] ?? Infinity) >= g.from) held[g.partition].add(offset);
  }
  return held.reduce((n, offsets) => n + offsets.size, 0);
}

/**
 * Who owned each partition when, from the join on, replayed from the members' assignments and
 * revocations in the order they happened (their rebalance listeners, or their
 * kafka.consumer.assign and kafka.consumer.revoke events): an assignment lists a member's whole
 * assignment, a revocation what it gives up.
 */
export function ownership(joinAtMs: number) {
  const owner = new Map<number, string>();
  const ownerlessSince = new Map<number, number>();
  const before = new Map<number, string>();
  const gaps: Gap[] = [];
  const emptied = new Set<string>();
  let allOwnerlessSince: number | null = null;
  let groupStopMs = 0;
  let lastChange = joinAtMs;
  const release = (p: number, time: number) => {
    if (!owner.has(p)) return;
    owner.delete(p);
    if (time >= joinAtMs) ownerlessSince.set(p, time);
  };
  const owned = (member: string) => [...owner].filter(([, m]) => m === member).map(([p]) => p);
  const change = (member: string, time: number, apply: (had: number[]) => void) => {
    if (time >= joinAtMs && before.size === 0) for (const [p, m] of owner) before.set(p, m);
    const had = owned(member);
    apply(had);
    if (time < joinAtMs) return;
    const now = owned(member);
    if (now.join() !== had.join()) lastChange = time;
    if (had.length > 0 && now.length === 0 && [...before.values()].includes(member)) emptied.add(member);
    if (owner.size === 0) allOwnerlessSince ??= time;
    else if (allOwnerlessSince !== null) {
      groupStopMs = Math.max(groupStopMs, time - allOwnerlessSince);
      allOwnerlessSince = null;
    }
  };
  return {
    revoke: (member: string, partitions: number[], time: number) => change(member, time, () => partitions.forEach((p) => release(p, time))),
    assign: (member: string, partitions: number[], time: number) =>
      change(member, time, (had) => {
        for (const p of had) if (!partitions.includes(p)) release(p, time);
        for (const p of partitions) {
          const since = ownerlessSince.get(p);
          if (since !== undefined) gaps.push({partition: p, from: since, to: time});
          ownerlessSince.delete(p);
          owner.set(p, member);
        }
      }),
    result: () => ({gaps, moved: [...before].filter(([p, m]) => owner.get(p) !== m).length, membersStopped: emptied.size, groupStopMs, lastChange})
  };
}

/** The protocols' labels, as the chart and the page name them. */
export const PROTOCOL_LABELS: Record<Protocol, string> = {
  eager: "classic, eager (range)",
  cooperative: "classic, cooperative (cooperative-sticky)",
  consumer: "consumer (KIP-848, uniform)"
};
