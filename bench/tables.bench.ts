// The run tables are pull-only: they read a finished run's trace and hook nothing into the models.
// This measures a traced Kafka run (100,000 keyed records, one group of three members committing
// every 100), the tables built from its trace, and the same run again after the tables: goal, the
// model's rate unchanged (>= 0.9x, the machine's noise). The tables' baseline is a plain loop
// that copies the same events' fields into rows.
import {createCluster} from "../src/components/kafka/index.js";
import {createRandom, createSimulation, type Simulation} from "../src/components/sim/index.js";
import {duplicateDeliveries, recordsAppended, recordsConsumed} from "../src/components/tables/index.js";
import {collectGarbage, type Benchmark, type BenchResult} from "./types.js";

const RECORDS = 100_000;
const SEND_BATCH = 1000;

async function tracedRun(keys: string[]): Promise<Simulation> {
  const sim = createSimulation({seed: 1});
  const cluster = createCluster(sim, {brokers: 3});
  cluster.createTopic("orders", {partitions: 6});
  const producer = cluster.producer({clientId: "bench"});
  for (let i = 0; i < keys.length; i += SEND_BATCH) {
    void producer.send(keys.slice(i, i + SEND_BATCH).map((key, j) => ({topic: "orders", key, value: i + j})));
    if ((i / SEND_BATCH) % 10 === 9) await sim.runUntilIdle();
  }
  for (let m = 0; m < 3; m++) {
    const consumer = cluster.consumer({groupId: "billing", autoCommit: false, autoOffsetReset: "earliest"});
    let sinceCommit = 0;
    consumer.subscribe("orders");
    consumer.run({
      eachMessage: (r) => {
        if (++sinceCommit === 100) {
          sinceCommit = 0;
          consumer.commit([{topic: r.topic, partition: r.partition, offset: r.offset + 1}]);
        }
      }
    });
  }
  await sim.runUntilIdle();
  return sim;
}

/** Best of `rounds` timings of an async `fn`, in ms, and its last result. */
async function best<T>(rounds: number, fn: () => Promise<T> | T): Promise<{ms: number; result: T}> {
  let ms = Infinity;
  let result!: T;
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    result = await fn();
    ms = Math.min(ms, performance.now() - start);
  }
  return {ms, result};
}

/** Table building from one finished run's trace, against a plain loop that copies the same events into rows. */
async function measureTables(sim: Simulation) {
  const events = sim.trace.events;
  const rows = sim.trace.filter("kafka.append").length + sim.trace.filter("kafka.consume").length;
  const plain = await best(3, () => {
    const out: Record<string, unknown>[] = [];
    events.forEach((e, event) => {
      if (e.kind === "kafka.append" || e.kind === "kafka.consume") out.push({...e, event});
    });
    return out.length;
  });
  const tables = await best(3, () => recordsAppended(sim).numRows() + recordsConsumed(sim).numRows());
  if (tables.result !== rows || plain.result !== rows) throw new Error(`tables hold ${tables.result} rows, the trace ${rows} events`);
  const query = await best(3, () => duplicateDeliveries(sim).numRows());
  return {rows, plain, tables, query};
}

const bench: Benchmark = async () => {
  const gc = collectGarbage();
  const random = createRandom("tables-bench");
  const distinct = Array.from({length: 5000}, (_, i) => `customer-${i}`);
  const keys = Array.from({length: RECORDS}, () => random.pick(distinct));
  await tracedRun(keys.slice(0, 10_000)); // warm-up
  /** Best of five traced runs (the machine is shared: the best is the least disturbed), each on a collected heap; the last run's simulation is kept. */
  const modelRuns = async () => {
    let sim: Simulation | undefined;
    const timed = await best(5, async () => {
      sim = undefined;
      gc();
      return (sim = await tracedRun(keys));
    });
    return {ms: timed.ms, sim: sim!};
  };

  const before = await modelRuns();
  const {rows, plain, tables, query} = await measureTables(before.sim);
  before.sim = undefined as unknown as Simulation; // nothing of the first runs stays on the heap
  const after = await modelRuns();

  const modelRate = (ms: number) => RECORDS / (ms / 1000);
  const tableRate = rows / (tables.ms / 1000);
  const plainRate = rows / (plain.ms / 1000);
  return [
    {name: "tables: traced Kafka run (100,000 records, 1 group)", value: modelRate(before.ms), unit: "records/s"},
    {name: "tables: recordsAppended + recordsConsumed", value: tableRate, unit: "rows/s", baseline: plainRate, ratio: tableRate / plainRate},
    {name: "tables: duplicateDeliveries (groupby 100,000 rows)", value: query.ms, unit: "ms"},
    {name: "tables: the same run after building tables", value: modelRate(after.ms), unit: "records/s", baseline: modelRate(before.ms), ratio: before.ms / after.ms, goal: ">= 0.9x (pull-only)"}
  ] satisfies BenchResult[];
};

export default bench;
