// `npm run bench:ui [-- --json] [-- <page filter>]`: how the built site answers its controls.
// Serves the existing build ($WORKBOOK_DIST, default dist/; it builds nothing) on 127.0.0.1,
// opens every page of data/pages.json in Debian's Chromium, and drags every range input through
// its whole range in 20 steps, 50 ms apart, as a hand would. For each control it prints the
// 95th percentile of the time from an input event to the next update of the page's charts and
// tables, the longest task, and all long tasks (over 50 ms) added up, during the drag and until
// the page settles. A figure to watch, not a timed test.
import {readFileSync} from "node:fs";
import {max, quantile} from "d3";
import type {Page} from "playwright-core";
import {launchBrowser, openPage, scrollThrough, settle} from "../test/e2e/harness.js";
import {builtDist, serveDist} from "../test/e2e/server.js";

const args = process.argv.slice(2);
const json = args.includes("--json");
const filters = args.filter((a) => !a.startsWith("--"));
const dist = builtDist();
const pages = (JSON.parse(readFileSync("data/pages.json", "utf8")) as {pages: {path: string}[]}[])
  .flatMap((section) => section.pages.map((p) => p.path))
  .filter((path) => filters.length === 0 || filters.some((f) => path.includes(f)));

export interface UiResult {
  name: string;
  value: number;
  unit: "ms";
  longestTaskMs: number;
  longTasksMs: number;
  /** The slowest step: of 20, the 95th percentile lies between the two slowest. */
  maxMs: number;
}

const STEPS = 20;
const STEP_MS = 50;

/** Drags the n-th range input of the page through its range; returns what the page did meanwhile. */
async function drag(page: Page, index: number): Promise<{label: string; latencies: number[]; longTasks: number[]}> {
  // A reader scrolls to a slider before taking it: what coming near loads (an exercise, an editor) loads before the drag.
  await page.locator("#observablehq-main input[type=range]").nth(index).scrollIntoViewIfNeeded();
  await settle(page, 500);
  await page.evaluate((index) => {
    const w = window as unknown as {__longTasks: number[]; __updates: number[]; __observers?: {disconnect(): void}[]};
    // One pair of observers at a time: the previous drag's would count every task and update twice.
    for (const observer of w.__observers ?? []) observer.disconnect();
    w.__longTasks = [];
    w.__updates = [];
    const input = document.querySelectorAll<HTMLInputElement>("#observablehq-main input[type=range]")[index];
    const own = input.closest("form") ?? input;
    const longTasks = new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__longTasks.push(e.duration)));
    longTasks.observe({type: "longtask"});
    // An update: a change inside a chart, a table or a claim list of the page's main column, not
    // in the control's own form (its number box follows the slider at once, whatever the lab does).
    const updates = new MutationObserver((records) => {
      if (records.some((r) => !own.contains(r.target) && (r.target as Element).closest?.(".card, figure, svg, table, .claims, .observablehq"))) w.__updates.push(Date.now());
    });
    updates.observe(document.querySelector("#observablehq-main")!, {subtree: true, childList: true, characterData: true});
    w.__observers = [longTasks, updates];
  }, index);
  // The hand moves from outside the page: each step is sent from Node every 50 ms whether or not
  // the page is free, so time an input waits behind a long task counts in its latency.
  // A hand takes hold of the slider before it moves it: the pointer lands and the input has focus.
  const label = await page.evaluate((index) => {
    const input = document.querySelectorAll<HTMLInputElement>("#observablehq-main input[type=range]")[index];
    input.dispatchEvent(new PointerEvent("pointerdown", {bubbles: true}));
    input.focus();
    return input.closest("form")?.querySelector("label")?.textContent?.trim() || `${input.getAttribute("aria-label") ?? "range"} ${index + 1}`;
  }, index);
  const steps: Promise<{sent: number; handled: number}>[] = [];
  for (let i = 1; i <= STEPS; i++) {
    const sent = Date.now();
    steps.push(
      page
        .evaluate(({index, fraction}) => {
          const input = document.querySelectorAll<HTMLInputElement>("#observablehq-main input[type=range]")[index];
          const [min, max] = [Number(input.min), Number(input.max)];
          input.value = String(min + (max - min) * fraction);
          input.dispatchEvent(new Event("input", {bubbles: true}));
          return Date.now();
        }, {index, fraction: i / STEPS})
        .then((handled) => ({sent, handled}))
    );
    await new Promise((resolve) => setTimeout(resolve, STEP_MS));
  }
  const inputs = await Promise.all(steps);
  await settle(page, 500);
  const {updates, longTasks} = await page.evaluate(() => {
    const w = window as unknown as {__updates: number[]; __longTasks: number[]};
    return {updates: w.__updates, longTasks: w.__longTasks};
  });
  // For each step, from its sending until the page next showed an update after handling it.
  const latencies = inputs.map(({sent, handled}) => (updates.find((u) => u >= handled) ?? Infinity) - sent);
  return {label, latencies, longTasks};
}

const slug = (text: string) => text.toLowerCase().replace(/\(.*?\)/g, "").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

const {server, url} = await serveDist(dist);
const browser = await launchBrowser();
const results: UiResult[] = [];
try {
  for (const path of pages) {
    // openPage counts the page's requests itself: Playwright's networkidle never comes back once
    // a code cell's sandbox frame goes (focusing a slider can scroll a cell near enough to run).
    const {page, problems} = await openPage(browser, url, path, {width: 1280});
    if (problems.length > 0) throw new Error(`${path} from ${dist}/: ${problems.join("; ")}`);
    // Some controls (a flow's time scrubber) are made only when the reader comes near them: a
    // reader's scroll through the page first, then every range input, counted again before each
    // drag in case coming near one made more.
    await scrollThrough(page);
    await settle(page, 500);
    const ranges = page.locator("#observablehq-main input[type=range]");
    // Labs of one page may label a control alike (11.4 has three "Partitions"): the second and later get -2, -3, so that names stay unique.
    const seen = new Map<string, number>();
    for (let i = 0; i < (await ranges.count()); i++) {
      const {label, latencies, longTasks} = await drag(page, i);
      const base = `ui.${path.replace(/^\//, "") || "index"}.${slug(label)}`;
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      const result: UiResult = {
        name: n === 1 ? base : `${base}-${n}`,
        // d3's quantile (R-7, as a spreadsheet's PERCENTILE): until this stop the bench took the
        // element at index floor(0.95 n), which for 20 steps is the slowest one, not the 95th percentile.
        value: Math.round(quantile(latencies, 0.95)!),
        unit: "ms",
        longestTaskMs: Math.round(Math.max(0, ...longTasks)),
        longTasksMs: Math.round(longTasks.reduce((a, b) => a + b, 0)),
        maxMs: Math.round(max(latencies)!)
      };
      results.push(result);
      if (json) console.log(JSON.stringify(result));
    }
    await page.context().close();
  }
} finally {
  await browser.close();
  server.close();
}

// A table with no rows would read as "nothing janks"; every site we build has sliders.
if (results.length === 0) throw new Error(`no range input found on ${pages.join(", ")}`);

if (!json) {
  const header = ["control", "p95 input→update (ms)", "slowest step (ms)", "longest task (ms)", "long tasks (ms)"];
  const rows = results.map((r) => [r.name, String(r.value), String(r.maxMs), String(r.longestTaskMs), String(r.longTasksMs)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
}
