// The 11.3 retention workload: Kafka removes records on the topic's schedule, never because they
// were read. One topic of small segments, a steady keyed producer, a fast and a slow consumer
// group. With cleanup.policy=delete, whole closed segments older than retention.ms go and the log
// start offset moves past them: a group still behind it is reset (auto.offset.reset=earliest) and
// never sees what was deleted. With cleanup.policy=compact, closed segments keep only each key's
// latest record. Cleanup runs every cleanupIntervalMs (log.retention.check.interval.ms).
import {createSimulation, type TraceEvent} from "../../sim/index.js";
import {createCluster} from "../../kafka/cluster.js";
import {checkInteger, checkMs, checkOneOf} from "../../kafka/errors.js";

export interface RetentionParameters {
  seed: number | string;
  cleanupPolicy: "delete" | "compact";
  records: number;
  ratePerSecond: number;
  keys: number;
  /** segment.bytes: small, so segments close (and become deletable) within the run. */
  segmentBytes: number;
  retentionMs: number;
  cleanupIntervalMs: number;
  fastMs: number;
  slowMs: number;
}

export interface RetentionRun {
  records: number;
  keys: number;
  /** Records removed by retention and by compaction. */
  deleted: number;
  compacted: number;
  /** Distinct offsets each group processed, and how often its position fell out of the log and was reset. */
  processed: Record<"fast" | "slow", number>;
  resets: Record<"fast" | "slow", number>;
  /** Keys with their latest record still in the log at the end. */
  latestKept: number;
  /** The moment to show first: the slow group's first reset past deleted records, else the last append. */
  showAt: number;
  trace: TraceEvent[];
  endTime: number;
}

export const TOPIC = "inventory";

export async function runRetention({seed, cleanupPolicy, records, ratePerSecond, keys, segmentBytes, retentionMs, cleanupIntervalMs, fastMs, slowMs}: RetentionParameters): Promise<RetentionRun> {
  checkOneOf("cleanupPolicy", cleanupPolicy, ["delete", "compact"]);
  checkInteger("records", records, 1, 2000);
  checkInteger("keys", keys, 1, 100);
  checkMs("ratePerSecond", ratePerSecond, 0.01);
  checkMs("cleanupIntervalMs", cleanupIntervalMs, 1);
  checkMs("fastMs", fastMs, 1);
  checkMs("slowMs", slowMs, 1);
  const sim = createSimulation({seed});
  const cluster = createCluster(sim, {brokers: 1, cleanupIntervalMs});
  cluster.createTopic(TOPIC, {partitions: 1, config: {segmentBytes, retentionMs, cleanupPolicy}});
  const producer = cluster.producer({clientId: "stock-service"});
  for (let i = 0; i < records; i++) {
    sim.schedule((i * 1000) / ratePerSecond, () => void producer.send({topic: TOPIC, key: `sku-${1 + sim.random.int(keys)}`, value: `stock ${i}`}));
  }
  for (const [group, processingMs] of [["fast", fastMs], ["slow", slowMs]] as const) {
    const consumer = cluster.consumer({groupId: group, clientId: group, processingMs, autoOffsetReset: "earliest", maxPollRecords: 1});
    consumer.subscribe(TOPIC);
    consumer.run({eachMessage: () => {}});
  }
  const endTime = (records * 1000) / ratePerSecond + retentionMs + 3 * cleanupIntervalMs;
  await sim.advance(endTime);

  const events = sim.trace.events;
  const processed = (group: string) => new Set(sim.trace.filter("kafka.consume").filter((e) => e.group === group).map((e) => e.offset)).size;
  // A reset from a valid position (from >= 0): the position fell below the log start offset. The
  // first reset of a group without a committed offset (from -1) is just where it starts.
  const resets = (group: string) => sim.trace.filter("kafka.consumer.reset").filter((e) => e.group === group && e.from >= 0).length;
  const final = cluster.records(TOPIC, 0).filter((r) => r.type === "data");
  const latest = new Map<unknown, number>();
  for (const e of sim.trace.filter("kafka.append")) latest.set(e.key, e.offset);
  return {
    records,
    keys,
    deleted: sim.trace.filter("kafka.segment.delete").reduce((n, e) => n + e.records, 0),
    compacted: sim.trace.filter("kafka.compact").reduce((n, e) => n + e.removed, 0),
    processed: {fast: processed("fast"), slow: processed("slow")},
    resets: {fast: resets("fast"), slow: resets("slow")},
    showAt: sim.trace.filter("kafka.consumer.reset").find((e) => e.group === "slow" && e.from >= 0)?.time ?? Math.max(0, ...sim.trace.filter("kafka.append").map((e) => e.time)),
    latestKept: [...latest].filter(([key, offset]) => final.some((r) => r.key === key && r.offset === offset)).length,
    trace: events,
    endTime
  };
}
