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

/** True for what compareRuns returns, also once it has crossed from a code cell's worker as plain data. */
export function isComparison(value: unknown): value is Comparison {
  const c = value as Partial<Comparison> | null;
  return typeof c === "object" && c !== null && Array.isArray(c.labels) && c.labels.length === 2 && typeof c.text === "string" && Array.isArray(c.histories?.a) && Array.isArray(c.histories?.b) && typeof c.verdicts?.a === "object" && typeof c.verdicts?.b === "object";
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

/** What a lab's claims can say of a comparison: a is its first run, b its second. */
export const comparisonMeasures = {
  /** Whether the runs differ at all, operation for operation. */
  diverges: (c: Comparison) => c.divergence !== null,
  /** When the first differing operation happened (ms; -1: none). */
  divergenceMs: (c: Comparison) => (c.divergence ? Math.min(c.divergence.a?.time ?? Infinity, c.divergence.b?.time ?? Infinity) : -1),
  duplicatesA: (c: Comparison) => anomalyCount(c.verdicts.a, "duplicated"),
  duplicatesB: (c: Comparison) => anomalyCount(c.verdicts.b, "duplicated"),
  reorderedA: (c: Comparison) => anomalyCount(c.verdicts.a, "reordered"),
  reorderedB: (c: Comparison) => anomalyCount(c.verdicts.b, "reordered"),
  uncommittedReadsA: (c: Comparison) => anomalyCount(c.verdicts.a, "uncommittedReads"),
  uncommittedReadsB: (c: Comparison) => anomalyCount(c.verdicts.b, "uncommittedReads"),
  lostA: (c: Comparison) => anomalyCount(c.verdicts.a, "lost"),
  lostB: (c: Comparison) => anomalyCount(c.verdicts.b, "lost")
};

/** comparisonMeasures as an experiment's metrics on runs that hold a comparison, named `${prefix}DivergenceMs` (or as is without a prefix). */
export function comparisonMetrics<R>(of: (r: R) => Comparison, prefix = ""): Record<string, (r: R) => number | boolean> {
  const name = (m: string) => (prefix ? `${prefix}${m[0].toUpperCase()}${m.slice(1)}` : m);
  return Object.fromEntries(Object.entries(comparisonMeasures).map(([m, measure]) => [name(m), (r: R) => measure(of(r))]));
}
