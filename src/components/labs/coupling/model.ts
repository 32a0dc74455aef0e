// The same order workload run two ways on the simulation kernel, to show how coupling carries a
// failure: as a chain of synchronous calls (request-driven) and as an event published once and
// consumed by each service at its own pace (event-driven). Services are worker pools with FIFO
// queues: a blocked caller holds its worker, which is how a slow dependency exhausts the
// caller's threads in a real call chain.
import {createRandom, type Random} from "../../sim/random.js";
import {createSimulation, type Simulation, type Timer} from "../../sim/simulation.js";

export type FaultMode = "healthy" | "slow" | "down";

export interface ServiceSpec {
  name: string;
  /** Mean service time in ms (exponentially distributed). */
  meanMs: number;
  /** Workers: requests beyond this wait in a FIFO queue. */
  concurrency: number;
}

export interface Fault {
  service: string;
  mode: FaultMode;
  /** Window of virtual time, ms. */
  from: number;
  to: number;
  /** Service time multiplier while slow (default 20). */
  slowFactor?: number;
}

export interface CouplingOptions {
  seed?: number | string;
  durationMs?: number;
  arrivalsPerSecond?: number;
  /** The order service that takes the customer's request. */
  front?: ServiceSpec;
  /** The services that must react to an order. */
  services?: ServiceSpec[];
  fault?: Fault | null;
  /** A synchronous call fails after this long without an answer. */
  timeoutMs?: number;
  /** Record each response and consumption in the run's trace (default true). The experiments read the run's arrays and switch it off: building a trace event costs about what the event itself does. */
  trace?: boolean;
}

export interface RequestOutcome {
  id: number;
  start: number;
  end: number;
  latency: number;
  ok: boolean;
  /** Which service failed the request, when it failed. */
  failedAt?: string;
}

export interface Delivery {
  service: string;
  id: number;
  published: number;
  processed: number;
  delay: number;
}

export interface BacklogSample {
  time: number;
  service: string;
  depth: number;
}

export interface CouplingRun {
  model: "request-driven" | "event-driven";
  requests: RequestOutcome[];
  deliveries: Delivery[];
  backlog: BacklogSample[];
  sim: Simulation;
}

export const defaultServices: ServiceSpec[] = [
  {name: "payment", meanMs: 30, concurrency: 4},
  {name: "inventory", meanMs: 20, concurrency: 4},
  {name: "notification", meanMs: 15, concurrency: 4}
];

const defaults = {
  seed: 11,
  durationMs: 60_000,
  arrivalsPerSecond: 40,
  front: {name: "order", meanMs: 5, concurrency: 16} as ServiceSpec,
  timeoutMs: 2_000,
  trace: true
};

const limits = {arrivalsPerSecond: [0.1, 500], durationMs: [1_000, 600_000], meanMs: [0.1, 60_000], concurrency: [1, 1_000]} as const;

/** Runs the workload as synchronous calls: the order service calls each service in turn and answers when all have. */
export async function runRequestDriven(options: CouplingOptions = {}): Promise<CouplingRun> {
  const o = resolve(options);
  const sim = createSimulation({seed: o.seed, trace: o.trace});
  const front = new Station(sim, o.front, o.seed);
  const stations = o.services.map((s) => new Station(sim, s, o.seed));
  const requests: RequestOutcome[] = [];
  const backlog: BacklogSample[] = [];

  // An order that got an order-service worker holds it until every downstream call returned or
  // one timed out. Its state is that of the call in progress (the i-th service), kept per order
  // rather than per call to spare a run at 200 orders/s a dozen closures per order, and made when
  // the order starts, not while it queues: once a call times out the order is over, so a call
  // that starts or answers late still finds it answered.
  const order = (id: number, start: number) => {
    let i = 0;
    let answered = false;
    // The caller's timeout, set when the call is made. A call that starts at once and whose answer
    // is due before the deadline skips it (its timer could only be cancelled): it is set only for a
    // call that waits for a worker, is refused, or will answer too late, and always before the
    // answer is scheduled, so events keep the order in which they would have run.
    let timer: Timer | null = null;
    const finish = (ok: boolean, failedAt?: string) => {
      front.release();
      const outcome: RequestOutcome = {id, start, end: sim.now, latency: sim.now - start, ok};
      if (failedAt) outcome.failedAt = failedAt;
      requests.push(outcome);
      if (o.trace) sim.record("coupling.response", {model: "request-driven", id, ok, latency: sim.now - start});
    };
    const timeout = () => {
      answered = true;
      finish(false, o.services[i].name);
    };
    const startTimer = () => void (timer = sim.schedule(o.timeoutMs, timeout));
    const answer = () => {
      stations[i].release();
      if (answered) return;
      answered = true;
      if (timer) sim.cancel(timer);
      i++;
      callNext();
    };
    const serve = () => {
      const spec = o.services[i];
      const station = stations[i];
      // A service that is down accepts nothing; the caller learns only from its timeout.
      if (modeAt(o.fault, spec.name, sim.now) === "down") return void (timer ?? startTimer(), station.release());
      const ms = serviceTime(station.random, spec, o.fault, sim.now);
      if (!timer && !(sim.now + ms < sim.now + o.timeoutMs)) startTimer();
      sim.schedule(ms, answer);
    };
    const callNext = () => {
      if (i === o.services.length) return finish(true);
      answered = false;
      timer = null;
      if (!stations[i].acquire(serve)) startTimer();
    };
    sim.schedule(serviceTime(front.random, o.front, o.fault, sim.now), callNext);
  };
  arrivals(sim, o, (id, start) => void front.acquire(() => order(id, start)));
  sampleBacklog(sim, o, backlog, [["order", front], ...stations.map((s) => [s.spec.name, s] as [string, Station])]);
  await sim.runUntilIdle();
  return {model: "request-driven", requests: sortById(requests), deliveries: [], backlog, sim};
}

