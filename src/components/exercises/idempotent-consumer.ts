// 11.4's exercise model, "idempotent-consumer": the reader writes the billing consumer's handler
// for the "orders" topic of the simulated Kafka cluster. Delivery is at least once: a consumer that
// crashes after charging but before its offsets are committed has its records read again by the
// next owner; a producer whose acknowledgement is lost retries and writes the order twice (not
// idempotent here, as before Kafka 3.0 / KIP-679); a rebalance moves a partition while a record is
// in flight. The property: each order is charged exactly once. The payments database the handler
// gets survives crashes and has all-or-nothing, serializable transactions (optimistic: a commit
// whose reads another commit changed fails, as PostgreSQL's SERIALIZABLE does), so the reader's
// dedupe decides. The history checker (history/check.ts) names the cause of each second delivery.
import {createSimulation, type Random, type Simulation} from "../sim/index.js";
import {createCluster} from "../kafka/index.js";
import type {Consumer} from "../kafka/index.js";
import {checkHistory, type DuplicateCause} from "../history/check.js";
import {HistoryRecorder, type DeliverOp} from "../history/history.js";
import {logView} from "../ui/log-state.js";
import type {Attempt, ExerciseModel, Fault, Moment, Outcome} from "./exercise.js";
import {describeValue, EXERCISE_MAX_STEPS, settled} from "./kit.js";
import {errorText, seconds} from "./grade.js";

export const IDEMPOTENT_CONSUMER_FAULTS = ["crash", "producer-retry", "rebalance"] as const;

export interface IdempotentConsumerParameters {
  orders: number;
  /** Virtual ms between two orders. */
  gapMs: number;
  partitions: number;
  consumers: string[];
  /** auto.commit.interval.ms: records handled since the last commit are read again after a crash. */
  commitIntervalMs: number;
  /** session.timeout.ms: how long the group waits for a crashed member. */
  sessionTimeoutMs: number;
  /** How long a crashed consumer takes to come back. */
  restartMs: number;
  /** Virtual ms each database call takes. */
  dbMs: number;
  faultKinds: string[];
  maxFaults: number;
}

export const idempotentConsumerDefaults: IdempotentConsumerParameters = {
  orders: 10,
  gapMs: 60,
  partitions: 2,
  consumers: ["billing-a", "billing-b"],
  commitIntervalMs: 1000,
  sessionTimeoutMs: 1000,
  restartMs: 500,
  dbMs: 10,
  faultKinds: [...IDEMPOTENT_CONSUMER_FAULTS],
  maxFaults: 3
};

export interface Order {
  orderId: string;
  amount: number;
}
/** Where the record was read from (an offset names a copy, not an order: a retry writes a second copy). */
export interface RecordPlace {
  partition: number;
  offset: number;
}
export interface Payments {
  /** Charges the customer's card for the order (a row in the payments table). */
  charge(orderId: string, amount: number): Promise<void>;
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
}
export interface Database extends Payments {
  /** Runs `work` all or nothing: its writes and charges happen at its commit, or not at all. */
  transaction<T>(work: (tx: Payments) => Promise<T>): Promise<T>;
}
export type Handler = (order: Order, record: RecordPlace) => unknown;
/** The reader's function: called each time a consumer process starts, with the database. */
export type StartConsumer = (db: Database) => Handler;

const TOPIC = "orders";

export function idempotentConsumer(overrides: Partial<IdempotentConsumerParameters> = {}): ExerciseModel<StartConsumer> {
  const p = {...idempotentConsumerDefaults, ...overrides};
  const horizon = p.orders * p.gapMs + 200;
  return {
    solution(value) {
      if (typeof value !== "function") throw new TypeError(`the cell must end with your startConsumer function (as its last line: startConsumer), but it ended with ${describeValue(value)}`);
      return value as StartConsumer;
    },
    faults: (random: Random): Fault[] =>
      Array.from({length: 1 + random.int(p.maxFaults)}, () => {
        const kind = random.pick(p.faultKinds);
        return {kind, at: Math.round(random.next() * horizon), ...(kind === "crash" ? {target: random.pick(p.consumers)} : {})};
      }),
    run: (startConsumer, attempt) => runBilling(p, startConsumer, attempt)
  };
}

interface Charge {
  orderId: string;
  at: number;
  by: string;
}

