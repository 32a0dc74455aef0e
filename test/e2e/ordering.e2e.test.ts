import {afterAll, beforeAll, expect, inject, it} from "vitest";
import type {Browser} from "playwright-core";
import {partitionForKey} from "../../src/components/kafka/partitioner.js";
import {cellErrors, launchBrowser, openPage, settle} from "./harness.js";

let browser: Browser;
beforeAll(async () => void (browser = await launchBrowser()));
afterAll(async () => void (await browser?.close()));

it("the partition experiment follows the keys and the slider", async () => {
  const {page, problems} = await openPage(browser, inject("baseUrl"), "/ordering-and-idempotency");
  const labels = () => page.$$eval("svg text", (nodes) => nodes.map((n) => n.textContent));

  await page.fill("textarea", "alpha\nbeta\norder-1042");
  await settle(page);
  const slider = page.locator("input[type=number]").first();
  await slider.fill("12");
  await slider.press("Enter");
  await settle(page);
  const texts = await labels();
  for (const key of ["alpha", "beta", "order-1042"]) expect(texts).toContain(JSON.stringify(key));
  expect(await page.textContent("#observablehq-main")).toContain("Going from 12 to 13 partitions");
  const moved = ["alpha", "beta", "order-1042"].filter((k) => partitionForKey(k, 12) !== partitionForKey(k, 13)).length;
  expect(await page.textContent("#observablehq-main")).toContain(`${moved} of 3 keys change partition`);

  await page.fill("textarea", "");
  await settle(page);
  expect(await page.textContent("#observablehq-main")).toContain("Type at least one key");
  expect(await cellErrors(page)).toEqual([]);
  expect(problems).toEqual([]);
});

it("the lab's worker loads as the reader comes near a lab, not with the page", async () => {
  const {page, problems} = await openPage(browser, inject("baseUrl"), "/ordering-and-idempotency");
  const labWorkers = () => page.workers().filter((worker) => worker.url().includes("/labs/ordering/vendor/worker"));
  await page.waitForTimeout(1000);
  expect(labWorkers()).toEqual([]);
  await page.mouse.wheel(0, 300); // the reader scrolls: the labs near the viewport warm
  await expect.poll(() => labWorkers().length, {timeout: 10_000}).toBe(1);
  expect(problems).toEqual([]);
});
