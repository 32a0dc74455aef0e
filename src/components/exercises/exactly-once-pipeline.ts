// 11.4's second exercise model, "exactly-once-pipeline": a consume-transform-produce loop on the
// simulated Kafka cluster. The scorer reads `payments` (group "scorer", auto-commit off) and writes
// one risk score per payment to `fraud-scores`; the reader writes what happens for each record. The
// grader crashes the scorer at any moment; it restarts with a producer of the same
// transactional.id, whose initTransactions fences the old one and aborts its open transaction
// (KIP-98). The property, read as a read_committed consumer of `fraud-scores` sees it: each payment
// is scored exactly once. Only the output and the input's offsets committed in one transaction
// (sendOffsetsToTransaction) hold it; an offset committed apart from the output, before or after
// it, loses or repeats a score when the crash falls in between.
import {createSimulation, type Random} from "../sim/index.js";
import {createCluster, type Consumer, type ConsumerRecord} from "../kafka/index.js";
import type {Producer} from "../kafka/producer.js";
import type {Attempt, ExerciseModel, Fault, Moment, Outcome} from "./exercise.js";
import {errorText, seconds} from "./grade.js";
import {describeValue, EXERCISE_MAX_STEPS, settled} from "./kit.js";
import {logView} from "../ui/log-state.js";

export const PIPELINE_FAULTS = ["crash"] as const;

export interface PipelineParameters {
  payments: number;
  /** transactional.id of the scorer's producer, the same after every restart. */
  transactionalId: string;
  /** How long a crashed scorer takes to come back. */
  restartMs: number;
  sessionTimeoutMs: number;
  faultKinds: string[];
  maxFaults: number;
}

export const pipelineDefaults: PipelineParameters = {
  payments: 8,
  transactionalId: "scorer",
  restartMs: 300,
  sessionTimeoutMs: 600,
  faultKinds: [...PIPELINE_FAULTS],
  maxFaults: 2
};

export interface Payment {
  paymentId: string;
  amount: number;
}
/** What the reader's function gets besides the record. */
export interface PipelineTools {
  /** A transactional producer (initTransactions already done): beginTransaction, send, sendOffsetsToTransaction, commitTransaction, abortTransaction. */
  producer: Producer;
  /** The scorer's consumer (group "scorer", auto-commit off): commit([{topic, partition, offset}]). */
  consumer: Consumer;
  /** The transform: the score to write for a payment. */
  riskOf(payment: Payment): {paymentId: string; risk: number};
}
export type ScorePayment = (record: ConsumerRecord, tools: PipelineTools) => unknown;

const INPUT = "payments";
const OUTPUT = "fraud-scores";
export const PIPELINE_GROUP = "scorer";

export function exactlyOncePipeline(overrides: Partial<PipelineParameters> = {}): ExerciseModel<ScorePayment> {
  const p = {...pipelineDefaults, ...overrides};
  // Crashes land while the payments are being scored (a few ms each) or just after.
  const horizon = 20 + p.payments * 12;
  return {
    solution(value) {
      if (typeof value !== "function") throw new TypeError(`the cell must end with your scorePayment function (as its last line: scorePayment), but it ended with ${describeValue(value)}`);
      return value as ScorePayment;
    },
    faults: (random: Random): Fault[] => Array.from({length: 1 + random.int(p.maxFaults)}, () => ({kind: random.pick(p.faultKinds), at: Math.round(random.next() * horizon)})),
    run: (scorePayment, attempt) => runPipeline(p, scorePayment, attempt)
  };
}

