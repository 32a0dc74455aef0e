// axe-core on every page of the config (and the home page), light and dark, phone and desktop
// widths, after a reader's scroll through the page: no serious or critical violation. Every rule
// runs; the counts by impact of each page are printed (figures to watch), and written to
// test-results/a11y.json.
import {mkdirSync, writeFileSync} from "node:fs";
import {createRequire} from "node:module";
import {afterAll, beforeAll, describe, expect, inject, it} from "vitest";
import type {Browser} from "playwright-core";
import config from "../../observablehq.config.js";
import {launchBrowser, openPage, scrollThrough, settle} from "./harness.js";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const paths = ["/", ...config.pages.flatMap((section) => section.pages.map((p) => p.path))];
const widths = [1280, 390];
const counts: Record<string, Record<string, number>> = {};
let browser: Browser;

beforeAll(async () => void (browser = await launchBrowser()));
afterAll(async () => {
  await browser?.close();
  mkdirSync("test-results", {recursive: true});
  writeFileSync("test-results/a11y.json", JSON.stringify(counts, null, 2));
  console.table(counts);
});

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: {target: string[]; failureSummary?: string}[];
}

describe.each(["light", "dark"] as const)("axe-core in %s mode", (colorScheme) => {
  describe.each(widths)("at %i px", (width) => {
    it.each(paths)("%s has no serious or critical violation", async (path) => {
      const {page} = await openPage(browser, inject("baseUrl"), path, {colorScheme, width});
      // What a reader reaches is checked too: some controls are made as the reader comes near, and
      // an off-screen card is not rendered until then (content-visibility).
      await scrollThrough(page);
      await settle(page);
      await page.addScriptTag({path: axePath});
      const violations: Violation[] = await page.evaluate(async () => {
        const axe = (window as unknown as {axe: {run: (context: unknown, options: unknown) => Promise<{violations: Violation[]}>}}).axe;
        return (await axe.run(document, {resultTypes: ["violations"]})).violations;
      });
      const tally: Record<string, number> = {minor: 0, moderate: 0, serious: 0, critical: 0};
      for (const v of violations) tally[v.impact ?? "minor"] += v.nodes.length;
      counts[`${path} ${colorScheme} ${width}`] = tally;
      const severe = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(severe.map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.slice(0, 5).map((n) => n.target.join(" ")).join(", ")}${v.nodes.length > 5 ? ` and ${v.nodes.length - 5} more` : ""}`)).toEqual([]);
      await page.context().close();
    });
  });
});
