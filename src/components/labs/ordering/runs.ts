// The 11.4 experiments, each a seeded run of the Kafka model that returns the rows its charts
// draw, read from the run's trace: per-key order across partitions, keyless records (sticky vs
// round-robin batches), at-least-once redelivery after a consumer crash, producer retries with
// idempotence off and on, and a transactional producer read at both isolation levels.
// Same parameters, same seed: same rows. Every default lives in data/scenarios/ordering-and-idempotency.json.

import {createCluster, type Cluster} from "../../kafka/cluster.js";
import {checkInteger, checkMs, KafkaConfigError} from "../../kafka/errors.js";
import type {Producer} from "../../kafka/producer.js";
import {checkHistory, duplicateDeliveries, type Verdict} from "../../history/check.js";
import type {DeliverOp, History} from "../../history/history.js";
import {kafkaHistory} from "../../history/kafka.js";
import {advanceUntil, createSimulation, type Simulation, type TraceEvent, type TraceEventOf} from "../../sim/index.js";
import {ISOLATIONS, KEYLESS_TOPICS, STRATEGIES, type Isolation, type Strategy} from "./names.js";

export {ISOLATIONS, KEYLESS_TOPICS, STRATEGIES, type Isolation, type Strategy};

const DAY = 86_400_000;

/** One broker that answers after 1 ms; log cleanup never runs within an experiment. */
function smallCluster(sim: Simulation): Cluster {
  return createCluster(sim, {brokers: 1, cleanupIntervalMs: DAY});
}

function checkShare(setting: string, value: unknown): number {
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) throw new KafkaConfigError(`${setting} must be a share in [0, 1], got ${value}`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Per-key order across partitions.

export interface KeyOrderParameters {
  seed: number | string;
  partitions: number;
  /** Consumers in the group (more than partitions leaves some idle). */
  consumers: number;
  /** Orders, each with one event per step. */
  orders: number;
  /** The events of every order, in the order they happen. */
  steps: string[];
  /** The first order's number: order ids are order-<firstOrder>, order-<firstOrder + 1>... */
  firstOrder: number;
  /** Key each record by its order id (true) or send it without a key (false). */
  keyed: boolean;
  /** batch.size of the producer in bytes (matters only for keyless records). */
  batchSize: number;
  /** Each consumer's time per record (one record per poll). */
  processingMs: number;
  /** Mean gap between an order's events, and between the starts of two orders (exponential). */
  stepGapMs: number;
  orderGapMs: number;
}

export interface OrderEventRow {
  /** Append time (appends) or processing time (deliveries), virtual ms. */
  time: number;
  partition: number;
  offset: number;
  order: string;
  /** The index in the run's steps. */
  step: number;
  consumer?: string;
}

export interface OrderViolation {
  order: string;
  step: number;
  /** The later step the group had already processed for this order. */
  after: number;
  time: number;
  consumer: string;
}

export interface KeyOrderRun {
  partitions: number;
  steps: string[];
  consumers: string[];
  appends: OrderEventRow[];
  deliveries: OrderEventRow[];
  /** The checker's reordered deliveries: an event processed after a later event of its order. */
  violations: OrderViolation[];
  /** Partitions owned by each consumer once the group was stable. */
  assignment: Record<string, number[]>;
  /** The group's history, each order a key and each step its place in the key's order. */
  history: History;
  verdict: Verdict;
}

export async function runKeyOrder({seed, partitions, consumers, orders, steps, firstOrder, keyed, batchSize, processingMs, stepGapMs, orderGapMs}: KeyOrderParameters): Promise<KeyOrderRun> {
  checkInteger("partitions", partitions, 1, 64);
  checkInteger("consumers", consumers, 1, 16);
  checkInteger("orders", orders, 1, 50);
  if (!Array.isArray(steps) || steps.length === 0) throw new KafkaConfigError("steps must name at least one event of an order");
  checkInteger("batchSize", batchSize, 1);
  checkMs("processingMs", processingMs, 1);
  checkMs("stepGapMs", stepGapMs);
  checkMs("orderGapMs", orderGapMs);
  const sim = createSimulation({seed});
  const cluster = smallCluster(sim);
  const topic = "orders";
  cluster.createTopic(topic, {partitions});
  const producer = cluster.producer({clientId: "order-service", batchSize});
  const names: string[] = [];
  const members = new Map<string, string>();
  for (let c = 0; c < consumers; c++) {
    const name = `shipping-${c + 1}`;
    // One record per poll: a partition with more records falls behind the others, and each
    // record's delivery time is its processing time.
    const consumer = cluster.consumer({groupId: "shipping", clientId: name, autoOffsetReset: "earliest", processingMs, maxPollRecords: 1});
    consumer.subscribe(topic);
    consumer.run({eachMessage: () => {}});
    names.push(name);
    members.set(consumer.memberId!, name);
  }
  // Each order's events follow each other a few ms apart; orders start at random.
  let start = 50;
  for (let i = 0; i < orders; i++) {
    const order = `order-${firstOrder + i}`;
    let at = start;
    for (let step = 0; step < steps.length; step++) {
      const value = {order, event: steps[step], step};
      sim.schedule(at, () => void producer.send({topic, key: keyed ? order : null, value}));
      at += 2 + Math.round(sim.random.exponential(stepGapMs));
    }
    start += 4 + Math.round(sim.random.exponential(orderGapMs));
  }
  await sim.advance(start + 60_000);

  const row = (e: TraceEventOf<"kafka.append" | "kafka.consume">): OrderEventRow => {
    const value = e.value as {order: string; step: number};
    return {time: e.time, partition: e.partition, offset: e.offset, order: value.order, step: value.step};
  };
  const appends = sim.trace.filter("kafka.append").map(row);
  const deliveries = sim.trace.filter("kafka.consume").map((e) => ({...row(e), consumer: members.get(e.member) ?? e.member}));
  const assignment: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const e of sim.trace.filter("kafka.consumer.assign")) assignment[members.get(e.member) ?? e.member] = e.partitions.map((p) => Number(p.slice(topic.length + 1)));
  // An order is the key whose order counts, keyed or not: the checker finds what the partitions broke.
  const history = kafkaHistory(sim.trace.events, {identify: (e) => ({key: (e.value as {order: string}).order, seq: (e.value as {step: number}).step}), name: (m) => members.get(m) ?? m});
  const verdict = checkHistory(history);
  const violations = verdict.reordered.map(({key, after, record}) => ({order: key, step: record.seq, after: after.seq, time: record.time, consumer: record.consumer}));
  return {partitions, steps, consumers: names, appends, deliveries, violations, assignment, history, verdict};
}