/** The payments database: shared by every consumer process, and it survives their crashes. */
function createDatabase(sim: Simulation, dbMs: number) {
  const rows = new Map<string, {value: unknown; version: number}>();
  const charges: Charge[] = [];
  let version = 0;
  /** One process's connection: once the process is dead, its calls never return. */
  function connect(process: string, alive: () => boolean): Database {
    const call = <T>(work: () => T): Promise<T> =>
      new Promise((resolve, reject) => {
        sim.schedule(dbMs, () => {
          if (!alive()) return;
          try {
            resolve(work());
          } catch (error) {
            reject(error);
          }
          return settled();
        });
      });
    const charge = (orderId: string) => charges.push({orderId: String(orderId), at: sim.now, by: process});
    return {
      charge: (orderId) => call(() => void charge(orderId)),
      get: (key) => call(() => rows.get(String(key))?.value),
      put: (key, value) => call(() => void rows.set(String(key), {value, version: ++version})),
      async transaction(work) {
        if (typeof work !== "function") throw new TypeError("db.transaction needs an async function (tx) => { ... }");
        const read = new Map<string, number>();
        const writes = new Map<string, unknown>();
        const pending: string[] = [];
        const tx: Payments = {
          charge: (orderId) => call(() => void pending.push(String(orderId))),
          get: (key) =>
            call(() => {
              const k = String(key);
              if (writes.has(k)) return writes.get(k);
              read.set(k, rows.get(k)?.version ?? 0);
              return rows.get(k)?.value;
            }),
          put: (key, value) => call(() => void writes.set(String(key), value))
        };
        const result = await work(tx);
        return call(() => {
          for (const [k, seen] of read) {
            if ((rows.get(k)?.version ?? 0) !== seen) throw new Error(`could not serialize access: another transaction changed "${k}" since this one read it (the transaction was rolled back; retry it)`);
          }
          for (const [k, value] of writes) rows.set(k, {value, version: ++version});
          for (const orderId of pending) charge(orderId);
          return result;
        });
      }
    };
  }
  return {connect, charges};
}

async function runBilling(p: IdempotentConsumerParameters, startConsumer: StartConsumer, {seed, faults, trace}: Attempt): Promise<Outcome> {
  const sim = createSimulation({seed, maxSteps: EXERCISE_MAX_STEPS});
  const cluster = createCluster(sim, {brokers: 1, cleanupIntervalMs: 86_400_000});
  cluster.createTopic(TOPIC, {partitions: p.partitions});
  const producer = cluster.producer({clientId: "checkout", idempotent: false, acks: 1, requestTimeoutMs: 150, retryBackoffMs: 20});
  const db = createDatabase(sim, p.dbMs);
  const history = new HistoryRecorder(() => sim.now);
  const errors: Moment[] = [];
  const running = new Map<string, Consumer>();
  const starts = new Map<string, number>();
  const orders: Order[] = Array.from({length: p.orders}, (_, i) => ({orderId: `order-${i + 1}`, amount: 10 + sim.random.int(90)}));
  const seqOf = new Map(orders.map((o, i) => [o.orderId, i]));

  function start(name: string, group = "billing"): void {
    const n = (starts.get(name) ?? 0) + 1;
    starts.set(name, n);
    const process = n === 1 ? name : `${name} (start ${n})`;
    const consumer = cluster.consumer({groupId: group, clientId: process, autoOffsetReset: "earliest", autoCommitIntervalMs: p.commitIntervalMs, sessionTimeoutMs: p.sessionTimeoutMs, maxPollRecords: 5, handlerRetries: 3});
    running.set(name, consumer);
    const alive = () => consumer.state === "running";
    let handler: Handler | null = null;
    try {
      const made = startConsumer(db.connect(process, alive));
      if (typeof made !== "function") throw new TypeError(`startConsumer must return the handler, a function (order, record) => ..., but it returned ${describeValue(made)}`);
      handler = made;
    } catch (error) {
      errors.push({at: sim.now, text: `startConsumer of ${process} threw at ${seconds(sim.now)}: ${errorText(error)}`});
    }
    consumer.subscribe(TOPIC);
    consumer.run({
      eachMessage: async (record) => {
        const order = record.value as Order;
        history.record({type: "deliver", consumer: process, message: order.orderId, key: order.orderId, seq: seqOf.get(order.orderId) ?? -1, redelivered: false, partition: record.partition, offset: record.offset});
        if (!handler) throw new Error("no handler");
        try {
          await handler({...order}, {partition: record.partition, offset: record.offset});
        } catch (error) {
          if (alive()) errors.push({at: sim.now, text: `${process}'s handler threw at ${seconds(sim.now)} on ${order.orderId}: ${errorText(error)} (the consumer retries the record)`});
          throw error;
        }
      },
      onPartitionsRevoked: () => history.record({type: "rebalance", consumer: process})
    });
  }

  let joined = 0;
  for (const f of faults) {
    sim.schedule(f.at, () => {
      if (f.kind === "crash") {
        const name = f.target ?? p.consumers[0];
        const consumer = running.get(name);
        if (!consumer || consumer.state !== "running") return;
        history.record({type: "crash", process: consumer.clientId});
        consumer.crash();
        sim.schedule(p.restartMs, () => start(name));
      } else if (f.kind === "producer-retry") producer.loseAcks(1);
      else if (f.kind === "rebalance") start(`billing-${String.fromCharCode(99 + joined++)}`); // a new member joins: the group hands out its partitions again
      else throw new RangeError(`idempotent-consumer has no fault "${f.kind}" (it knows ${IDEMPOTENT_CONSUMER_FAULTS.join(", ")})`);
    });
  }
  for (const name of p.consumers) start(name);
  orders.forEach((order, i) => {
    sim.schedule(i * p.gapMs, () => {
      history.record({type: "produce", phase: "invoke", producer: "checkout", message: order.orderId, key: order.orderId, seq: i});
      producer.send({topic: TOPIC, key: order.orderId, value: order}).then(
        () => history.record({type: "produce", phase: "ok", producer: "checkout", message: order.orderId, key: order.orderId, seq: i}),
        () => history.record({type: "produce", phase: "fail", producer: "checkout", message: order.orderId, key: order.orderId, seq: i})
      );
    });
  });
  const quiet = p.orders * p.gapMs + p.restartMs + 3 * (p.sessionTimeoutMs + p.commitIntervalMs) + Math.max(0, ...faults.map((f) => f.at));
  await sim.advance(quiet);
  // Each copy the log holds, at the time it was written (a retry's copy is how the checker tells a producer retry).
  for (const e of sim.trace.filter("kafka.append")) {
    const order = e.value as Order;
    history.operations.push({type: "append", time: e.time, producer: e.producer, message: order.orderId, key: order.orderId, seq: seqOf.get(order.orderId) ?? -1, partition: e.partition, offset: e.offset, attempt: e.attempt});
  }

  const counts = new Map<string, Charge[]>();
  for (const c of db.charges) counts.set(c.orderId, [...(counts.get(c.orderId) ?? []), c]);
  const wrong = orders.find((o) => (counts.get(o.orderId)?.length ?? 0) !== 1);
  if (!wrong) return {ok: true};
  const charges = counts.get(wrong.orderId) ?? [];
  const story = storyOf(wrong.orderId, history.operations, charges);
  const problem = charges.length === 0 ? `${wrong.orderId} was never charged: ${story.map((m) => m.text).join(", ") || "it was never delivered"}.` : `${wrong.orderId} was charged ${times(charges.length)}: ${story.map((m) => m.text).join(", ")}.`;
  return {ok: false, problem, moments: [...story, ...errors.slice(0, 5)].sort((a, b) => a.at - b.at), ...(trace ? {log: logView(sim.trace, {topic: TOPIC})} : {})};
}

