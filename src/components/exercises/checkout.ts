// 11.1's exercise, "make the checkout survive a slow or failing inventory service". The reader
// writes the checkout's reaction to one order; the grader makes inventory slow, takes it down and
// sends bursts of orders. The property: every order is accepted within the customer's budget, and
// inventory reserves it exactly once by the end of the run. Inventory is the lab's (11.1, labs/coupling):
// 4 workers, 20 ms a request on average, 20 times slower while slow; a request sent while it is down is
// lost (the caller learns only from its own timeout). Its consumer reads topic "orders" on the Kafka
// model with 4 workers of its own; while inventory is down the events wait in the log.
import {createCluster} from "../kafka/cluster.js";
import {sleep} from "../kafka/share-consumer.js";
import {seconds} from "../history/index.js";
import {createRandom, createSimulation, SimulationLimitError, type Random, type Simulation} from "../sim/index.js";
import type {Attempt, ExerciseModel, Fault, Moment, Outcome} from "./exercise.js";

export interface Order {
  id: string;
  sku: string;
  qty: number;
}

export type Answer = "accepted" | "rejected";

/** What the reader's checkout may use. */
export interface CheckoutServices {
  /** Inventory's synchronous API: settles once the stock is reserved. Not idempotent (every call reserves); a request sent while inventory is down never settles. */
  inventory: {reserve(order: Order): Promise<void>};
  /** A Kafka producer (acks=all); inventory's consumer reserves the order in each record it reads from topic "orders" (the record's value). */
  producer: {send(record: {topic: string; key?: string; value: unknown}): Promise<unknown>};
  /** Resolves after `ms` virtual ms: the only clock there is (for timeouts). */
  sleep(ms: number): Promise<void>;
}

export type Checkout = (order: Order, services: CheckoutServices) => Answer | Promise<Answer>;

/** The scenario's numbers; the task text quotes them. */
export const CHECKOUT = {
  /** The customer waits this long for "accepted". */
  budgetMs: 250,
  arrivalsPerSecond: 5,
  durationMs: 6_000,
  /** After the last arrival, the run goes on this long so that every backlog can drain. */
  drainMs: 30_000,
  inventory: {meanMs: 20, workers: 4, slowFactor: 20},
  /** How long each fault lasts, and how many orders a burst brings at once. */
  slowMs: 2_000,
  downMs: 3_000,
  burstOrders: 15
} as const;

/** What the grader may do to inventory: make it slow, take it down, or send a burst of orders. */
export const CHECKOUT_FAULTS = ["slow", "down", "burst"] as const;

export interface CheckoutParameters {
  /** Fault kinds to draw from (CHECKOUT_FAULTS). */
  faultKinds: string[];
}

export const checkoutDefaults: CheckoutParameters = {faultKinds: [...CHECKOUT_FAULTS]};

/** A window of virtual time in which inventory misbehaves. */
interface Window {
  mode: "slow" | "down";
  from: number;
  to: number;
}

/** What happened to one order, for the check. */
interface OrderRecord {
  order: Order;
  arrived: number;
  answered: {at: number; answer: unknown} | null;
  threw: {at: number; message: string} | null;
  reserved: {at: number; via: "call" | "event"}[];
}

export function checkoutExercise(overrides: Partial<CheckoutParameters> = {}): ExerciseModel<Checkout> {
  const {faultKinds} = {...checkoutDefaults, ...overrides};
  return {
    solution(value) {
      if (typeof value !== "function") {
        throw new TypeError(`the cell must end with your checkout function (the last line is its name, e.g. \`checkout\`), got ${value === null ? "null" : typeof value}`);
      }
      return value as Checkout;
    },
    faults(random) {
      return Array.from({length: 1 + random.int(3)}, () => ({
        kind: random.pick(faultKinds),
        at: Math.round(random.next() * (CHECKOUT.durationMs - 1_000)),
        target: "inventory"
      }));
    },
    run: runCheckout
  };
}

