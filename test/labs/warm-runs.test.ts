// A lab's worker runs each experiment once at its defaults before the reader's first run (warm
// runs, ui/lab-worker.ts): what the reader is shown after them must be what a fresh worker shows,
// and what the build's first runs and Node's claims computed. So no run may leave state behind
// that a later run reads (the memos of rebalance.ts and coupling/index.ts are keyed by every
// option they read).
import {readFileSync} from "node:fs";
import {describe, expect, it, vi} from "vitest";
import type {Parameters} from "../../src/components/claims/claim.js";
import type {ViewedExperiment} from "../../src/components/ui/lab-worker.js";

const labs = [
  {page: "brokers", lab: "brokers", comparisons: ["protocolComparison", "prefetchComparison"]},
  {page: "ordering-and-idempotency", lab: "ordering", comparisons: ["commitIntervals", "idempotenceCompare", "isolationCompare"]}
];

/** Each experiment's run at its defaults, in a fresh module graph (a fresh worker), after `before` ran. */
async function runsAfter(lab: string, scenario: {experiments: Record<string, {parameters: Parameters}>}, names: string[], before: string[]) {
  vi.resetModules();
  const {runView} = await import("../../src/components/ui/lab-worker.js");
  const {experiments} = (await import(`../../src/components/labs/${lab}/index.ts`)) as {experiments: Record<string, ViewedExperiment>};
  const run = (name: string) => runView(experiments[name], scenario.experiments[name].parameters);
  for (const name of before) await run(name);
  const runs: Record<string, unknown> = {};
  for (const name of names) runs[name] = await run(name);
  return runs;
}

describe("a lab's runs after its warm runs", () => {
  for (const {page, lab, comparisons} of labs) {
    it(`${page}: equal a fresh worker's`, async () => {
      const scenario = JSON.parse(readFileSync(`data/scenarios/${page}.json`, "utf8"));
      const {experiments} = await import(`../../src/components/labs/${lab}/index.ts`);
      const names = Object.keys(experiments).filter((name) => !comparisons.includes(name));
      // The warm runs in the page's order and then the reader's runs in the reverse one: an
      // experiment that read what a run before it left would differ from its fresh run.
      const warmed = await runsAfter(lab, scenario, [...names].reverse(), names);
      for (const name of names) expect(warmed[name], name).toEqual((await runsAfter(lab, scenario, [name], []))[name]);
    });
  }
});
