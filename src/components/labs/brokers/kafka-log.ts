// The 11.3 log workload: orders appended to a partitioned topic at a steady rate, read by
// consumer groups each at its own pace, one of which may join late and replay the history.
// Every group gets every record; the log keeps them all after they are read.
import {createSimulation} from "../../sim/index.js";
import {createCluster, type Cluster} from "../../kafka/cluster.js";

export interface GroupPace {
  groupId: string;
  /** Virtual ms the group's handler spends per record. */
  processingMs: number;
  /** When the group starts consuming (default 0). A late group starts from the earliest offset. */
  joinAtMs?: number;
}

export interface LogWorkloadOptions {
  seed: number | string;
  records: number;
  ratePerSecond: number;
  partitions: number;
  /** Distinct order keys the records are spread over. */
  keys: number;
  /** max.poll.records: small polls make a slow handler show as steady lag, not as rare large batches. */
  maxPollRecords: number;
  groups: GroupPace[];
  /** Sampling interval of the progress series. */
  sampleMs: number;
}

export interface GroupProgress {
  time: number;
  group: string;
  /** Records the group has processed so far. */
  consumed: number;
  /** Records in the log so far. */
  logEnd: number;
  /** Whether the group has started consuming (a late group's lag counts from its join). */
  joined: boolean;
}

export interface LogWorkloadRun {
  cluster: Cluster;
  progress: GroupProgress[];
  /** Records still in the log at the end (Kafka deletes by retention, never on read). */
  retained: number;
  consumedByGroup: Record<string, number>;
}

export async function runLogWorkload({seed, records, ratePerSecond, partitions, keys: keyCount, maxPollRecords, groups, sampleMs}: LogWorkloadOptions): Promise<LogWorkloadRun> {
  if (!(Number.isInteger(records) && records >= 1 && records <= 20_000)) throw new RangeError(`records must be an integer in [1, 20000], got ${records}`);
  if (!(ratePerSecond > 0 && ratePerSecond <= 10_000)) throw new RangeError(`ratePerSecond must be in (0, 10000], got ${ratePerSecond}`);
  for (const g of groups) {
    if (!(g.processingMs > 0 && g.processingMs <= 60_000)) throw new RangeError(`${g.groupId}: processingMs must be in (0, 60000], got ${g.processingMs}`);
    if (!((g.joinAtMs ?? 0) >= 0)) throw new RangeError(`${g.groupId}: joinAtMs must be >= 0, got ${g.joinAtMs}`);
  }
  const sim = createSimulation({seed});
  const cluster = createCluster(sim);
  cluster.createTopic("orders", {partitions});
  const producer = cluster.producer({clientId: "order-service"});
  const consumed: Record<string, number> = Object.fromEntries(groups.map((g) => [g.groupId, 0]));
  const keys = Array.from({length: keyCount}, (_, i) => `order-${i + 1}`);
  const produced: {key: string; time: number}[] = [];

  for (let i = 0; i < records; i++) {
    sim.schedule((i * 1000) / ratePerSecond, () => {
      const key = sim.random.pick(keys);
      produced.push({key, time: sim.now});
      void producer.send({topic: "orders", key, value: JSON.stringify({type: "OrderPlaced", seq: i})});
    });
  }
  for (const g of groups) {
    sim.schedule(g.joinAtMs ?? 0, () => {
      const consumer = cluster.consumer({groupId: g.groupId, processingMs: g.processingMs, autoOffsetReset: "earliest", maxPollRecords});
      consumer.subscribe("orders");
      consumer.run({eachMessage: () => void consumed[g.groupId]++});
    });
  }

  const progress: GroupProgress[] = [];
  const logEnd = () => cluster.offsets().reduce((n, p) => n + p.logEndOffset, 0);
  const horizon = (records * 1000) / ratePerSecond + Math.max(0, ...groups.map((g) => (g.joinAtMs ?? 0) + records * g.processingMs)) + 10_000;
  while (sim.now < horizon) {
    await sim.advance(sampleMs);
    const end = logEnd();
    for (const g of groups) progress.push({time: sim.now, group: g.groupId, consumed: consumed[g.groupId], logEnd: end, joined: sim.now >= (g.joinAtMs ?? 0)});
    if (end === records && groups.every((g) => consumed[g.groupId] >= records)) break;
  }
  return {cluster, progress, retained: logEnd(), consumedByGroup: consumed};
}
