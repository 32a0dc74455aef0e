// 11.2's experiments, as the claims and the page run them: the translator at the Orders →
// Logistics boundary, and the same registrations published as an honest event and as a
// disguised command. Defaults, presets and claims: data/scenarios/event-types.json.
import {experiment} from "../../claims/claim.js";
import {designs, runDisguisedCommand, type DisguiseRun} from "./disguise.js";
import {intervals, latency, median} from "./charts.js";
import {keysOf, translate as runTranslate, type Translation} from "./translate.js";

export const translate = experiment({
  run: runTranslate,
  metrics: {
    /** Integration events published: 1, or 0 when the contract refused the domain event. */
    published: (t: Translation) => (t.published ? 1 : 0),
    items: (t: Translation) => t.published?.parcels.reduce((sum, p) => sum + p.items, 0) ?? 0,
    parcels: (t: Translation) => t.published?.parcels.length ?? 0,
    heaviestParcelKg: (t: Translation) => Math.max(0, ...(t.published?.parcels.map((p) => p.weightKg) ?? [])),
    /** Parcels over Logistics' limit (only an item heavier than the limit ships in one). */
    overweightParcels: (t: Translation) => t.published?.parcels.filter((p) => p.weightKg > t.parameters.maxParcelKg).length ?? 0,
    leftBehind: (t: Translation) => t.left.length,
    /** Fields left behind whose name nevertheless appears in the integration event: a leak. */
    leakedFields: (t: Translation) => {
      const carried = keysOf(t.published);
      return t.left.filter((path) => carried.has(path.split(".").at(-1)!)).length;
    }
  }
});

const mine = (run: DisguiseRun, design: (typeof designs)[number]) => run.registrations.filter((r) => r.design === design);
const honest = (run: DisguiseRun) => mine(run, designs[0]);
const disguised = (run: DisguiseRun) => mine(run, designs[1]);
const percent = (part: number, whole: number) => (whole ? Math.round((100 * part) / whole) : 0);

/** The disguised design's intervals, and the first in which most of its registrations failed (or -1). */
function turningPoint(run: DisguiseRun) {
  const rows = intervals(run).filter((i) => i.design === designs[1]);
  return {rows, at: rows.findIndex((i) => i.failed > i.completed)};
}

export const disguise = experiment({
  run: runDisguisedCommand,
  metrics: {
    registrations: (run: DisguiseRun) => honest(run).length,
    honestCompleted: (run: DisguiseRun) => honest(run).filter((r) => r.completed).length,
    honestFailed: (run: DisguiseRun) => honest(run).filter((r) => !r.completed).length,
    disguisedCompleted: (run: DisguiseRun) => disguised(run).filter((r) => r.completed).length,
    disguisedFailed: (run: DisguiseRun) => disguised(run).filter((r) => !r.completed).length,
    honestMedianMs: (run: DisguiseRun) => Math.round(median(honest(run).map(latency))),
    disguisedMedianMs: (run: DisguiseRun) => Math.round(median(disguised(run).map(latency))),
    /** Welcome emails the honest design's email service sent. */
    emailsSent: (run: DisguiseRun) => honest(run).filter((r) => r.emailAt !== null).length,
    /** The longest a user of the honest design waited for the welcome email, in seconds. */
    maxEmailDelayS: (run: DisguiseRun) => Math.round(Math.max(0, ...honest(run).map((r) => (r.emailAt ?? r.start) - r.start)) / 100) / 10,
    /** The disguised design's median time to register in the first interval. */
    firstIntervalMedianMs: (run: DisguiseRun) => turningPoint(run).rows[0]?.medianMs ?? 0,
    /** When most of an interval's registrations first fail, in seconds (the run's length if never). */
    failingFromS: (run: DisguiseRun) => {
      const {rows, at} = turningPoint(run);
      return at < 0 ? run.parameters.durationMs / 1000 : rows[at].second;
    },
    /** The disguised design's median time to register in the interval just before that (0 if none). */
    medianBeforeFailingMs: (run: DisguiseRun) => {
      const {rows, at} = turningPoint(run);
      return at > 0 ? rows[at - 1].medianMs : at < 0 ? (rows.at(-1)?.medianMs ?? 0) : 0;
    },
    /** Of the disguised registrations started before that, the share that completed (%). */
    completedBeforePercent: (run: DisguiseRun) => {
      const {rows, at} = turningPoint(run);
      const before = at < 0 ? rows : rows.slice(0, at);
      return percent(before.reduce((s, i) => s + i.completed, 0), before.reduce((s, i) => s + i.completed + i.failed, 0));
    },
    /** Of the disguised registrations started from then on, the share that failed (%). */
    failedAfterPercent: (run: DisguiseRun) => {
      const {rows, at} = turningPoint(run);
      const after = at < 0 ? [] : rows.slice(at);
      return percent(after.reduce((s, i) => s + i.failed, 0), after.reduce((s, i) => s + i.completed + i.failed, 0));
    }
  }
});

export const experiments = {translate, disguise};
