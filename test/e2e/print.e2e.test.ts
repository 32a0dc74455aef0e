// A page prints as a handout: no sidebar, table of contents or controls; the text and charts stay.
import {afterAll, beforeAll, expect, inject, it} from "vitest";
import type {Browser} from "playwright-core";
import {launchBrowser, openPage} from "./harness.js";

let browser: Browser;
beforeAll(async () => void (browser = await launchBrowser()));
afterAll(async () => void (await browser?.close()));

it("prints without navigation or controls", async () => {
  const {page, problems} = await openPage(browser, inject("baseUrl"), "/brokers");
  await page.emulateMedia({media: "print"});
  const visible = (selector: string) => page.locator(selector).first().isVisible();
  expect(await visible("#observablehq-sidebar")).toBe(false);
  expect(await visible("#observablehq-toc")).toBe(false);
  expect(await visible("#observablehq-main form")).toBe(false);
  expect(await visible("#observablehq-main h1")).toBe(true);
  expect(await visible("#observablehq-main svg")).toBe(true);
  const pdf = await page.pdf({format: "A4"});
  expect(pdf.length).toBeGreaterThan(10_000);
  expect(problems).toEqual([]);
});