export async function runCheckout(checkout: Checkout, {seed, faults}: Attempt): Promise<Outcome> {
  // A reader's loop that never sleeps would spin forever at one instant: this bounds it.
  const sim = createSimulation({seed, trace: false, maxSteps: 200_000});
  const windows = faults.filter((f) => f.kind === "slow" || f.kind === "down").map((f): Window => ({mode: f.kind as Window["mode"], from: f.at, to: f.at + (f.kind === "slow" ? CHECKOUT.slowMs : CHECKOUT.downMs)}));
  const inventory = inventoryService(sim, createRandom(`${seed}/inventory`), windows);
  const cluster = createCluster(sim, {brokers: 1});
  cluster.createTopic("orders");
  const producer = cluster.producer({clientId: "checkout"});
  const consumer = cluster.consumer({groupId: "inventory", clientId: "inventory", autoOffsetReset: "earliest"});
  consumer.subscribe("orders");
  const records = new Map<string, OrderRecord>();
  const strays: Moment[] = [];
  consumer.run({
    eachMessage: (record) => {
      const id = (record.value as Partial<Order> | null)?.id;
      const known = typeof id === "string" ? records.get(id) : undefined;
      if (!known) return void strays.push({at: sim.now, text: `inventory read a record on "orders" (offset ${record.offset}) whose value has no \`id\` of an order of this run (${JSON.stringify(record.value)}): inventory reserves the order that is the record's value`});
      inventory.consume(() => known.reserved.push({at: sim.now, via: "event"}));
    }
  });
  const services: CheckoutServices = {
    inventory: {
      reserve: (order) => inventory.call(() => records.get(order?.id)?.reserved.push({at: sim.now, via: "call"}))
    },
    producer: {send: (record) => producer.send({topic: record?.topic, key: record?.key, value: record?.value})},
    sleep: (ms) => sleep(sim, ms)
  };
  for (const {order, at} of arrivals(seed, faults)) {
    const r: OrderRecord = {order, arrived: at, answered: null, threw: null, reserved: []};
    records.set(order.id, r);
    // Through sleep(): its task lets promise continuations run before the clock moves on, so an
    // answer given at once is stamped with the arrival time.
    void sleep(sim, at).then(() => {
      try {
        Promise.resolve(checkout({...order}, services)).then(
          (answer) => void (r.answered ??= {at: sim.now, answer}),
          (error) => void (r.threw ??= {at: sim.now, message: messageOf(error)})
        );
      } catch (error) {
        r.threw = {at: sim.now, message: messageOf(error)};
      }
    });
  }
  try {
    await sim.advance(CHECKOUT.durationMs + CHECKOUT.drainMs);
  } catch (error) {
    if (!(error instanceof SimulationLimitError)) throw error;
    return {ok: false, problem: `the run stopped at ${seconds(sim.now)}: your checkout kept the simulation busy without letting time pass (a loop that never awaits sleep(ms) with ms > 0?)`};
  }
  return verdict([...records.values()], windows, strays);
}

/** The orders of one run: a Poisson stream from the seed alone, then each burst's orders at its time. */
export function arrivals(seed: number, faults: readonly Fault[]): {order: Order; at: number}[] {
  const random = createRandom(`${seed}/orders`);
  const times: number[] = [];
  for (let t = random.exponential(1000 / CHECKOUT.arrivalsPerSecond); t < CHECKOUT.durationMs; t += random.exponential(1000 / CHECKOUT.arrivalsPerSecond)) times.push(Math.round(t));
  for (const burst of faults.filter((f) => f.kind === "burst")) times.push(...Array(CHECKOUT.burstOrders).fill(burst.at));
  return times.map((at, i) => ({order: {id: `order-${i + 1}`, sku: random.pick(["PX-200", "CB-12", "HV-1"]), qty: 1 + random.int(3)}, at}));
}

/**
 * Inventory: a pool of workers with a FIFO queue for its API, and another for its consumer. A
 * request starts when a worker is free; if inventory is down then, it is lost.
 */