// ---------------------------------------------------------------------------------------------
// Keyless records: the sticky partitioner against round-robin.


export interface KeylessParameters {
  seed: number | string;
  partitions: number;
  records: number;
  /** batch.size in bytes: the sticky partitioner moves on after this much went to one partition. */
  batchSize: number;
  /** linger.ms: records arriving within this window leave together, one batch per partition. */
  lingerMs: number;
  /** Mean gap between two records (a Poisson stream). */
  meanGapMs: number;
}

export interface BatchRow {
  strategy: Strategy;
  /** The producer's batch number. */
  batch: number;
  partition: number;
  records: number;
  /** When the batch was appended (virtual ms). */
  time: number;
  /** Send order of its first record (1-based). */
  first: number;
}

export interface KeylessRun {
  partitions: number;
  records: number;
  batches: BatchRow[];
  /** The run's trace, for the log view. */
  trace: TraceEvent[];
}

export async function runKeyless({seed, partitions, records, batchSize, lingerMs, meanGapMs}: KeylessParameters): Promise<KeylessRun> {
  checkInteger("partitions", partitions, 1, 64);
  checkInteger("records", records, 1, 5000);
  checkInteger("batchSize (batch.size)", batchSize, 1);
  checkMs("lingerMs (linger.ms)", lingerMs, 1);
  checkMs("meanGapMs", meanGapMs, 0.001);
  const sim = createSimulation({seed});
  const cluster = smallCluster(sim);
  const [sticky, roundRobin] = KEYLESS_TOPICS;
  cluster.createTopic(sticky, {partitions});
  cluster.createTopic(roundRobin, {partitions});
  const stickyProducer = cluster.producer({clientId: "sticky", batchSize});
  const roundRobinProducer = cluster.producer({clientId: "round-robin", batchSize});
  // Clicks arrive as a Poisson stream; the accumulator sends what arrived in each linger.ms window.
  const arrivals: number[] = [];
  let t = 0;
  for (let i = 0; i < records; i++) arrivals.push((t += sim.random.exponential(meanGapMs)));
  let sent = 0;
  for (let window = lingerMs; sent < records; window += lingerMs) {
    const from = sent;
    while (sent < records && arrivals[sent] < window) sent++;
    if (sent === from) continue;
    const values = Array.from({length: sent - from}, (_, k) => `click ${String(from + k + 1).padStart(4, "0")} /checkout`);
    sim.schedule(window, () => {
      void stickyProducer.send(values.map((value) => ({topic: sticky, key: null, value})));
      // RoundRobinPartitioner (and the default partitioner before 2.4): the next partition for every record.
      void roundRobinProducer.send(values.map((value, k) => ({topic: roundRobin, key: null, value, partition: (from + k) % partitions})));
    });
  }
  await sim.runUntilIdle();

  const byBatch = new Map<string, BatchRow>();
  for (const e of sim.trace.filter("kafka.append")) {
    const strategy = e.topic === sticky ? STRATEGIES[0] : STRATEGIES[1];
    const id = `${strategy}/${e.batch}`;
    const row = byBatch.get(id);
    if (row) row.records++;
    else byBatch.set(id, {strategy, batch: e.batch, partition: e.partition, records: 1, time: e.time, first: e.sendIndex + 1});
  }
  return {partitions, records, batches: [...byBatch.values()], trace: sim.trace.events};
}

