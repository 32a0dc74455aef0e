// 11.4 below the partition experiment: every experiment renders from its simulation, each control
// changes what it controls, extreme settings explain themselves, the at-least-once headline counts
// in one convention, and the editable handler cell runs and answers an upsert with zero duplicate
// effects, as the lab's own upsert does.
import {afterAll, beforeAll, expect, inject, it} from "vitest";
import type {Browser, Locator, Page} from "playwright-core";
import {HANDLER_CELL_CODE, HANDLER_CELL_ID} from "../../src/components/labs/ordering/cell.js";
import {cellErrors, launchBrowser, openPage, reveal, screenshot, settle} from "./harness.js";

let browser: Browser;
beforeAll(async () => void (browser = await launchBrowser()));
afterAll(async () => void (await browser?.close()));

const PATH = "/ordering-and-idempotency";

/** The k-th control (an Inputs form) whose label is exactly `label`. */
const control = (page: Page, label: string, k = 0) => page.locator("form").filter({has: page.getByText(label, {exact: true})}).nth(k);

async function setNumber(page: Page, label: string, value: number, k = 0) {
  const input = control(page, label, k).locator("input[type=number]");
  await input.fill(String(value));
  await input.press("Enter");
  await settle(page);
}

/** The card whose heading is `title`. */
const card = (page: Page, title: string): Locator => page.locator(".card").filter({has: page.locator("h2", {hasText: title})});
const text = async (l: Locator) => (await l.textContent()) ?? "";

it("every experiment renders, and each control changes what it controls", async () => {
  const {page, problems} = await openPage(browser, inject("baseUrl"), PATH);
  for (const title of ["The topic: what each partition holds", "The group: when each event was processed", "Which partition each batch went to", "Every delivery, by offset and time", "The partition's log after the run", "High watermark and last stable offset", "Two consumers, one partition"]) {
    const chart = card(page, title);
    await reveal(chart);
    await expect.soft(chart.locator("svg").first().isVisible(), title).resolves.toBe(true);
  }

  // Per-key order: keyed records keep every order in sequence; more consumers than partitions idle.
  const group = card(page, "The group: when each event was processed");
  expect(await text(group)).toContain("processed in the order they happened");
  await setNumber(page, "Partitions", 12, 1);
  expect(await card(page, "The topic: what each partition holds").locator("svg text").allTextContents()).toContain("partition 11");
  await setNumber(page, "Partitions", 2, 1);
  await setNumber(page, "Consumers in the group", 5);
  expect(await text(group)).toContain("3 consumers are idle");
  await setNumber(page, "Orders", 12);
  expect(await group.locator("svg text").allTextContents()).toContain("order-1053");
  await control(page, "Record key").getByText("none (keyless)").click();
  await settle(page);
  let violations = "";
  for (const seed of [1, 2, 3, 4, 5]) {
    await setNumber(page, "Seed", seed, 0);
    if ((violations = await text(group)).includes("after a later event of the same order")) break;
  }
  expect(violations).toContain("after a later event of the same order");

  // Keyless: batch.size (a preset, then the slider) and the partition count.
  const batches = card(page, "Which partition each batch went to");
  const before = await text(batches.locator("table"));
  await page.getByRole("button", {name: "batch.size 100 bytes"}).click();
  await settle(page);
  expect(await control(page, "batch.size (bytes)").locator("input[type=number]").inputValue()).toBe("100");
  expect(await text(batches.locator("table"))).not.toBe(before);
  await setNumber(page, "batch.size (bytes)", 16384);
  expect(await page.locator('[data-claim="default-batch-size-sticks"]').getAttribute("data-state")).toBe("active");
  await setNumber(page, "batch.size (bytes)", 400);
  await setNumber(page, "Partitions", 1, 2);
  expect(await page.locator('[data-claim="one-partition-no-choice"]').getAttribute("data-state")).toBe("active");

  // At-least-once: the crash time and the commit interval; processed and committed offsets in one convention.
  const deliveries = card(page, "Every delivery, by offset and time");
  expect(await text(deliveries)).toMatch(/last processed offset (\d+), committed offset (\d+) \(the next to read\): offsets \2\.\.\1 are delivered again \(\d+ events\)/);
  expect(await deliveries.locator("svg text").allTextContents()).toContain("committed offset 30 (next to read)");
  await setNumber(page, "billing-a crashes at (ms)", 2100);
  expect(await text(deliveries)).toContain("billing-a's last processed offset 10, committed offset 10 (the next to read): offset 10 is delivered again (1 event)");
  await setNumber(page, "billing-a crashes at (ms)", 0);
  expect(await text(deliveries)).toContain("crashed before it processed anything");
  await setNumber(page, "billing-a crashes at (ms)", 8000);
  expect(await text(deliveries)).toContain("nothing is delivered again");
  await setNumber(page, "billing-a crashes at (ms)", 3900);
  expect(await text(deliveries)).toMatch(/offsets \d+\.\.\d+ are delivered again/);
  await setNumber(page, "auto.commit.interval.ms", 100);
  expect(await text(deliveries)).toMatch(/: offset \d+ is delivered again \(1 event\)/);

  // Producer retries: no loss, then every answer lost.
  const log = card(page, "The partition's log after the run");
  expect(await text(log)).toMatch(/Idempotence off: \d+ duplicate cop(y|ies)/);
  await setNumber(page, "Answers lost (probability)", 0);
  expect(await text(log)).toContain("No answer was lost");
  await setNumber(page, "Records sent", 5);
  await setNumber(page, "Answers lost (probability)", 1);
  expect(await text(log)).toContain("never got an answer and failed after delivery.timeout.ms");

  // Exactly-once: aborting everything, then a crash nobody recovers from.
  const isolation = card(page, "Two consumers, one partition");
  expect(await text(isolation)).toMatch(/read_committed read \d+, all committed/);
  await setNumber(page, "Share aborted", 1);
  expect(await text(isolation)).toContain("No transaction committed");
  await setNumber(page, "Share aborted", 0);
  const noCrash = await text(card(page, "High watermark and last stable offset"));
  await control(page, "Producer crashes mid-run").locator("input[type=checkbox]").check();
  await settle(page);
  await control(page, "After the crash").getByText("nobody restarts it").click();
  await settle(page);
  expect(await text(card(page, "High watermark and last stable offset"))).toContain("producer crashes");
  expect(await text(card(page, "High watermark and last stable offset"))).not.toBe(noCrash);
  await setNumber(page, "Producer crash at (ms)", 0);
  expect(await text(isolation)).toContain("The producer crashed before its first transaction wrote anything");

  expect(await cellErrors(page)).toEqual([]);
  expect(problems).toEqual([]);
  await page.context().close();
});

