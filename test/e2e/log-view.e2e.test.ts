// The player's controls on a flow diagram (11.1) and a log view (11.4): Step past the end starts
// the run again, Back undoes one step, the scrubber and Rewind move the clock, and the
// visually hidden live region says what each step did. The pages open with reduced motion, so
// nothing plays by itself and each view starts on a still frame.
import {afterAll, beforeAll, expect, inject, it} from "vitest";
import type {Browser, Locator, Page} from "playwright-core";
import {cellErrors, launchBrowser, openPage, reveal, settle} from "./harness.js";

let browser: Browser;
beforeAll(async () => void (browser = await launchBrowser()));
afterAll(async () => void (await browser?.close()));

const card = (page: Page, title: string): Locator => page.locator(".card").filter({has: page.locator("h2", {hasText: title})});

/** The player's state as its element exposes it, and what its live region says. */
async function state(view: Locator) {
  const player = view.locator(".player");
  return {
    step: Number(await player.getAttribute("data-step")),
    time: Number(await player.getAttribute("data-time")),
    said: (await player.locator(".player-live").textContent()) ?? "",
    clock: (await player.locator("output").textContent()) ?? ""
  };
}

async function press(view: Locator, name: string) {
  await view.getByRole("button", {name, exact: true}).click();
}

/** Moves the scrubber as a reader's drag would: input events while dragging, change on release. */
async function scrub(view: Locator, time: number) {
  await view.locator('input[type="range"]').evaluate((input: HTMLInputElement, t) => {
    input.value = String(t);
    input.dispatchEvent(new Event("input", {bubbles: true}));
    input.dispatchEvent(new Event("change", {bubbles: true}));
  }, time);
}

it("11.1's flow diagram: Step past the end starts again, Back, scrub and Rewind, each said in the live region", async () => {
  const {page, problems} = await openPage(browser, inject("baseUrl"), "/event-driven-vs-request-driven");
  const view = page.locator(".flow-diagram").first();
  await reveal(view);
  const live = view.locator('.player-live[aria-live="polite"]');
  expect(await live.count()).toBe(1);
  const end = await state(view);
  expect(end.step).toBeGreaterThan(2);

  await press(view, "Step");
  const first = await state(view);
  expect(first.step).toBe(1);
  expect(first.said).toMatch(/^From the start again\. Step 1 of \d+: t = [\d.]+ s: .+ (leaves|reaches) /);
  await press(view, "Step");
  const second = await state(view);
  expect(second.step).toBe(2);
  expect(second.time).toBeGreaterThanOrEqual(first.time);
  await press(view, "Back");
  const back = await state(view);
  expect(back).toMatchObject({step: 1, time: first.time});
  expect(back.said).toContain("Back to step 1");

  await scrub(view, end.time / 2);
  const middle = await state(view);
  expect(middle.time).toBeCloseTo(end.time / 2, 3);
  expect(middle.step).toBeGreaterThan(0);
  expect(middle.step).toBeLessThan(end.step);
  expect(middle.said).toMatch(/^At t = /);

  await press(view, "Rewind");
  expect(await state(view)).toMatchObject({step: 0, time: 0});
  expect((await state(view)).said).toContain("Rewound to the start");

  // From the last step, Step goes on: it starts the run again rather than doing nothing.
  await scrub(view, end.time);
  expect((await state(view)).step).toBe(end.step);
  await press(view, "Step");
  expect((await state(view)).step).toBe(1);
  expect(problems).toEqual([]);
  expect(await cellErrors(page)).toEqual([]);
});

it("11.4's log view around the crash: the crash is a step, Back brings billing-a's position back, Rewind empties the log", async () => {
  const {page, problems} = await openPage(browser, inject("baseUrl"), "/ordering-and-idempotency");
  // The card first: its log view is made as the reader comes near it.
  const crash = card(page, "The partition's log just before the crash");
  await reveal(crash);
  const view = crash.locator(".log-view");
  await reveal(view);
  const titles = () => view.locator("svg title").allTextContents();
  const before = await state(view);
  expect(before.step).toBeGreaterThan(0);
  // Before the crash: the group's committed offset and billing-a's position further on.
  const committed = (await titles()).find((t) => t.startsWith("billing committed offset"));
  const position = (await titles()).find((t) => /^billing-a.*: position \d+$/.test(t));
  expect(committed).toBeDefined();
  expect(position).toBeDefined();
  expect(Number(position!.split(" ").at(-1))).toBeGreaterThan(Number(committed!.split(" ").at(-1)));

  await press(view, "Step");
  const crashed = await state(view);
  expect(crashed.step).toBe(before.step + 1);
  expect(crashed.said).toMatch(/billing-a\S* crashed/);
  expect((await titles()).some((t) => /^billing-a.*: position/.test(t))).toBe(false);

  await press(view, "Back");
  // The same step done: the clock shows that step's time (at or before the frame the page opened on).
  const back = await state(view);
  expect(back.step).toBe(before.step);
  expect(back.time).toBeLessThanOrEqual(before.time);
  expect(back.said).toContain("undone");
  expect((await titles()).find((t) => /^billing-a.*: position \d+$/.test(t))).toBe(position);

  await press(view, "Rewind");
  expect((await state(view)).step).toBe(0);
  expect(await view.getAttribute("data-hw")).toBe("0");
  await press(view, "Step");
  expect((await state(view)).said).toMatch(/^Step 1 of \d+: /);

  // Scrubbing to the end shows every record: the high watermark the run reached.
  const max = Number(await view.locator('input[type="range"]').getAttribute("max"));
  await scrub(view, max);
  const hw = Number(await view.getAttribute("data-hw"));
  expect(hw).toBeGreaterThan(Number(position!.split(" ").at(-1)));
  await press(view, "Step");
  expect((await state(view)).said).toContain("From the start again");

  // The open transaction's log view starts where the last stable offset trails the high watermark.
  const open = card(page, "The same partition as a log, with a transaction open");
  await reveal(open);
  const txn = open.locator(".log-view");
  const [lso] = (await txn.getAttribute("data-lso"))!.split(",").map(Number);
  const [high] = (await txn.getAttribute("data-hw"))!.split(",").map(Number);
  expect(lso).toBeLessThan(high);
  expect(problems).toEqual([]);
  expect(await cellErrors(page)).toEqual([]);
});

it("11.3: a cell that ends with logView(sim.trace) draws its run's log", async () => {
  const {page, problems} = await openPage(browser, inject("baseUrl"), "/brokers");
  const cell = page.locator(".code-cell").filter({hasText: "logView(sim.trace)"});
  await reveal(cell);
  await page.waitForSelector(".log-view:has(text.log-group)", {timeout: 20_000});
  await settle(page);
  const drawn = page.locator(".log-view").filter({has: page.locator("text.log-group", {hasText: "analytics"})});
  expect(await drawn.count()).toBeGreaterThan(0);
  expect(await drawn.last().getAttribute("data-hw")).toMatch(/^\d+,\d+$/);
  expect(problems).toEqual([]);
  expect(await cellErrors(page)).toEqual([]);
});