// ---------------------------------------------------------------------------------------------
// At-least-once: a consumer crashes between processing and committing.

export interface AtLeastOnceParameters {
  seed: number | string;
  /** PaymentCompleted events, one every `gapMs` (plus up to a quarter of it at random). */
  records: number;
  gapMs: number;
  /** auto.commit.interval.ms of the consumers. */
  commitIntervalMs: number;
  /** When the first instance crashes (virtual ms); null: never. */
  crashAtMs: number | null;
  /** session.timeout.ms: how long the group waits before giving the partition to the standby. */
  sessionTimeoutMs: number;
  /** Each consumer's time per record (one record per poll). */
  processingMs: number;
}

export interface DeliveryRow {
  time: number;
  consumer: string;
  offset: number;
  eventId: string;
  /** 1 for the first delivery of the offset, 2 for the second... */
  delivery: number;
  duplicate: boolean;
}

/** A consumer's position (the next offset it will read) or the group's committed offset, from `time` on. */
export interface OffsetStep {
  time: number;
  offset: number;
}

export interface AtLeastOnceRun {
  records: number;
  deliveries: DeliveryRow[];
  /** The group's committed offset over time: the next offset to read. */
  commits: OffsetStep[];
  /** billing-a's position over time, in the same convention: the offset after the last one it processed. */
  positions: OffsetStep[];
  crashAt: number | null;
  /** When the standby got the partition after the crash. */
  takeoverAt: number | null;
  /** The committed offset at the crash: the next offset to read, where the standby resumes. */
  committedAtCrash: number;
  /** billing-a's position at the crash: the offset after the last one it processed (0: it processed nothing). */
  positionAtCrash: number;
  /** The checker's duplicate deliveries: deliveries beyond each offset's first. */
  duplicates: number;
  endTime: number;
  /** The billing group's history and the checker's verdict on it. */
  history: History;
  verdict: Verdict;
  /** The run's trace, for the log view. */
  trace: TraceEvent[];
}

