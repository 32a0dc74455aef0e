// 11.3's three-way comparison: ONE stream of keyed jobs, the same workers (one of which crashes)
// and one slow job, through a RabbitMQ work queue (work-queue.ts's model), a Kafka consumer group
// and a Kafka share group (KIP-932). Each delivery is a TaskDelivery, so one chart draws all three.
//
// The lessons: a consumer group keeps per-key order but a slow record holds up the rest of its
// partition; a share group and a work queue hand the rest of the partition to other workers and
// lose per-key order; a crashed share-group member's records come back only when their lock
// (group.share.record.lock.duration.ms) expires, with their delivery count raised.
import {createSimulation, type Simulation} from "../../sim/index.js";
import {createCluster, type Cluster} from "../../kafka/cluster.js";
import {sleep} from "../../kafka/share-consumer.js";
import {runWorkQueue, type TaskDelivery, type Worker} from "./work-queue.js";

export interface TaskComparisonOptions {
  seed: number | string;
  jobs: number;
  ratePerSecond: number;
  /** Distinct keys (say, customers): job i has key i % keys. */
  keys: number;
  partitions: number;
  /** The same workers in all three; each handles one job at a time. */
  workers: Worker[];
  crashingWorker: string;
  crashAtMs: number;
  /** The index of the slow job, and how long it takes whoever handles it. */
  slowJob: number;
  slowJobMs: number;
  /** group.share.record.lock.duration.ms (Kafka's default is 30 s). */
  recordLockDurationMs: number;
  /** session.timeout.ms of the consumer group's members (Kafka's default is 45 s). */
  sessionTimeoutMs: number;
}

export type TaskBroker = "work queue" | "consumer group" | "share group";

export interface TaskOutcome {
  broker: TaskBroker;
  /** Every delivery; `task` is the job's index, `redelivered` a delivery after the first. */
  deliveries: TaskDelivery[];
  /** Share group only: each acquisition's delivery count, by job. */
  deliveryCounts: {task: number; deliveryCount: number; time: number}[];
}

export interface TaskComparisonRun {
  outcomes: TaskOutcome[];
  /** The partition each job's key goes to (murmur2), for the Kafka runs. */
  partitionOf: number[];
}

const keyOf = (job: number, keys: number) => `customer-${job % keys}`;

export async function runTaskComparison(o: TaskComparisonOptions): Promise<TaskComparisonRun> {
  if (!(Number.isInteger(o.jobs) && o.jobs >= 1 && o.jobs <= 2_000)) throw new RangeError(`jobs must be an integer in [1, 2000], got ${o.jobs}`);
  if (!(Number.isInteger(o.keys) && o.keys >= 1)) throw new RangeError(`keys must be an integer >= 1, got ${o.keys}`);
  if (!(Number.isInteger(o.slowJob) && o.slowJob >= 0 && o.slowJob < o.jobs)) throw new RangeError(`slowJob must be a job index in [0, ${o.jobs - 1}], got ${o.slowJob}`);
  if (!(o.slowJobMs > 0 && o.slowJobMs <= 600_000)) throw new RangeError(`slowJobMs must be in (0, 600000], got ${o.slowJobMs}`);
  if (!o.workers.some((w) => w.name === o.crashingWorker)) throw new RangeError(`crashingWorker ${o.crashingWorker} is none of the workers (${o.workers.map((w) => w.name).join(", ")})`);
  const workers = o.workers.map((w) => (w.name === o.crashingWorker ? {...w, crashAtMs: o.crashAtMs} : w));
  const queue = await runWorkQueue({seed: o.seed, tickets: o.jobs, ratePerSecond: o.ratePerSecond, prefetch: 1, workers, sampleMs: 250, slowTask: {task: o.slowJob, processingMs: o.slowJobMs}});
  const group = await runKafka(o, workers, "consumer group");
  const share = await runKafka(o, workers, "share group");
  const partitionOf = Array.from({length: o.jobs}, (_, i) => partitionOfJob(group.cluster, i, o.keys));
  return {outcomes: [{broker: "work queue", deliveries: queue.deliveries, deliveryCounts: []}, group.outcome, share.outcome], partitionOf};
}

function partitionOfJob(cluster: Cluster, job: number, keys: number): number {
  const appended = cluster.sim.trace.filter("kafka.append").find((e) => e.key === keyOf(job, keys));
  return appended?.partition ?? -1;
}

