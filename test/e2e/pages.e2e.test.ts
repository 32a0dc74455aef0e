// Every page of the config, light and dark: no console or page error, no request off 127.0.0.1,
// no cell error, real content. Prints each page's script bytes and settle time (figures to
// watch, not timed assertions).
import {afterAll, beforeAll, describe, expect, inject, it} from "vitest";
import type {Browser} from "playwright-core";
import config from "../../observablehq.config.js";
import {cellErrors, launchBrowser, openPage, screenshot} from "./harness.js";

const paths = ["/", ...config.pages.flatMap((section) => section.pages.map((p) => p.path))];
const figures: {page: string; scheme: string; scriptBytes: number; settleMs: number}[] = [];
let browser: Browser;

beforeAll(async () => void (browser = await launchBrowser()));
afterAll(async () => {
  await browser?.close();
  console.table(figures.filter((f) => f.scheme === "light").map(({page, scriptBytes, settleMs}) => ({page, "script bytes": scriptBytes, "settle ms": settleMs})));
});

describe.each(["light", "dark"] as const)("every page in %s mode", (colorScheme) => {
  it.each(paths)("%s renders without errors", async (path) => {
    const {page, problems, scriptBytes, settleMs} = await openPage(browser, inject("baseUrl"), path, {colorScheme});
    figures.push({page: path, scheme: colorScheme, scriptBytes: await scriptBytes(), settleMs});
    expect(await cellErrors(page)).toEqual([]);
    expect(problems).toEqual([]);
    const main = await page.$eval("#observablehq-main", (el) => ({h1: el.querySelector("h1")?.textContent ?? "", text: el.textContent?.length ?? 0}));
    expect(main.h1).not.toBe("");
    expect(main.text).toBeGreaterThan(200);
    await screenshot(page, `${path === "/" ? "index" : path.slice(1)}-${colorScheme}`);
    await page.context().close();
  });
});