it("the keyless and transaction cards redraw in place: no stylesheet and no <title> per dot in a redrawn chart", async () => {
  const {page, problems} = await openPage(browser, inject("baseUrl"), PATH);
  const batches = card(page, "Which partition each batch went to");
  const dots = batches.locator("svg circle");
  // The chart's container stays on the page across runs (ui/live-chart.ts); mark it to see that.
  await batches.locator("svg").first().evaluate((svg) => svg.parentElement!.setAttribute("data-test-kept", ""));
  const drawn = await dots.count();
  await setNumber(page, "Keyless records", 1000);
  await expect.poll(() => dots.count()).toBeGreaterThan(drawn);
  expect(await batches.locator("[data-test-kept] svg").count()).toBe(1);
  for (const title of ["Which partition each batch went to", "High watermark and last stable offset", "Two consumers, one partition"]) {
    expect.soft(await card(page, title).locator("svg style").count(), title).toBe(0);
  }
  expect(await batches.locator("svg circle title").count()).toBe(0);
  expect(await card(page, "Two consumers, one partition").locator("svg circle title").count()).toBe(0);
  // Plot's rules (display: block; max-width: 100%) still hold for the redrawn charts, from the head.
  expect(await page.evaluate(() => [...document.head.querySelectorAll("style")].filter((s) => s.textContent?.includes(":where(.plot-")).length)).toBeGreaterThan(0);
  expect(await batches.locator("svg").first().evaluate((svg) => getComputedStyle(svg).maxWidth)).toBe("100%");
  expect(problems).toEqual([]);
  await page.context().close();
});

