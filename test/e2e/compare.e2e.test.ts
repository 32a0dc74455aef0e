// The comparisons of 11.3 and 11.4 (ui/compare-view.ts): nothing of them loads before the reader
// presses Compare; then both runs share one time axis with the first divergence marked, and an
// anomaly's button marks its moment and, on 11.4, opens that run's log view at that moment.
import {afterAll, beforeAll, expect, inject, it} from "vitest";
import type {Browser, Page} from "playwright-core";
import {cellErrors, launchBrowser, openPage, settle} from "./harness.js";

let browser: Browser;
beforeAll(async () => void (browser = await launchBrowser()));
afterAll(async () => void (await browser?.close()));

const card = (page: Page, title: string) => page.locator(".card").filter({has: page.locator("h2", {hasText: title})});
const loadedScripts = (page: Page) => page.evaluate(() => performance.getEntriesByType("resource").map((e) => e.name).filter((n) => /\.js(\?|$)/.test(n)));

it("11.4: Compare loads the view, marks the divergence, and an anomaly opens the log at its moment", async () => {
  const {page, problems} = await openPage(browser, inject("baseUrl"), "/ordering-and-idempotency");
  expect((await loadedScripts(page)).filter((n) => /compare-view|history\/compare/.test(n))).toEqual([]);
  const view = card(page, "Idempotence on and off, operation by operation");
  await view.getByRole("button", {name: "Compare idempotence on and off"}).click();
  await settle(page);
  expect((await loadedScripts(page)).some((n) => n.includes("compare-view"))).toBe(true);
  expect(await view.locator("figcaption").textContent()).toMatch(/^with enable\.idempotence=false, the retry at t = [\d.]+ s appends order-1042#\d+ at offset \d+ a second time: \d+ duplicates downstream/);
  expect(await view.locator("svg text", {hasText: "first divergence"}).count()).toBe(1);
  const duplicates = view.getByRole("button", {name: /^duplicate, t = /});
  expect(await duplicates.count()).toBeGreaterThan(0);
  await duplicates.first().click();
  await settle(page);
  const log = view.locator(".compare-view-detail .log-view");
  expect(await log.count()).toBe(1);
  // The log is drawn at the duplicate's moment: its clock says the same time as the button.
  const at = (await duplicates.first().textContent())!.match(/t = ([\d.]+) s/)![1];
  expect(await view.locator(".compare-view-detail").textContent()).toContain(`t = ${at} s`);
  expect(await cellErrors(page)).toEqual([]);
  expect(problems).toEqual([]);
  await page.context().close();
});

it("11.3: the prefetch comparison lists each run's redeliveries with their cause", async () => {
  const {page, problems} = await openPage(browser, inject("baseUrl"), "/brokers");
  const view = card(page, "against yours, on one time axis");
  await view.getByRole("button", {name: /^Compare with prefetch/}).click();
  await settle(page);
  const items = await view.locator(".compare-view-list li").allTextContents();
  expect(items.some((t) => /duplicate, t = [\d.]+ s.*\(agent-3 crashed at t = [\d.]+ s\)/.test(t))).toBe(true);
  expect(items[0]).toMatch(/^first divergence, t = [\d.]+ s/);
  expect(await cellErrors(page)).toEqual([]);
  expect(problems).toEqual([]);
  await page.context().close();
});
