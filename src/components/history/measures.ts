// What a lab's claims say of a comparison (compare.ts), and the comparison's shape: small and
// free of compareRuns itself, so a page can state its claims' metrics without loading the
// comparison, which it loads only when the reader comes to it.
import {duplicateDeliveries, type Verdict} from "./check.js";
import type {History, Operation} from "./history.js";

export interface Divergence {
  /** Position in both runs' time-ordered operations where they first differ. */
  index: number;
  /** Each run's operation there (undefined: that run had ended). */
  a: Operation | undefined;
  b: Operation | undefined;
  /** What `b` did instead, in words. */
  text: string;
}

export type Anomaly = "lost" | "duplicated" | "reordered" | "uncommittedReads";

export interface Consequence {
  anomaly: Anomaly;
  /** Count in each run: messages lost, duplicate deliveries, reordered deliveries, uncommitted reads. */
  a: number;
  b: number;
  /** Messages with the anomaly in one run and not in the other. */
  onlyA: string[];
  onlyB: string[];
  text: string;
}

export interface Comparison {
  labels: [string, string];
  /** null: the runs did the same thing, operation for operation. */
  divergence: Divergence | null;
  /** Both runs' histories, as given: what a view draws on one time axis. */
  histories: {a: History; b: History};
  verdicts: {a: Verdict; b: Verdict};
  consequences: Consequence[];
  /** One sentence: the divergence and its consequences downstream. */
  text: string;
}

/** A verdict's count of one anomaly: messages lost, duplicate deliveries, reordered deliveries, uncommitted reads. */
export function anomalyCount(verdict: Verdict, anomaly: Anomaly): number {
  switch (anomaly) {
    case "lost":
      return verdict.lost.length;
    case "duplicated":
      return duplicateDeliveries(verdict);
    case "reordered":
      return verdict.reordered.length;
    case "uncommittedReads":
      return verdict.uncommittedReads.length;
  }
}

const sided = (name: string, anomaly: Anomaly) => ({[`${name}A`]: (c: Comparison) => anomalyCount(c.verdicts.a, anomaly), [`${name}B`]: (c: Comparison) => anomalyCount(c.verdicts.b, anomaly)});

/** What a lab's claims can say of a comparison: whether and when (ms; -1: never) the runs part, and each run's anomalies (A the first run, B the second). */
export const comparisonMeasures: Record<string, (c: Comparison) => number | boolean> = {
  diverges: (c) => c.divergence !== null,
  divergenceMs: (c) => (c.divergence ? Math.min(c.divergence.a?.time ?? Infinity, c.divergence.b?.time ?? Infinity) : -1),
  ...sided("duplicates", "duplicated"),
  ...sided("reordered", "reordered"),
  ...sided("uncommittedReads", "uncommittedReads"),
  ...sided("lost", "lost")
};

/** comparisonMeasures as an experiment's metrics on runs that hold a comparison, named `${prefix}DivergenceMs` (or as is without a prefix). */
export function comparisonMetrics<R>(of: (r: R) => Comparison, prefix = ""): Record<string, (r: R) => number | boolean> {
  const name = (m: string) => (prefix ? `${prefix}${m[0].toUpperCase()}${m.slice(1)}` : m);
  return Object.fromEntries(Object.entries(comparisonMeasures).map(([m, measure]) => [name(m), (r: R) => measure(of(r))]));
}