/** Runs the workload as publish/subscribe: the order service publishes OrderPlaced and answers; each service consumes at its own pace. */
export async function runEventDriven(options: CouplingOptions = {}): Promise<CouplingRun> {
  const o = resolve(options);
  const sim = createSimulation({seed: o.seed, trace: o.trace});
  const front = new Station(sim, o.front, o.seed);
  const requests: RequestOutcome[] = [];
  const deliveries: Delivery[] = [];
  const backlog: BacklogSample[] = [];
  const publishMs = 2; // append to the broker and get its acknowledgement
  const publishedAt: number[] = []; // by order id

  // Each service reads the topic through its own consumer. The events it has yet to start are its
  // log, kept as order ids: while a slow service falls behind by thousands of events, each waits
  // as a number, not as a closure, and its worker pool queues one shared `next` per event.
  const readers = o.services.map((spec) => {
    const station = new Station(sim, spec, o.seed);
    const log = new Fifo<number>();
    const attempt = (id: number) => {
      // A consumer that is down reads nothing; the event waits in the log until it is back.
      if (modeAt(o.fault, spec.name, sim.now) === "down") return void sim.schedule(o.fault!.to - sim.now, () => attempt(id));
      sim.schedule(serviceTime(station.random, spec, o.fault, sim.now), () => {
        station.release();
        const published = publishedAt[id];
        deliveries.push({service: spec.name, id, published, processed: sim.now, delay: sim.now - published});
        if (o.trace) sim.record("coupling.consume", {service: spec.name, id, delay: sim.now - published});
      });
    };
    // A worker takes the oldest event not yet started: workers start in the order events were
    // published (one starts at once only when none waits), so this is the event it was queued for.
    const next = () => attempt(log.shift()!);
    return {name: spec.name, station, consume: (id: number) => (log.push(id), station.acquire(next))};
  });

  arrivals(sim, o, (id, start) => {
    front.acquire(() => {
      sim.schedule(serviceTime(front.random, o.front, o.fault, sim.now) + publishMs, () => {
        front.release();
        requests.push({id, start, end: sim.now, latency: sim.now - start, ok: true});
        if (o.trace) sim.record("coupling.response", {model: "event-driven", id, ok: true, latency: sim.now - start});
        publishedAt[id] = sim.now;
        for (const reader of readers) reader.consume(id);
      });
    });
  });
  sampleBacklog(sim, o, backlog, readers.map((r) => [r.name, r.station] as [string, Station]));
  await sim.runUntilIdle();
  return {model: "event-driven", requests: sortById(requests), deliveries, backlog, sim};
}

type Resolved = Required<Omit<CouplingOptions, "fault">> & {fault: Fault | null};