export async function runAtLeastOnce({seed, records, gapMs, commitIntervalMs, crashAtMs, sessionTimeoutMs, processingMs}: AtLeastOnceParameters): Promise<AtLeastOnceRun> {
  checkInteger("records", records, 1, 1000);
  checkMs("gapMs", gapMs, 1);
  checkMs("commitIntervalMs (auto.commit.interval.ms)", commitIntervalMs, 1);
  if (crashAtMs !== null) checkMs("crashAtMs", crashAtMs);
  checkMs("sessionTimeoutMs (session.timeout.ms)", sessionTimeoutMs, 1);
  checkMs("processingMs", processingMs, 1);
  const sim = createSimulation({seed});
  const cluster = smallCluster(sim);
  const topic = "payments";
  cluster.createTopic(topic, {partitions: 1});
  const producer = cluster.producer({clientId: "payment-service"});
  const names = new Map<string, string>();
  const consumers = ["billing-a", "billing-b"].map((clientId) => {
    const c = cluster.consumer({groupId: "billing", clientId, autoOffsetReset: "earliest", autoCommitIntervalMs: commitIntervalMs, sessionTimeoutMs, processingMs, maxPollRecords: 1});
    c.subscribe(topic);
    c.run({eachMessage: () => {}});
    names.set(c.memberId!, clientId);
    return c;
  });
  for (let i = 0; i < records; i++) {
    const value = {type: "PaymentCompleted", eventId: `evt-${501 + i}`, amount: 10 + sim.random.int(90)};
    sim.schedule(50 + i * gapMs + sim.random.int(Math.max(1, Math.floor(gapMs / 4))), () => void producer.send({topic, key: `order-${1042 + (i % 7)}`, value}));
  }
  if (crashAtMs !== null) sim.schedule(crashAtMs, () => consumers[0].crash());
  const endTime = 50 + records * gapMs + (crashAtMs ?? 0) + sessionTimeoutMs + 2 * commitIntervalMs + 1000;
  await sim.advance(endTime);

  const history = kafkaHistory(sim.trace.events, {name: (m) => names.get(m) ?? m});
  const verdict = checkHistory(history);
  // Each delivery's number among its message's deliveries, as the checker counted them.
  const eventIds = new Map(sim.trace.filter("kafka.append").map((e) => [e.offset, (e.value as {eventId: string}).eventId]));
  const nth = new Map<DeliverOp, number>(verdict.duplicated.flatMap((d) => d.deliveries.map((op, i) => [op, i + 1] as const)));
  const deliveries: DeliveryRow[] = history
    .filter((op): op is DeliverOp => op.type === "deliver")
    .map((op) => {
      const delivery = nth.get(op) ?? 1;
      return {time: op.time, consumer: op.consumer, offset: op.offset!, eventId: eventIds.get(op.offset!)!, delivery, duplicate: delivery > 1};
    });
  const commits = sim.trace.filter("kafka.commit").map((c) => ({time: c.time, offset: c.offset}));
  const crash = sim.trace.filter("kafka.consumer.crash").at(0);
  const crashAt = crash ? crash.time : null;
  const takeover = crashAt === null ? undefined : sim.trace.filter("kafka.consumer.assign").find((e) => e.time > crashAt && names.get(e.member) === "billing-b" && e.partitions.length > 0);
  const atCrash = <T extends {time: number}>(rows: T[]) => rows.filter((r) => crashAt !== null && r.time <= crashAt).at(-1);
  const positions = deliveries.filter((d) => d.consumer === "billing-a").map((d) => ({time: d.time, offset: d.offset + 1}));
  return {
    records,
    deliveries,
    commits,
    positions,
    crashAt,
    takeoverAt: takeover ? takeover.time : null,
    committedAtCrash: atCrash(commits)?.offset ?? 0,
    positionAtCrash: atCrash(positions)?.offset ?? 0,
    duplicates: deliveries.filter((d) => d.duplicate).length,
    endTime,
    trace: sim.trace.events,
    history,
    verdict
  };
}

// ---------------------------------------------------------------------------------------------
// Producer retries after lost acknowledgements, with idempotence off and on.

export interface RetryParameters {
  seed: number | string;
  /** Records sent, one every `sendGapMs`. */
  records: number;
  sendGapMs: number;
  /** Probability that the broker's answer to a produce request is lost (the write happened). */
  lostAcks: number;
  /** request.timeout.ms: how long the producer waits for the answer before it sends again. */
  requestTimeoutMs: number;
  /** delivery.timeout.ms: when a send stops retrying and fails. */
  deliveryTimeoutMs: number;
  /** retry.backoff.ms: the pause before a retry. */
  retryBackoffMs: number;
}

