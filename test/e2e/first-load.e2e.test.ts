// First load (issue 15 §2): every page loads at most 600 KB of decoded JavaScript before the
// reader interacts, by the page's own resource timing. The editor (CodeMirror) and the code
// cells' worker wait until the reader comes to a cell; after a full scroll every cell's editor is
// in. Prints each page's bytes before any interaction and after a full scroll.
import {afterAll, beforeAll, expect, inject, it} from "vitest";
import type {Browser} from "playwright-core";
import config from "../../observablehq.config.js";
import {launchBrowser, openPage, scrollThrough, settle} from "./harness.js";
// Console errors and the like are pages.e2e.test.ts's to catch: this file measures bytes.

const BUDGET = 600_000;
const paths = ["/", ...config.pages.flatMap((section) => section.pages.map((p) => p.path))];
const figures: {page: string; "preload KB": number; "after full scroll KB": number}[] = [];
let browser: Browser;

beforeAll(async () => void (browser = await launchBrowser()));
afterAll(async () => {
  await browser?.close();
  console.table(figures);
});

it.each(paths)("%s preloads at most 600 KB of script", async (path) => {
  const {page, scriptBytes} = await openPage(browser, inject("baseUrl"), path);
  const preload = await scriptBytes();
  expect(await page.locator(".code-cell-ready").count(), "no editor loads before the reader interacts").toBe(0);
  await scrollThrough(page);
  await page.waitForFunction(() => document.querySelectorAll(".code-cell").length === document.querySelectorAll(".code-cell-ready").length, undefined, {timeout: 20_000});
  // The cells' first runs (their worker) end; not settle(): networkidle may not come again after the runs.
  await page.waitForFunction(() => !document.querySelector(".code-cell-status[data-status=running]"), undefined, {timeout: 20_000});
  await page.waitForTimeout(500);
  const total = await scriptBytes();
  figures.push({page: path, "preload KB": Math.round(preload / 1000), "after full scroll KB": Math.round(total / 1000)});
  expect(preload, `${path} loads ${preload.toLocaleString("en-US")} bytes of JavaScript before the reader interacts: over the ${BUDGET.toLocaleString("en-US")}-byte budget (issue 15 §2)`).toBeLessThanOrEqual(BUDGET);
  await page.context().close();
});

it("Run works on the plain code before the editor loads, and the editor comes on focus", async () => {
  const {page, problems} = await openPage(browser, inject("baseUrl"), "/playground");
  const cell = page.locator(".code-cell").first();
  expect(await cell.locator(".code-cell-placeholder").textContent()).not.toBe("");
  // A click dispatched on the button itself: no pointer reaches the page before the run starts.
  await cell.locator(".code-cell-run").dispatchEvent("click");
  await page.waitForFunction(() => document.querySelector(".code-cell-status")?.getAttribute("data-status") === "ok", undefined, {timeout: 15_000});
  await page.waitForSelector(".code-cell-ready");
  await page.reload();
  await settle(page);
  expect(await page.locator(".code-cell-ready").count()).toBe(0);
  await page.locator(".code-cell-placeholder").focus();
  await page.waitForSelector(".code-cell-ready .cm-content:focus");
  expect(problems).toEqual([]);
  await page.context().close();
});
