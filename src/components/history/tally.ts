// A verdict's counts (check.ts): what `npm run experiment` prints side by side, what a recorded
// run keeps, and what a cell can print. Apart from the checker so a page that only checks loads less.
import {duplicateDeliveries, type DuplicateCause, type Verdict} from "./check.js";

/** A verdict's counts: what a table prints side by side, and what a recorded run keeps. */
export interface Tally {
  valid: boolean;
  lost: number;
  /** Messages delivered more than once, and the deliveries beyond each one's first. */
  duplicated: number;
  duplicates: number;
  /** Duplicate deliveries per cause ("crash": 4). */
  causes: Partial<Record<DuplicateCause["kind"], number>>;
  reordered: number;
  uncommittedReads: number;
}

export function tally(verdict: Verdict): Tally {
  const causes: Tally["causes"] = {};
  for (const d of verdict.duplicated) for (const c of d.causes) causes[c.kind] = (causes[c.kind] ?? 0) + 1;
  return {
    valid: verdict.valid,
    lost: verdict.lost.length,
    duplicated: verdict.duplicated.length,
    duplicates: duplicateDeliveries(verdict),
    causes,
    reordered: verdict.reordered.length,
    uncommittedReads: verdict.uncommittedReads.length
  };
}

/** "crash 4, producer-retry 1", or "-" when nothing was duplicated. */
export const describeCauses = (t: Tally): string => Object.entries(t.causes).map(([kind, n]) => `${kind} ${n}`).join(", ") || "-";