export interface LogCopyRow {
  idempotence: "enable.idempotence=false" | "enable.idempotence=true";
  offset: number;
  /** The record's position in the application's send order (1-based). */
  record: number;
  /** Which attempt wrote this copy. */
  attempt: number;
  /** A second (third...) copy of a record already in the log. */
  duplicate: boolean;
  time: number;
}

export interface RetrySummary {
  idempotence: LogCopyRow["idempotence"];
  "records sent": number;
  "lost answers": number;
  "records in the log": number;
  "duplicate copies": number;
  /** Sends repeated after a lost answer. */
  retries: number;
  "sends failed (delivery.timeout.ms)": number;
}

/** One side of the comparison: the partition as a consumer reads it once the producer is done. */
export interface RetrySide {
  idempotence: LogCopyRow["idempotence"];
  history: History;
  verdict: Verdict;
  /** The run's trace, for the log view. */
  trace: TraceEvent[];
}

export interface RetryRun {
  log: LogCopyRow[];
  summary: RetrySummary[];
  /** Idempotence off, then on. */
  sides: RetrySide[];
}

export async function runProducerRetries({seed, records, sendGapMs, lostAcks, requestTimeoutMs, deliveryTimeoutMs, retryBackoffMs}: RetryParameters): Promise<RetryRun> {
  checkInteger("records", records, 1, 500);
  checkMs("sendGapMs", sendGapMs, 1);
  checkMs("retryBackoffMs (retry.backoff.ms)", retryBackoffMs);
  checkShare("lostAcks", lostAcks);
  checkMs("requestTimeoutMs (request.timeout.ms)", requestTimeoutMs, 1);
  checkMs(`deliveryTimeoutMs (delivery.timeout.ms, at least requestTimeoutMs=${requestTimeoutMs})`, deliveryTimeoutMs, requestTimeoutMs);
  const log: LogCopyRow[] = [];
  const summary: RetrySummary[] = [];
  const sides: RetrySide[] = [];
  for (const idempotent of [false, true]) {
    const idempotence = idempotent ? "enable.idempotence=true" : "enable.idempotence=false";
    const sim = createSimulation({seed});
    const cluster = smallCluster(sim);
    const topic = "payments";
    cluster.createTopic(topic, {partitions: 1});
    const producer = cluster.producer({clientId: "payment-service", idempotent, lostAcks, requestTimeoutMs, deliveryTimeoutMs, retryBackoffMs});
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < records; i++) {
      sim.schedule(10 + i * sendGapMs, () => void sends.push(producer.send({topic, key: "order-1042", value: {eventId: `evt-${501 + i}`}})));
    }
    await sim.runUntilIdle();
    // Every send has settled once the run is idle; its promise callbacks may still be queued.
    const failed = (await Promise.allSettled(sends)).filter((s) => s.status === "rejected").length;
    // Downstream: a consumer reads the whole partition once the producer is done (it starts after
    // the sends, so it changes nothing they did), and the checker reads what it got.
    const reader = cluster.consumer({clientId: "ledger", autoOffsetReset: "earliest"});
    reader.assignPartitions([{topic, partition: 0}]);
    reader.run({eachMessage: () => {}});
    const end = cluster.partition(topic, 0).highWatermark;
    await advanceUntil(sim, () => sim.trace.filter("kafka.consume").length >= end, {what: "the ledger reading the partition"});
    reader.close();
    const history = kafkaHistory(sim.trace.events, {name: () => "ledger"});
    const verdict = checkHistory(history);
    sides.push({idempotence, history, verdict, trace: sim.trace.events});
    // A copy is a duplicate when the checker named its delivery one beyond its message's first.
    const again = new Set(verdict.duplicated.flatMap((d) => d.deliveries.slice(1).map((op) => op.offset)));
    for (const e of sim.trace.filter("kafka.append")) log.push({idempotence, offset: e.offset, record: e.sendIndex + 1, attempt: e.attempt, duplicate: again.has(e.offset), time: e.time});
    const mine = log.filter((r) => r.idempotence === idempotence);
    summary.push({
      idempotence,
      "records sent": records,
      "lost answers": sim.trace.filter("kafka.ack.lost").length,
      "records in the log": mine.length,
      "duplicate copies": duplicateDeliveries(verdict),
      // Every lost answer is followed by a retry, except the last one of a send that then expired.
      retries: sim.trace.filter("kafka.ack.lost").length - failed,
      "sends failed (delivery.timeout.ms)": failed
    });
  }
  return {log, summary, sides};
}

