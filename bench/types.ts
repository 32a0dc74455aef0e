import v8 from "node:v8";
import vm from "node:vm";

/** One measured figure. `baseline` and `ratio` compare it with a reference on the same input. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  /** The goal the ratio or value is judged against, shown in the table. */
  goal?: string;
}

/** A benchmark file (`bench/*.bench.ts`) default-exports one of these. */
export type Benchmark = () => Promise<BenchResult[]> | BenchResult[];

/** Best of `rounds` timed runs of `fn` (after one warm-up), in operations per second. */
export function opsPerSecond(operations: number, fn: () => unknown, rounds = 5): number {
  fn();
  let best = Infinity;
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    fn();
    best = Math.min(best, performance.now() - start);
  }
  return operations / (best / 1000);
}

/** The median of some figures (the upper one of an even count). */
export function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[xs.length >> 1];
}

/** The engine's garbage collector, exposed on demand (a bench measures heap or wants a clean one). */
export function collectGarbage(): () => void {
  const exposed = (globalThis as {gc?: () => void}).gc;
  if (exposed) return exposed;
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}