function resolve(options: CouplingOptions): Resolved {
  const o: Resolved = {
    seed: options.seed ?? defaults.seed,
    durationMs: options.durationMs ?? defaults.durationMs,
    arrivalsPerSecond: options.arrivalsPerSecond ?? defaults.arrivalsPerSecond,
    front: options.front ?? defaults.front,
    services: options.services ?? defaultServices,
    fault: options.fault ?? null,
    timeoutMs: options.timeoutMs ?? defaults.timeoutMs,
    trace: options.trace ?? defaults.trace
  };
  inRange("arrivalsPerSecond", o.arrivalsPerSecond, limits.arrivalsPerSecond);
  inRange("durationMs", o.durationMs, limits.durationMs);
  inRange("timeoutMs", o.timeoutMs, [1, 600_000]);
  for (const s of [o.front, ...o.services]) {
    inRange(`${s.name}.meanMs`, s.meanMs, limits.meanMs);
    inRange(`${s.name}.concurrency`, s.concurrency, limits.concurrency);
  }
  const names = new Set(o.services.map((s) => s.name));
  if (names.size !== o.services.length) throw new RangeError("services must have distinct names");
  if (o.fault && !names.has(o.fault.service)) {
    throw new RangeError(`fault.service must be one of ${[...names].join(", ")}, got "${o.fault.service}"`);
  }
  if (o.fault && !(o.fault.from >= 0 && o.fault.to >= o.fault.from)) throw new RangeError("fault needs 0 <= from <= to");
  return o;
}

function inRange(name: string, value: number, [min, max]: readonly [number, number]): void {
  if (!(Number.isFinite(value) && value >= min && value <= max)) {
    throw new RangeError(`${name} must be between ${min} and ${max}, got ${value}`);
  }
}

function modeAt(fault: Fault | null, service: string, time: number): FaultMode {
  return fault && fault.service === service && time >= fault.from && time < fault.to ? fault.mode : "healthy";
}

function serviceTime(random: Random, spec: ServiceSpec, fault: Fault | null, time: number): number {
  const factor = modeAt(fault, spec.name, time) === "slow" ? fault!.slowFactor ?? 20 : 1;
  return random.exponential(spec.meanMs) * factor;
}

// Orders arrive as a Poisson stream from the run's own random source, which nothing else draws
// from, so both designs face exactly the same orders for a given seed. Each arrival schedules the
// next (the queue holds one arrival at a time, not a minute's worth); the delay is the drawn gap
// itself, so the kernel computes each arrival's time as the same sum, to the last bit. Arrivals
// due at the same instant run one after the other, as they would in order of scheduling.
function arrivals(sim: Simulation, o: Resolved, onArrival: (id: number, start: number) => void): void {
  let id = 0;
  let gap = sim.random.exponential(1000 / o.arrivalsPerSecond);
  const arrive = () => {
    do {
      onArrival(id++, sim.now);
      gap = sim.random.exponential(1000 / o.arrivalsPerSecond);
    } while (gap === 0);
    if (sim.now + gap < o.durationMs) sim.schedule(gap, arrive);
  };
  if (gap < o.durationMs) sim.schedule(gap, arrive);
}

// Once a second while arrivals last: how many requests or events wait for each service.
function sampleBacklog(sim: Simulation, o: Resolved, out: BacklogSample[], stations: [string, Station][]): void {
  for (let t = 0; t <= o.durationMs; t += 1000) {
    sim.schedule(t, () => {
      for (const [service, station] of stations) out.push({time: sim.now, service, depth: station.waiting});
    });
  }
}

function sortById(requests: RequestOutcome[]): RequestOutcome[] {
  return requests.sort((a, b) => a.id - b.id);
}

/**
 * A pool of workers with a FIFO queue. Each station draws its service times from its own stream,
 * derived from the run's seed and its name, so that adding or changing one service leaves every
 * other service's times, and the orders themselves, as they were.
 */
class Station {
  #busy = 0;
  #queue = new Fifo<() => void>();
  readonly random: Random;
  constructor(readonly sim: Simulation, readonly spec: ServiceSpec, seed: number | string) {
    this.random = createRandom(`${seed}/${spec.name}`);
  }

  get waiting(): number {
    return this.#queue.size;
  }

  /** Runs `start` now if a worker is free (and says so), else when one is. */
  acquire(start: () => void): boolean {
    if (this.#busy < this.spec.concurrency) {
      this.#busy++;
      start();
      return true;
    }
    this.#queue.push(start);
    return false;
  }

  release(): void {
    const next = this.#queue.shift();
    if (next === undefined) return void this.#busy--;
    next();
  }
}

/**
 * A FIFO: an array and the index of its head, compacted once the head passes half of it.
 * (Array#shift copies the whole array once it holds more than about 16k entries, as the callers
 * of a slow service at 200 orders a second soon do.)
 */
class Fifo<T> {
  #items: T[] = [];
  #head = 0;

  get size(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  /** The oldest item, removed (undefined when there is none). */
  shift(): T | undefined {
    if (this.#head === this.#items.length) return undefined;
    const item = this.#items[this.#head++];
    if (this.#head > 1024 && 2 * this.#head > this.#items.length) this.#items.splice(0, this.#head), (this.#head = 0);
    return item;
  }
}