// ---------------------------------------------------------------------------------------------
// Exactly-once: a transactional producer, read_committed and read_uncommitted side by side.

export type Outcome = "committed" | "aborted" | "open";

export interface TransactionsParameters {
  seed: number | string;
  transactions: number;
  recordsPerTransaction: number;
  /** Gap between two records of a transaction, and between a transaction's end and the next one's start. */
  recordGapMs: number;
  transactionGapMs: number;
  /** Share of transactions the producer aborts. */
  abortShare: number;
  /** Whether the producer process dies at crashAtMs (virtual ms). */
  crash: boolean;
  crashAtMs: number;
  /** After a crash: whether a new instance with the same transactional.id starts, restartAfterMs later. */
  restart: boolean;
  restartAfterMs: number;
  /** transaction.timeout.ms: the coordinator aborts a transaction left open this long. */
  transactionTimeoutMs: number;
}

export interface OffsetSample {
  time: number;
  highWatermark: number;
  lastStableOffset: number;
}

export interface TxnDeliveryRow {
  isolation: Isolation;
  time: number;
  offset: number;
  transaction: number;
  outcome: Outcome;
}

export interface TxnEndRow {
  time: number;
  /** Offset of the transaction's marker (null if it touched no partition). */
  offset: number | null;
  transaction: number | null;
  outcome: "commit" | "abort";
  reason: string;
}

export interface TransactionsRun {
  samples: OffsetSample[];
  deliveries: TxnDeliveryRow[];
  ends: TxnEndRow[];
  /** Every offset of the log: data records with their transaction's outcome, and the markers. */
  log: {offset: number; type: "data" | "commit" | "abort"; transaction: number | null; outcome: Outcome | null}[];
  crashAt: number | null;
  endTime: number;
  /** The run's trace, for the log view. */
  trace: TraceEvent[];
  /**
   * Each consumer's history (a transaction's records are a key, numbered in the transaction) and
   * the checker's verdict on it, built at the first call: the comparison of the two readers and
   * the tests ask for them, the page's runs never do (two histories and verdicts were about a
   * tenth of each run while a slider moved).
   */
  readers: () => Record<Isolation, {history: History; verdict: Verdict}>;
}

