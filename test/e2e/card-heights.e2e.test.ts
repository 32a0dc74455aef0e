// A card off screen is not laid out (style.css, content-visibility: auto) and keeps the height it
// last had on screen. A card whose live chart (ui/live-chart.ts) had not drawn yet when the card
// left the screen during load kept the height of an empty chart, or not, by the race between the
// lab's first result and the charts above it: everything below sat 305 px lower on one load in
// forty of 11.4, and was drawn a few pixels differently. Every card that holds a live chart must
// keep the height of its drawn chart.
import {afterAll, beforeAll, expect, inject, it} from "vitest";
import type {Browser, Page} from "playwright-core";
import config from "../../observablehq.config.js";
import {launchBrowser, openPage, settle} from "./harness.js";

let browser: Browser;
beforeAll(async () => void (browser = await launchBrowser()));
afterAll(async () => void (await browser?.close()));

const paths = config.pages.flatMap((section) => section.pages.map((p) => p.path));

/** The height of each card that holds a live chart, by its heading. */
const liveCardHeights = (page: Page) =>
  page.$$eval("#observablehq-main .card:has(.live-chart)", (cards) => cards.map((card) => `${card.querySelector("h2")?.textContent}: ${Math.round(card.getBoundingClientRect().height)} px`));

it.each(paths)("%s: each card with a live chart is as tall off screen as on screen", async (path) => {
  const {page} = await openPage(browser, inject("baseUrl"), path);
  const offScreen = await liveCardHeights(page);
  await page.addStyleTag({content: "#observablehq-main .card { content-visibility: visible !important; }"});
  await settle(page);
  expect(offScreen).toEqual(await liveCardHeights(page));
  await page.context().close();
});
