// The simulation kernel: a virtual clock, a discrete-event queue, one seeded random source and a
// trace. Every broker model (Kafka, RabbitMQ, EventBridge) runs on one of these; nothing in a
// run reads wall-clock time or Math.random, so a seed and a scenario replay exactly.

import {createRandom, seedFrom, type Random} from "./random.js";
import {EventQueue, type ScheduledTask} from "./scheduler.js";
import {Trace, type TraceEvent, type TraceEventMap, type TraceEventOf, type TraceKind} from "./trace.js";

export interface SimulationOptions {
  /** Seed of the run's only random source (a number or any string). Default 1. */
  seed?: number | string;
  /** Record a trace (default true). Benchmarks switch it off. */
  trace?: boolean;
  /** Most trace events one run may hold (default 1,000,000). */
  traceLimit?: number;
  /** Most tasks one runUntilIdle/advance call may run before it stops with an error (default 10,000,000). */
  maxSteps?: number;
}

export interface Timer {
  readonly id: number;
  readonly time: number;
}

export class SimulationLimitError extends RangeError {
  override name = "SimulationLimitError";
}

/** advance()/runUntilIdle() called while the simulation is running, e.g. from inside one of its tasks. */
export class SimulationReentryError extends Error {
  override name = "SimulationReentryError";
}

export interface Simulation {
  readonly seed: number;
  /** Virtual time in milliseconds since the start of the run. */
  readonly now: number;
  readonly random: Random;
  readonly trace: Trace;
  /** Runs `task` after `delay` virtual ms (0 = after everything already due now). */
  schedule(delay: number, task: () => void | Promise<void>, options?: {background?: boolean}): Timer;
  /** Runs `task` every `interval` ms until cancelled; background by default (it never keeps a run alive). */
  every(interval: number, task: () => void | Promise<void>, options?: {background?: boolean}): Timer;
  cancel(timer: Timer): void;
  /** Appends an event stamped with the current virtual time; `kind` and its fields are declared in a TraceEventMap. */
  record<K extends TraceKind>(kind: K, fields: TraceEventMap[K]): TraceEventOf<K>;
  /** Runs every task due within the next `ms` virtual ms, then sets the clock to now + ms. */
  advance(ms: number): Promise<void>;
  /** Runs tasks until none but background timers remain. */
  runUntilIdle(): Promise<void>;
  /** Tasks still to run (foreground only). */
  readonly pending: number;
}

export function createSimulation(options: SimulationOptions = {}): Simulation {
  const {seed = 1, trace: traceEnabled = true, traceLimit = 1_000_000, maxSteps = 10_000_000} = options;
  if (!Number.isInteger(maxSteps) || maxSteps < 1) {
    throw new RangeError(`maxSteps must be a positive integer, got ${maxSteps}`);
  }
  const queue = new EventQueue();
  const trace = new Trace({limit: traceLimit, enabled: traceEnabled});
  const seedValue = seedFrom(seed);
  const random = createRandom(seedValue);
  const periodic = new Map<number, ScheduledTask>(); // every() id -> its current occurrence
  let now = 0;
  let nextPeriodicId = -1; // negative ids: never collide with queue ids
  let running = false;

  const checkDelay = (name: string, value: number) => {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`${name} must be a finite number of milliseconds >= 0, got ${value}`);
    }
  };

  async function drain(until: number | null): Promise<void> {
    if (running) throw new SimulationReentryError("the simulation is already running: await the earlier advance()/runUntilIdle() first");
    running = true;
    try {
      let steps = 0;
      for (;;) {
        const next = queue.peek();
        if (!next) break;
        if (until === null ? queue.foreground === 0 : next.time > until) break;
        queue.pop();
        now = Math.max(now, next.time);
        if (++steps > maxSteps) {
          throw new SimulationLimitError(
            `stopped after ${maxSteps.toLocaleString("en-US")} steps at t=${now} ms (maxSteps): ` +
              `the scenario may never become idle`
          );
        }
        const result = next.run();
        if (result) await result;
      }
      if (until !== null) now = Math.max(now, until);
    } finally {
      running = false;
    }
  }

  const sim: Simulation = {
    seed: seedValue,
    get now() {
      return now;
    },
    random,
    trace,
    get pending() {
      return queue.foreground;
    },
    schedule(delay, task, {background = false} = {}) {
      checkDelay("delay", delay);
      return queue.push(now + delay, task, background);
    },
    every(interval, task, {background = true} = {}) {
      checkDelay("interval", interval);
      if (interval === 0) throw new RangeError("interval must be > 0 ms");
      const id = nextPeriodicId--;
      const tick = async () => {
        periodic.set(id, queue.push(now + interval, tick, background));
        await task();
      };
      const first = queue.push(now + interval, tick, background);
      periodic.set(id, first);
      return {id, time: first.time};
    },
    cancel(timer) {
      const task = timer.id < 0 ? periodic.get(timer.id) : (timer as ScheduledTask);
      if (timer.id < 0) periodic.delete(timer.id);
      if (task && "cancelled" in task) queue.cancel(task);
    },
    record(kind, fields) {
      // The union member of `kind` by construction; TypeScript cannot relate a generic spread to it.
      const event = {time: now, kind, ...fields} as TraceEvent as TraceEventOf<typeof kind>;
      trace.push(event);
      return event;
    },
    advance(ms) {
      checkDelay("ms", ms);
      return drain(now + ms);
    },
    runUntilIdle() {
      return drain(null);
    }
  };
  return sim;
}
