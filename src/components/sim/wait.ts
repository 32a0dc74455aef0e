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
}

/** Advances the clock in steps until `done()` holds; throws after `limitMs` of virtual time. */
export async function advanceUntil(sim: Simulation, done: () => boolean, {stepMs = 10, limitMs = 600_000, what = "the condition"}: AdvanceUntilOptions = {}): Promise<void> {
  for (let waited = 0; !done(); waited += stepMs) {
    if (waited >= limitMs) throw new Error(`gave up waiting for ${what} after ${limitMs / 1000} s of simulated time`);
    await sim.advance(stepMs);
  }
}

/** Advances the clock until `promise` settles, then returns its value (or throws its error). */
export async function advanceUntilSettled<T>(sim: Simulation, promise: Promise<T>, options: AdvanceUntilOptions = {}): Promise<T> {
  let settled = false;
  promise.then(() => (settled = true), () => (settled = true));
  await advanceUntil(sim, () => settled, {what: "an answer", ...options});
  return promise;
}
