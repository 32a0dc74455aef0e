// The Kafka model at scale: 1,000,000 keyed records into a 12-partition topic, then three consumer
// groups of four members each read them all, committing every 100 records. Goals: at least
// 2,000,000 records/s per group pass, at most 200 bytes of memory per stored record, and a
// produce path at least as fast as the baseline: a naive loop over the same keys (hash, push into
// per-partition arrays, read back). Beside them, the ceiling: what any model could reach here.
import {createCluster, type Cluster} from "../src/components/kafka/index.js";
import {keyPartitioner, partitionForKey} from "../src/components/kafka/partitioner.js";
import {createRandom, createSimulation, type Simulation} from "../src/components/sim/index.js";
import {collectGarbage, median, type Benchmark, type BenchResult} from "./types.js";

const RECORDS = 1_000_000;
const PARTITIONS = 12;
const GROUPS = 3;
const MEMBERS = 4;
const SEND_BATCH = 1000;
/** Alternating passes of the naive loop, the ceiling and the model's produce path. */
const ROUNDS = 3;

const bench: Benchmark = async () => {
  const gc = collectGarbage();
  const random = createRandom("kafka-bench");
  const distinct = Array.from({length: 10_000}, (_, i) => `customer-${i}-${random.int(1e9).toString(36)}`);
  const keys = Array.from({length: RECORDS}, () => random.pick(distinct));

  // Naive loop: what the same work costs with no model at all.
  const naive = (): number => {
    const logs: {key: string; value: string}[][] = Array.from({length: PARTITIONS}, () => []);
    for (let i = 0; i < RECORDS; i++) logs[partitionForKey(keys[i], PARTITIONS)].push({key: keys[i], value: `order-${i}`});
    let sum = 0;
    for (const log of logs) for (const r of log) sum += r.value.length;
    return sum;
  };
  // Warm-up on a small run, so that the first measured pass is not the JIT's first sight of the code.
  naive();
  ceiling(keys.slice(0, 100_000));
  const warm = await produce(keys.slice(0, 100_000));
  await consumeAll(warm.cluster, warm.sim, "warm-up", 100_000);

  // Memory: one produce pass between two collections; its log is the one the consumer groups read.
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const {sim, cluster} = await produce(keys);
  gc();
  const bytesPerRecord = (process.memoryUsage().heapUsed - heapBefore) / RECORDS;

  // Speed: the naive loop, the ceiling and the model's produce path in alternation, ROUNDS passes
  // each, compared by their medians (a shared machine's speed drifts).
  const naiveRates: number[] = [];
  const ceilingRates: number[] = [];
  const produceRates: number[] = [];
  const rate = async (pass: () => unknown): Promise<number> => {
    const start = performance.now();
    await pass();
    return RECORDS / ((performance.now() - start) / 1000);
  };
  for (let round = 0; round < ROUNDS; round++) {
    naiveRates.push(await rate(naive));
    ceilingRates.push(await rate(() => ceiling(keys)));
    produceRates.push(await rate(() => produce(keys)));
  }
  const naiveRate = median(naiveRates);
  const ceilingRate = median(ceilingRates);
  const produceRate = median(produceRates);

  const rows: BenchResult[] = [
    {name: "kafka.produce (model, 1,000-record sends)", value: produceRate, unit: "records/s", baseline: naiveRate, ratio: produceRate / naiveRate, goal: ">= 1.0x naive"},
    {name: "kafka.produce ceiling (the sends' records partitioned and kept, no model)", value: ceilingRate, unit: "records/s", baseline: naiveRate, ratio: ceilingRate / naiveRate, goal: "none: no model can beat it"},
    {name: "kafka.log memory (key refs + values + columns)", value: bytesPerRecord, unit: "bytes/record", goal: "<= 200"}
  ];
  for (let g = 0; g < GROUPS; g++) {
    const start = performance.now();
    await consumeAll(cluster, sim, `group-${g}`, RECORDS);
    const rate = RECORDS / ((performance.now() - start) / 1000);
    rows.push({name: `kafka.consume group ${g + 1} (4 members, commit/100)`, value: rate, unit: "records/s", baseline: naiveRate, ratio: rate / naiveRate, goal: ">= 2,000,000 records/s"});
  }
  return rows;
};

/** Keyed records into a fresh 12-partition topic, sent 1,000 at a time, with the trace off. */
async function produce(keys: string[]) {
  const sim = createSimulation({seed: 1, trace: false});
  const cluster = createCluster(sim, {brokers: 3});
  cluster.createTopic("orders", {partitions: PARTITIONS});
  const producer = cluster.producer({clientId: "bench"});
  for (let i = 0; i < keys.length; i += SEND_BATCH) {
    void producer.send(sendAt(keys, i));
    // Let the simulation run as a real producer's sends flow, rather than queueing everything first.
    if ((i / SEND_BATCH) % 10 === 9) await sim.runUntilIdle();
  }
  await sim.runUntilIdle();
  return {sim, cluster};
}

/** The records of the send that starts at key `i`, as an application builds them. */
function sendAt(keys: string[], i: number): {topic: string; key: string; value: string}[] {
  const records = [];
  for (let j = i; j < Math.min(keys.length, i + SEND_BATCH); j++) records.push({topic: "orders", key: keys[j], value: `order-${j}`});
  return records;
}

/**
 * The most a model can do in produce()'s place: the same sends' records, each partitioned as the
 * producer does (its memoised murmur2) and its key and value kept in its partition; no batch, no
 * broker, no metadata. A model that does anything more is slower than this.
 */
function ceiling(keys: string[]): number {
  const partition = keyPartitioner();
  const kept = Array.from({length: PARTITIONS}, () => ({keys: [] as string[], values: [] as string[]}));
  for (let i = 0; i < keys.length; i += SEND_BATCH) {
    for (const r of sendAt(keys, i)) {
      const p = kept[partition(r.key, PARTITIONS)];
      p.keys.push(r.key);
      p.values.push(r.value);
    }
  }
  return kept.reduce((n, p) => n + p.values.length, 0);
}

/** One group pass: four members read the whole topic, each committing every 100 records. */
async function consumeAll(cluster: Cluster, sim: Simulation, groupId: string, expected: number): Promise<void> {
  let delivered = 0;
  for (let m = 0; m < MEMBERS; m++) {
    const consumer = cluster.consumer({groupId, autoCommit: false, autoOffsetReset: "earliest"});
    let sinceCommit = 0;
    consumer.subscribe("orders");
    consumer.run({
      eachMessage: (r) => {
        delivered++;
        if (++sinceCommit === 100) {
          sinceCommit = 0;
          consumer.commit([{topic: r.topic, partition: r.partition, offset: r.offset + 1}]);
        }
      }
    });
  }
  await sim.runUntilIdle();
  if (delivered !== expected) throw new Error(`${groupId} received ${delivered} records, expected ${expected}`);
}

export default bench;
