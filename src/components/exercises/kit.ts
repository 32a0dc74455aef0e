// Small pieces every exercise model needs: how to name what the reader's cell returned, and how
// to let the reader's awaits run before the virtual clock moves on.

/** "an object (keys: prefetch)", for a message that says what the cell returned instead. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "no value (is the function's name the last line?)";
  if (value === null) return "null";
  return typeof value === "object" ? `an object (keys: ${Object.keys(value).slice(0, 6).join(", ") || "none"})` : `a ${typeof value}`;
}

/**
 * Most tasks one advance of an exercise's run may take: a reader's loop that keeps the simulation
 * busy at one instant (a message rejected and requeued forever) ends in a SimulationLimitError that
 * the grader reports, long before the page's time limit.
 */
export const EXERCISE_MAX_STEPS = 200_000;

/**
 * Lets the reader's code that awaited a result run before the clock moves on: the kernel awaits a
 * task's promise, and this one settles after the microtasks queued behind it (a few awaits deep).
 */
export async function settled(hops = 32): Promise<void> {
  for (let i = 0; i < hops; i++) await Promise.resolve();
}