function inventoryService(sim: Simulation, random: Random, windows: readonly Window[]) {
  const modeAt = (t: number) => windows.find((w) => t >= w.from && t < w.to)?.mode ?? "healthy";
  const serviceMs = () => random.exponential(CHECKOUT.inventory.meanMs) * (modeAt(sim.now) === "slow" ? CHECKOUT.inventory.slowFactor : 1);
  const upAt = (t: number): number => {
    const w = windows.find((w) => w.mode === "down" && t >= w.from && t < w.to);
    return w ? upAt(w.to) : t;
  };
  const pool = () => {
    let busy = 0;
    const queue: (() => void)[] = [];
    const release = () => {
      const next = queue.shift();
      if (next) next();
      else busy--;
    };
    return (start: (release: () => void) => void) => {
      if (busy < CHECKOUT.inventory.workers) (busy++, start(release));
      else queue.push(() => start(release));
    };
  };
  const api = pool(), consumers = pool();
  return {
    call: (reserve: () => void) =>
      new Promise<void>((resolve) =>
        api((release) => {
          if (modeAt(sim.now) === "down") return release();
          void sleep(sim, serviceMs()).then(() => (release(), reserve(), resolve()));
        })
      ),
    consume: (reserve: () => void) =>
      consumers((release) => {
        // No reader code awaits the consumer: plain timers, without sleep()'s settling.
        const start = () => void sim.schedule(serviceMs(), () => (release(), reserve()));
        const up = upAt(sim.now);
        if (up > sim.now) sim.schedule(up - sim.now, start);
        else start();
      })
  };
}

/** The first thing that went wrong, in virtual time, said about one order. */
function verdict(records: OrderRecord[], windows: readonly Window[], strays: Moment[]): Outcome {
  const problems: Moment[] = [...strays];
  const during = (t: number) => {
    const w = windows.find((w) => t >= w.from && t < w.to);
    return w ? ` while inventory was ${w.mode} (${seconds(w.from)} to ${seconds(w.to)})` : "";
  };
  for (const r of records) {
    const id = r.order.id;
    const arrived = `${id} arrived at ${seconds(r.arrived)}${during(r.arrived)}`;
    const late = r.arrived + CHECKOUT.budgetMs;
    if (r.threw && (!r.answered || r.threw.at <= r.answered.at)) problems.push({at: r.threw.at, text: `${arrived}, and your checkout threw at ${seconds(r.threw.at)}: ${r.threw.message}`});
    else if (!r.answered) problems.push({at: late, text: `${arrived} and was never answered: the customer gave up after ${CHECKOUT.budgetMs} ms`});
    else if (r.answered.answer !== "accepted") problems.push({at: r.answered.at, text: `${arrived} and was answered ${JSON.stringify(r.answered.answer)} at ${seconds(r.answered.at)}: the customer lost the order (the answer must be "accepted")`});
    else if (r.answered.at > late) problems.push({at: late, text: `${arrived} and was accepted only at ${seconds(r.answered.at)}, ${Math.round(r.answered.at - r.arrived)} ms later: over the ${CHECKOUT.budgetMs} ms the customer waits`});
    if (r.reserved.length > 1) {
      const times = r.reserved.map((x) => `${seconds(x.at)} (by ${x.via === "call" ? "a call to inventory.reserve" : "inventory's consumer"})`);
      problems.push({at: r.reserved[1].at, text: `${id} was reserved ${r.reserved.length} times: ${times.join(", ")}. The stock of one order is held twice`});
    } else if (r.reserved.length === 0 && r.answered?.answer === "accepted") {
      problems.push({at: CHECKOUT.durationMs + CHECKOUT.drainMs, text: `${arrived}, was accepted at ${seconds(r.answered.at)} and was never reserved, even after inventory had been healthy for ${CHECKOUT.drainMs / 1000} s`});
    }
  }
  if (problems.length === 0) return {ok: true};
  problems.sort((a, b) => a.at - b.at);
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""} in this run)` : "";
  return {ok: false, problem: problems[0].text + more, moments: problems.slice(0, 10)};
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