async function runPipeline(p: PipelineParameters, scorePayment: ScorePayment, {seed, faults, trace}: Attempt): Promise<Outcome> {
  const sim = createSimulation({seed, maxSteps: EXERCISE_MAX_STEPS});
  const cluster = createCluster(sim, {brokers: 1, cleanupIntervalMs: 86_400_000});
  cluster.createTopic(INPUT, {partitions: 1});
  cluster.createTopic(OUTPUT, {partitions: 1});
  const payments: Payment[] = Array.from({length: p.payments}, (_, i) => ({paymentId: `payment-${i + 1}`, amount: 5 + sim.random.int(500)}));
  const checkout = cluster.producer({clientId: "checkout"});
  void checkout.send(payments.map((value) => ({topic: INPUT, key: value.paymentId, value})));
  const story = new Map<string, Moment[]>(payments.map((pay) => [pay.paymentId, []]));
  const note = (id: string, text: string, at = sim.now) => story.get(id)?.push({at, text});
  const errors: Moment[] = [];
  const riskOf = (payment: Payment) => ({paymentId: String(payment?.paymentId), risk: Math.min(99, Math.round(Number(payment?.amount) / 5))});

  let life: {consumer: Consumer; producer: Producer; name: string; held?: string} | null = null;
  let starts = 0;
  async function start(): Promise<void> {
    const name = ++starts === 1 ? "scorer" : `scorer (start ${starts})`;
    const producer = cluster.producer({clientId: name, transactionalId: p.transactionalId, transactionTimeoutMs: 2000});
    const consumer = cluster.consumer({groupId: PIPELINE_GROUP, clientId: name, autoCommit: false, autoOffsetReset: "earliest", isolationLevel: "read_committed", sessionTimeoutMs: p.sessionTimeoutMs, maxPollRecords: 1, handlerRetries: 0});
    const current = {consumer, producer, name} as NonNullable<typeof life>;
    life = current;
    await producer.initTransactions(); // fences the previous scorer and aborts its open transaction
    if (life !== current) return;
    consumer.subscribe(INPUT);
    consumer.run({
      eachMessage: async (record) => {
        const id = (record.value as Payment).paymentId;
        current.held = id;
        note(id, `read by ${name} at ${seconds(sim.now)} (offset ${record.offset})`);
        try {
          await scorePayment({...record}, {producer, consumer, riskOf});
        } catch (error) {
          if (consumer.state === "running") errors.push({at: sim.now, text: `${name}'s scorePayment threw at ${seconds(sim.now)} on ${id}: ${errorText(error)}`});
          throw error;
        }
      }
    });
  }
  // Not awaited to the end by the kernel: initTransactions needs the clock to move.
  const startSoon = () => {
    void start();
    return settled();
  };
  for (const f of faults) {
    sim.schedule(f.at, () => {
      if (f.kind !== "crash") throw new RangeError(`exactly-once-pipeline has no fault "${f.kind}" (it knows ${PIPELINE_FAULTS.join(", ")})`);
      const current = life;
      if (!current || current.consumer.state !== "running") return;
      if (current.held) note(current.held, `${current.name} crashed at ${seconds(sim.now)}`);
      current.consumer.crash();
      current.producer.crash();
      sim.schedule(p.restartMs, startSoon);
    });
  }
  sim.schedule(5, startSoon);
  const quiet = Math.max(0, ...faults.map((f) => f.at)) + p.restartMs + 3 * p.sessionTimeoutMs + p.payments * 20 + 500;
  await sim.advance(quiet);

  // What a read_committed reader of the output sees: aborted and still-open transactions' records are not there.
  const seen: {id: string; offset: number; at: number}[] = [];
  const auditor = cluster.consumer({clientId: "auditor", isolationLevel: "read_committed", autoOffsetReset: "earliest"});
  auditor.assignPartitions([{topic: OUTPUT, partition: 0}]);
  auditor.run({eachMessage: (r) => void seen.push({id: String((r.value as {paymentId?: unknown})?.paymentId), offset: r.offset, at: r.timestamp})});
  await sim.advance(100);
  const visible = new Set(seen.map((s) => s.offset));
  for (const e of sim.trace.filter("kafka.append")) {
    if (e.topic !== OUTPUT) continue;
    const fate = visible.has(e.offset) ? "" : e.transactional ? ", in a transaction that never committed" : "";
    note(String((e.value as {paymentId?: unknown})?.paymentId), `its score written to ${OUTPUT} at offset ${e.offset} by ${e.producer} at ${seconds(e.time)}${fate}`, e.time);
  }
  // A committed offset n covers the payment at offset n - 1 (the input holds the payments in order).
  for (const e of sim.trace.filter("kafka.commit")) {
    const id = e.topic === INPUT && e.group === PIPELINE_GROUP ? payments[e.offset - 1]?.paymentId : undefined;
    if (id) note(id, `offset ${e.offset} committed ${e.transactionalId !== undefined ? "with the transaction" : "by the consumer"} at ${seconds(e.time)}`, e.time);
  }

  const wrong = payments.find((pay) => seen.filter((s) => s.id === pay.paymentId).length !== 1);
  if (!wrong) return {ok: true};
  const copies = seen.filter((s) => s.id === wrong.paymentId);
  const moments = (story.get(wrong.paymentId) ?? []).sort((a, b) => a.at - b.at);
  const account = moments.map((m) => m.text).join(", ");
  const problem =
    copies.length === 0
      ? `${wrong.paymentId} was never scored: a read_committed reader of ${OUTPUT} finds no score for it (${account || "it was never read"}).`
      : `${wrong.paymentId} was scored ${copies.length === 2 ? "twice" : `${copies.length} times`}: a read_committed reader of ${OUTPUT} finds its score at offsets ${copies.map((c) => c.offset).join(" and ")} (${account}).`;
  return {ok: false, problem, moments: [...moments, ...errors.slice(0, 5)].sort((a, b) => a.at - b.at), ...(trace ? {log: logView(sim.trace, {topic: OUTPUT})} : {})};
}
