// Letting virtual time pass until something has happened. An answer that needs the clock to move
// (a produce request, a confirm, a rebalance) must not be awaited before the simulation runs:
// these step the clock and check between steps.
import type {Simulation} from "./simulation.js";

export interface AdvanceUntilOptions {
  /** Virtual ms per step (default 10). */
  stepMs?: number;
  /** Most virtual ms to wait before giving up (default 10 minutes). */
  limitMs?: number;
  /** What is waited for, for the error message. */
  what?: string;
  /**
   * Give up as soon as no foreground task is left (default false). Only background timers could
   * still run, so an answer that needs a foreground task (a response in flight) can no longer come.
   */
  giveUpWhenIdle?: boolean;
}

/** The awaited condition did not hold in time, or could no longer come to hold. */
export class WaitTimeoutError extends Error {
  override name = "WaitTimeoutError";
}

/** Advances the clock in steps until `done()` holds; throws a WaitTimeoutError after `limitMs` of virtual time. */
export async function advanceUntil(sim: Simulation, done: () => boolean, {stepMs = 10, limitMs = 600_000, what = "the condition", giveUpWhenIdle = false}: AdvanceUntilOptions = {}): Promise<void> {
  for (let waited = 0; !done(); waited += stepMs) {
    if (waited >= limitMs) throw new WaitTimeoutError(`gave up waiting for ${what} after ${limitMs / 1000} s of simulated time`);
    await sim.advance(stepMs);
    if (giveUpWhenIdle && sim.pending === 0 && !done()) throw new WaitTimeoutError(`gave up waiting for ${what}: the simulation has nothing left to run`);
  }
}

/** Advances the clock until `promise` settles, then returns its value (or throws its error). */
export async function advanceUntilSettled<T>(sim: Simulation, promise: Promise<T>, options: AdvanceUntilOptions = {}): Promise<T> {
  let settled = false;
  promise.then(() => (settled = true), () => (settled = true));
  await advanceUntil(sim, () => settled, {what: "an answer", ...options});
  return promise;
}