it("the keyless log draws each cell as one rect with its title in it", async () => {
  const {page, problems} = await openPage(browser, inject("baseUrl"), PATH);
  await setNumber(page, "Keyless records", 1000);
  const keyless = card(page, "The sticky topic's log, batch by batch").locator(".log-view");
  await reveal(keyless);
  await expect.poll(() => keyless.getAttribute("data-hw").then((hw) => hw!.split(",").reduce((a, b) => a + Number(b), 0))).toBe(1000);
  // Keyless records carry no markers: every cell (a record, or a run of alike slivers) is a rect titled in itself.
  const cells = keyless.locator("svg rect.log-cell");
  expect(await cells.count()).toBeGreaterThan(0);
  expect(await keyless.locator("svg rect.log-cell > title").count()).toBe(await cells.count());
  expect(await keyless.locator("svg g:not(.log-partition) > rect.log-cell").count()).toBe(0);
  expect(problems).toEqual([]);
  await page.context().close();
});

it("the handler cell runs; an upsert by event id takes the duplicate effects to zero", async () => {
  const {page, problems} = await openPage(browser, inject("baseUrl"), PATH);
  const cell = page.locator(`.code-cell[data-cell-id=${HANDLER_CELL_ID}]`);
  const status = cell.locator(".code-cell-status");
  await reveal(cell);
  await page.waitForFunction((id) => document.querySelector(`.code-cell[data-cell-id=${id}] .code-cell-status`)?.getAttribute("data-status") === "ok", HANDLER_CELL_ID, {timeout: 15_000});
  await settle(page);
  const effects = card(page, "Your handler");
  expect(await text(effects)).toMatch(/[1-9]\d* duplicate effects?: \d+ charged twice/);
  // The lab's run of the same scenario counts the same deliveries as the cell.
  const seen = /\d+ deliveries of \d+ events/.exec(await text(effects))?.[0];
  expect(seen).toBeDefined();
  expect(await text(card(page, "The lab's insert handler"))).toContain(seen);
  expect(await text(cell.locator(".code-cell-logs"))).toMatch(/deliveries of 12 events/);

  const upsert = HANDLER_CELL_CODE.replace(
    "payments.push(event); // INSERT: one row per delivery",
    "const i = payments.findIndex((p) => p.eventId === event.eventId);\n  if (i === -1) payments.push(event);\n  else payments[i] = event;"
  );
  await cell.locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(upsert);
  await cell.locator(".code-cell-run").click();
  await expect.poll(() => text(effects), {timeout: 15_000}).toContain("0 duplicate effects: the handler is idempotent");
  expect(await status.getAttribute("data-status")).toBe("ok");
  // The lab's upsert agrees with the reader's.
  await control(page, "The lab's handler").getByText("upsert").click();
  await settle(page);
  expect(await text(card(page, "The lab's upsert handler"))).toContain("0 duplicate effects: the handler is idempotent");

  // A handler that breaks the result's shape gets a message, not a blank.
  await cell.locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText("({payments: 'none'})");
  await cell.locator(".code-cell-run").click();
  await page.waitForSelector("text=keep payments an array");
  await cell.locator(".code-cell-reset").click();
  expect(await cellErrors(page)).toEqual([]);
  expect(problems).toEqual([]);
  await page.context().close();
});

it("reads at phone width in dark mode", async () => {
  const {page, problems} = await openPage(browser, inject("baseUrl"), PATH, {colorScheme: "dark", width: 390});
  await reveal(page.locator(".code-cell").first()); // the editor loads when the reader comes (issue 15 §2)
  await page.waitForSelector(".code-cell-ready");
  await settle(page);
  const overflow = await page.$$eval("#observablehq-main svg", (svgs) => svgs.filter((s) => s.getBoundingClientRect().right > window.innerWidth + 1).length);
  expect(overflow).toBe(0);
  await screenshot(page, "ordering-and-idempotency-phone-dark");
  expect(await cellErrors(page)).toEqual([]);
  expect(problems).toEqual([]);
  await page.context().close();
});