export async function runTransactions({
  seed, transactions, recordsPerTransaction, recordGapMs, transactionGapMs, abortShare, crash, crashAtMs, restart, restartAfterMs, transactionTimeoutMs
}: TransactionsParameters): Promise<TransactionsRun> {
  checkInteger("transactions", transactions, 1, 100);
  checkInteger("recordsPerTransaction", recordsPerTransaction, 1, 100);
  checkMs("recordGapMs", recordGapMs, 1);
  checkMs("transactionGapMs", transactionGapMs);
  checkShare("abortShare", abortShare);
  checkMs("crashAtMs", crashAtMs);
  checkMs("restartAfterMs", restartAfterMs, 1);
  checkMs("transactionTimeoutMs (transaction.timeout.ms)", transactionTimeoutMs, 1);
  const sim = createSimulation({seed});
  const cluster = smallCluster(sim);
  const topic = "payments";
  cluster.createTopic(topic, {partitions: 1});
  const options = {transactionalId: "payments-tx", transactionTimeoutMs};
  let producer: Producer = cluster.producer({clientId: "payments-1", ...options});
  void producer.initTransactions();
  // Every call may meet a crashed or fenced producer: the experiment shows what the broker makes of it.
  const attempt = (fn: () => unknown) => {
    try {
      const r = fn();
      if (r instanceof Promise) r.catch(() => {});
    } catch {
      // a crashed or fenced producer refuses: that transaction never happens
    }
  };
  const gap = recordGapMs;
  let t = 100;
  for (let k = 1; k <= transactions; k++) {
    const abort = sim.random.chance(abortShare);
    sim.schedule(t, () => attempt(() => producer.beginTransaction()));
    for (let r = 0; r < recordsPerTransaction; r++) {
      sim.schedule(t + 5 + r * gap, () => attempt(() => producer.send({topic, key: `pay-${k}`, value: {transaction: k, n: r + 1}})));
    }
    sim.schedule(t + 5 + recordsPerTransaction * gap, () => attempt(() => (abort ? producer.abortTransaction() : producer.commitTransaction())));
    t += 5 + recordsPerTransaction * gap + transactionGapMs;
  }
  if (crash) {
    sim.schedule(crashAtMs, () => {
      producer.crash();
      if (restart) {
        sim.schedule(restartAfterMs, () => {
          producer = cluster.producer({clientId: "payments-2", ...options});
          void producer.initTransactions();
        });
      }
    });
  }
  const samples: OffsetSample[] = [];
  const partition = cluster.partition(topic, 0);
  const sample = () => samples.push({time: sim.now, highWatermark: partition.highWatermark, lastStableOffset: partition.lastStableOffset});
  sample();
  sim.every(10, () => void sample());
  const consumerOf = new Map<string, Isolation>();
  for (const isolationLevel of ISOLATIONS) {
    const c = cluster.consumer({clientId: isolationLevel, isolationLevel, autoOffsetReset: "earliest"});
    c.assignPartitions([{topic, partition: 0}]);
    c.run({eachMessage: () => {}});
    consumerOf.set(c.clientId, isolationLevel);
  }
  const endTime = Math.max(t, crash ? crashAtMs : 0) + transactionTimeoutMs + 1000;
  await sim.advance(endTime);

  // Each data record's transaction outcome, from the markers that follow it in the log.
  const records = cluster.records(topic, 0);
  const log: TransactionsRun["log"] = [];
  const pending: number[] = [];
  for (const r of records) {
    if (r.type === "data") {
      pending.push(log.length);
      log.push({offset: r.offset, type: "data", transaction: (r.value as {transaction: number}).transaction, outcome: "open"});
    } else {
      for (const i of pending.splice(0)) log[i].outcome = r.type === "commit" ? "committed" : "aborted";
      log.push({offset: r.offset, type: r.type, transaction: null, outcome: null});
    }
  }
  const byOffset = new Map(log.map((l) => [l.offset, l]));
  const deliveries: TxnDeliveryRow[] = sim.trace
    .filter("kafka.consume")
    .map((e) => ({isolation: consumerOf.get(e.member)!, time: e.time, offset: e.offset, transaction: (e.value as {transaction: number}).transaction, outcome: byOffset.get(e.offset)?.outcome ?? "open"}));
  const ends: TxnEndRow[] = sim.trace.events
    .filter((e) => e.kind === "kafka.txn.commit" || e.kind === "kafka.txn.abort")
    .map((e) => {
      const marker = byOffset.get(e.markers[0]?.offset);
      const before = marker ? log.filter((l) => l.offset < marker.offset && l.type === "data") : [];
      return {time: e.time, offset: marker ? marker.offset : null, transaction: before.length ? before[before.length - 1].transaction : null, outcome: e.kind === "kafka.txn.commit" ? "commit" : "abort", reason: e.reason};
    });
  const identify = (e: TraceEventOf<"kafka.append">) => {
    const {transaction, n} = e.value as {transaction: number; n: number};
    return {key: `pay-${transaction}`, seq: n};
  };
  const readerOf = (level: Isolation) => {
    const history = kafkaHistory(sim.trace.events, {reader: (e) => consumerOf.get(e.member) === level, identify, name: () => level});
    return {history, verdict: checkHistory(history)};
  };
  let readers: ReturnType<TransactionsRun["readers"]> | undefined;
  const crashed = sim.trace.filter("kafka.producer.crash").at(0);
  // The charts end shortly after the last thing happened, not at the (longer) simulated horizon.
  const lastActivity = Math.max(0, ...ends.map((e) => e.time), ...deliveries.map((d) => d.time), crashed ? crashed.time : 0);
  const shown = Math.min(endTime, lastActivity + 800);
  return {samples: samples.filter((p) => p.time <= shown), deliveries, ends, log, crashAt: crashed ? crashed.time : null, endTime: shown, trace: sim.trace.events, readers: () => (readers ??= {read_committed: readerOf("read_committed"), read_uncommitted: readerOf("read_uncommitted")})};
}