/** Publishes the jobs to a topic and runs the workers as consumer-group members or share consumers. */
async function runKafka(o: TaskComparisonOptions, workers: Worker[], broker: "consumer group" | "share group") {
  const sim = createSimulation({seed: o.seed});
  const cluster = createCluster(sim);
  cluster.createTopic("jobs", {partitions: o.partitions});
  cluster.shareGroups.configure("workers", {autoOffsetReset: "earliest", recordLockDurationMs: o.recordLockDurationMs});
  const producer = cluster.producer({clientId: "job-service"});
  const publishedAt: number[] = [];
  for (let i = 0; i < o.jobs; i++) {
    sim.schedule((i * 1000) / o.ratePerSecond, () => {
      publishedAt[i] = sim.now;
      void producer.send({topic: "jobs", key: keyOf(i, o.keys), value: String(i)});
    });
  }
  const deliveries: TaskDelivery[] = [];
  const started = new Set<number>();
  // The side effect comes first, the acknowledgement (or commit) after the work, as in work-queue.ts.
  const handle = async (w: Worker, job: number, redelivered: boolean, isAlive: () => boolean): Promise<TaskDelivery> => {
    const d: TaskDelivery = {publishedAt: publishedAt[job], time: sim.now, worker: w.name, task: job, redelivered, startedAt: sim.now, ackedAt: null, duplicate: started.has(job)};
    started.add(job);
    deliveries.push(d);
    await sleep(sim, job === o.slowJob ? o.slowJobMs : w.processingMs);
    if (isAlive()) d.ackedAt = sim.now;
    return d;
  };
  const done = new Set<number>();
  // Share group: done when every share-partition's SPSO has reached the log end (all settled).
  const settled = () =>
    publishedAt.length === o.jobs && cluster.offsets().every((p) => cluster.shareGroups.sharePartition("workers", "jobs", p.partition).startOffset === p.logEndOffset);
  const deliveryCounts: TaskOutcome["deliveryCounts"] = [];
  for (const w of workers) {
    let alive = true;
    if (broker === "consumer group") {
      const consumer = cluster.consumer({groupId: "workers", clientId: w.name, autoOffsetReset: "earliest", maxPollRecords: 1, sessionTimeoutMs: o.sessionTimeoutMs});
      consumer.subscribe("jobs");
      consumer.run({
        eachMessage: async (r) => {
          const d = await handle(w, Number(r.value), started.has(Number(r.value)), () => alive);
          if (d.ackedAt !== null) done.add(d.task);
        }
      });
      if (w.crashAtMs !== undefined) sim.schedule(w.crashAtMs, () => void ((alive = false), consumer.crash()));
    } else {
      // Explicit acknowledgement, sent at once (commitSync): a refused ACCEPT (the lock expired
      // while the job was handled, INVALID_RECORD_STATE) leaves the job unfinished at the broker.
      const consumer = cluster.shareConsumer({groupId: "workers", clientId: w.name, acknowledgementMode: "explicit", maxPollRecords: 1});
      consumer.subscribe("jobs");
      void (async () => {
        while (alive && !settled()) {
          for (const r of await consumer.poll(1000)) {
            if (!alive) return;
            deliveryCounts.push({task: Number(r.value), deliveryCount: r.deliveryCount, time: sim.now});
            const d = await handle(w, Number(r.value), r.deliveryCount > 1, () => alive);
            if (!alive) return;
            consumer.acknowledge(r, "ACCEPT");
            if ((await consumer.commitSync()).length > 0) d.ackedAt = null;
          }
        }
        if (alive) await consumer.close();
      })();
      if (w.crashAtMs !== undefined) sim.schedule(w.crashAtMs, () => void ((alive = false), consumer.crash()));
    }
  }
  await runUntil(sim, () => (broker === "share group" ? settled() : done.size >= o.jobs), (o.jobs * 1000) / o.ratePerSecond + o.slowJobMs + o.recordLockDurationMs + o.sessionTimeoutMs + 60_000);
  return {cluster, outcome: {broker, deliveries, deliveryCounts} satisfies TaskOutcome};
}

async function runUntil(sim: Simulation, done: () => boolean, limitMs: number): Promise<void> {
  while (!done() && sim.now < limitMs) await sim.advance(100);
}

// --- Measures, shared by the experiment's metrics and the chart's caption -----------------------

/** The start of the handling that finished each job (its first completed one). */
function completedStart(deliveries: TaskDelivery[]): Map<number, {start: number; end: number}> {
  const m = new Map<number, {start: number; end: number}>();
  for (const d of [...deliveries].sort((a, b) => a.ackedAt! - b.ackedAt!)) {
    if (d.ackedAt !== null && !m.has(d.task)) m.set(d.task, {start: d.startedAt!, end: d.ackedAt});
  }
  return m;
}

/** Jobs whose finished handling started before an earlier job of the same key had finished. */
export function orderViolations(deliveries: TaskDelivery[], keys: number): number {
  const done = completedStart(deliveries);
  let n = 0;
  for (const [job, {start}] of done) {
    for (let i = job - keys; i >= 0; i -= keys) {
      const earlier = done.get(i);
      if (!earlier || earlier.end > start) {
        n++;
        break;
      }
    }
  }
  return n;
}

/** Jobs that finished, per second from the first publish to the last completion. */
export function throughput(deliveries: TaskDelivery[]): number {
  const done = completedStart(deliveries);
  const last = Math.max(0, ...[...done.values()].map((d) => d.end));
  return last === 0 ? 0 : Math.round((done.size / last) * 1000 * 10) / 10;
}

export function lastDoneMs(deliveries: TaskDelivery[]): number {
  return Math.max(0, ...[...completedStart(deliveries).values()].map((d) => d.end));
}

export function jobsFinished(deliveries: TaskDelivery[]): number {
  return completedStart(deliveries).size;
}

/**
 * The longest a job of the slow job's partition, published while the slow job was being handled,
 * waited for the handling that finished it: what the slow record held up. Jobs delivered more than
 * once are left out (the crash, not the slow job, held those). Partitions are Kafka's;
 * for the work queue the same jobs are measured (those a consumer group would put behind it).
 */
export function longestWaitBehindSlowJob(deliveries: TaskDelivery[], partitionOf: number[], slowJob: number): number {
  const starts = completedStart(deliveries);
  const slow = starts.get(slowJob);
  const slowStart = deliveries.find((d) => d.task === slowJob)?.startedAt;
  if (!slow || slowStart == null) return 0;
  const redelivered = new Set(deliveries.filter((d) => d.redelivered).map((d) => d.task));
  let wait = 0;
  for (const d of deliveries) {
    if (redelivered.has(d.task) || d.task <= slowJob || partitionOf[d.task] !== partitionOf[slowJob] || d.publishedAt < slowStart || d.publishedAt >= slow.end) continue;
    const s = starts.get(d.task);
    if (s) wait = Math.max(wait, s.start - d.publishedAt);
  }
  return wait;
}