const times = (n: number) => (n === 2 ? "twice" : n === 3 ? "three times" : `${n} times`);

/** The order's deliveries, the cause the checker gives for each repeat, and its charges, in time order. */
function storyOf(orderId: string, history: HistoryRecorder["operations"], charges: Charge[]): Moment[] {
  const verdict = checkHistory(history);
  const deliveries = history.filter((op): op is DeliverOp => op.type === "deliver" && op.message === orderId);
  const duplicate = verdict.duplicated.find((d) => d.message === orderId);
  const moments: Moment[] = deliveries.map((d, i) => ({at: d.time, text: `${i === 0 ? "delivered" : "delivered again"} to ${d.consumer} at ${seconds(d.time)} (partition ${d.partition}, offset ${d.offset})`}));
  duplicate?.causes.forEach((cause) => {
    const moment = causeMoment(cause);
    if (moment) moments.push(moment);
  });
  charges.forEach((c, i) => moments.push({at: c.at, text: `${i === 0 ? "charged" : "charged again"} by ${c.by} at ${seconds(c.at)}`}));
  return dedupe(moments.sort((a, b) => a.at - b.at));
}

function causeMoment(cause: DuplicateCause): Moment | null {
  switch (cause.kind) {
    case "crash":
      return {at: cause.crash.time, text: `${cause.crash.process} crashed at ${seconds(cause.crash.time)} before the commit`};
    case "rebalance":
      return {at: cause.rebalance.time, text: `the group rebalanced at ${seconds(cause.rebalance.time)} before ${cause.rebalance.consumer} committed it`};
    case "producer-retry":
      return {at: cause.append.time, text: `the checkout's acknowledgement was lost and its retry wrote the order again at offset ${cause.append.offset} (${seconds(cause.append.time)})`};
    default:
      return null;
  }
}

const dedupe = (moments: Moment[]) => moments.filter((m, i) => moments.findIndex((n) => n.text === m.text) === i);
