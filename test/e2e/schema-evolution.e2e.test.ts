// 11.5 as a reader uses it: every experiment renders; the verdicts follow an edited schema; an
// invalid schema shows its position or reason; each example picked loads; the registry
// refuses an incompatible version; the deploy-order charts change with the order; the byte
// inspector shows the bytes of the typed value and names a field that does not fit; the code
// cell runs. Screenshots at desktop and phone width, light and dark.
import {afterAll, beforeAll, expect, inject, it} from "vitest";
import type {Browser, Locator, Page} from "playwright-core";
import {cellErrors, launchBrowser, openPage, reveal, screenshot, settle} from "./harness.js";

let browser: Browser;
beforeAll(async () => void (browser = await launchBrowser()));
afterAll(async () => void (await browser?.close()));

const PATH = "/schema-evolution";

const card = (page: Page, title: string | RegExp): Locator => page.locator(".card").filter({has: page.locator("h2", {hasText: title})});
const text = async (l: Locator) => (await l.textContent()) ?? "";
const verdictCell = (page: Page, level: string, version: string) => page.locator(`.schema-verdicts tr[data-level="${level}"] td[data-version="${version}"]`);

/** Replaces a version's schema text as a reader typing would (one input event). */
async function editSchema(page: Page, version: string, edit: (text: string) => string) {
  const area = page.locator(`textarea[data-version="${version}"]`);
  await area.fill(edit(await area.inputValue()));
  await settle(page);
}

/** Picks an example in the evolution experiment's form: the editor loads it. */
async function pickExample(page: Page, label: string) {
  await page.locator("form").filter({has: page.locator("label", {hasText: /^Example$/})}).locator("select").selectOption({label});
  await settle(page);
}

it("schema evolution: every experiment renders, reacts to its controls and explains bad input", async () => {
  const {page, problems, scriptBytes} = await openPage(browser, inject("baseUrl"), PATH);
  console.log(`schema-evolution: ${await scriptBytes()} script bytes`);

  // The original v1 → v2 → v3: v3 is BACKWARD but not BACKWARD_TRANSITIVE, with the field named.
  expect(await text(verdictCell(page, "FULL", "v2"))).toContain("✓");
  expect(await text(verdictCell(page, "BACKWARD", "v3"))).toContain("✓");
  expect(await text(verdictCell(page, "BACKWARD_TRANSITIVE", "v3"))).toContain("v3 can't read v1");
  expect(await text(page.locator(".schema-reasons"))).toContain("deliveryType");

  // Correction 1, live: the new reader fills the default into an old record.
  const both = card(page, "One record each way");
  expect(await text(both)).toContain('"deliveryType":"STANDARD"');

  // Editing v2 (the new field loses its default) flips its verdicts.
  await editSchema(page, "v2", (t) => t.replace(/,\s*"default": "STANDARD"/, ""));
  expect(await text(verdictCell(page, "BACKWARD", "v2"))).toContain("v2 can't read v1");
  expect(await text(verdictCell(page, "FORWARD", "v2"))).toContain("✓");
  expect(await text(both)).toContain("✗");
  // Changing the registry's level keeps the reader's edit: only a new example reloads the editor.
  const level = page.locator("form").filter({hasText: "Compatibility of orders-value"}).locator("select");
  await level.selectOption("FORWARD");
  await settle(page);
  expect(await page.locator('textarea[data-version="v2"]').inputValue()).not.toContain('"default": "STANDARD"');
  expect(await text(verdictCell(page, "BACKWARD", "v2"))).toContain("v2 can't read v1");
  await level.selectOption("BACKWARD");
  await settle(page);

  // Invalid JSON and invalid Avro are shown under the box, with the position or the reason.
  await editSchema(page, "v2", (t) => t.replace('"name": "orderId",', '"name": "orderId"'));
  const status = page.locator(".schema-version").filter({has: page.locator('textarea[data-version="v2"]')}).locator(".schema-status");
  expect(await text(status)).toMatch(/Not valid JSON, line \d+, column \d+/);
  expect(await text(page.locator(".schema-verdicts"))).toContain("v2 is not a valid schema");
  await editSchema(page, "v2", (t) => t.replace('"name": "orderId"', '"name": "orderId",').replace('"type": "int"', '"type": "integer"'));
  expect(await text(status)).toContain('integer"');

  // Each example picked loads into the editor and gets the verdict its lesson claims.
  const claims: [string, string, string][] = [
    ["Add a field with a default", "FULL", "✓"],
    ["Add a field without a default", "BACKWARD", "✗"],
    ["Delete a field that has a default", "FULL", "✓"],
    ["Delete a field without a default", "FORWARD", "✗"],
    ["Rename a field", "BACKWARD", "✗"],
    ["Rename with an alias", "BACKWARD", "✓"],
    ["Widen int to long", "FORWARD", "✗"],
    ["Change a type", "BACKWARD", "✗"]
  ];
  for (const [label, level, mark] of claims) {
    await pickExample(page, label);
    expect.soft(await text(verdictCell(page, level, "v2")), label).toContain(mark);
    expect.soft(await text(page.locator(".schema-lesson")), label).toContain(label);
  }
  expect(await page.locator(".schema-rules").first().locator("tbody tr").count()).toBe(8);

  // The registry refuses an incompatible version, with the reason.
  await pickExample(page, "Original v1 → v2 → v3");
  expect(await page.locator('textarea[data-version="v3"]').inputValue()).toContain("v3 makes deliveryType required");
  await page.locator("form").filter({hasText: "Compatibility of orders-value"}).locator("select").selectOption("FULL_TRANSITIVE");
  await settle(page);
  const registry = card(page, "Subject orders-value");
  expect(await text(registry)).toContain("409 Conflict");
  expect(await text(registry)).toContain("READER_FIELD_MISSING_DEFAULT_VALUE");
  expect(await registry.locator("table tbody tr").count()).toBe(2);
  await page.locator("form").filter({hasText: "Compatibility of orders-value"}).locator("select").selectOption("BACKWARD");
  await settle(page);
  expect(await registry.locator("table tbody tr").count()).toBe(3);

  // Deploy order: producers first breaks the BACKWARD change, consumers first the FORWARD one.
  const backward = card(page, "A BACKWARD change");
  const forward = card(page, "A FORWARD change");
  await reveal(backward);
  await expect.soft(backward.locator("svg").first().isVisible()).resolves.toBe(true);
  expect(await text(backward.locator("h3"))).toMatch(/[1-9]\d* of \d+ records failed/);
  expect(await text(forward.locator("h3"))).toContain("0 of");
  await page.locator("form").filter({hasText: "Upgrade"}).getByText("consumers first", {exact: true}).click();
  await settle(page);
  expect(await text(backward.locator("h3"))).toContain("0 of");
  expect(await text(forward.locator("h3"))).toMatch(/[1-9]\d* of \d+ records failed/);

  // The byte inspector shows the bytes of the typed value, and names a field that does not fit.
  const bytes = card(page, "The framed bytes");
  const value = page.locator("form").filter({hasText: "Value (JSON)"}).locator("textarea");
  await value.fill(JSON.stringify({orderId: "o-1", customerId: "c-7", items: 300, total: 42.5, currency: "EUR", deliveryType: "EXPRESS"}));
  await settle(page);
  const hex = (await bytes.locator(".schema-byte").allTextContents()).map((t) => t.slice(-2));
  // magic, schema id 3 (v3), "o-1" (length 3 → 06), ... items 300 → zig-zag 600 → d8 04.
  expect(hex.slice(0, 9)).toEqual(["00", "00", "00", "00", "03", "06", "6f", "2d", "31"]);
  expect(hex.join(" ")).toContain("d8 04");
  await value.fill(JSON.stringify({orderId: "o-1", customerId: 7, items: 3, total: 42.5, currency: "EUR", deliveryType: "DRONE"}));
  await settle(page);
  await expect.poll(() => text(bytes)).toContain("customerId = 7: expected string");
  expect(await text(bytes)).toContain('"DRONE"');
  await value.fill("{orderId: 1}");
  await settle(page);
  await expect.poll(() => text(bytes)).toContain("Not valid JSON");

  // The code cell ran by itself once the reader came to it: both readings, the default filled in by the new reader.
  await reveal(page.locator(".code-cell").first());
  await page.waitForFunction(() => document.querySelector(".code-cell-status")?.getAttribute("data-status") === "ok", null, {timeout: 20_000});
  expect(await text(page.locator("tr", {hasText: "BACKWARD: new reader, old data"}))).toContain('"deliveryType":"STANDARD"');

  expect(await cellErrors(page)).toEqual([]);
  expect(problems).toEqual([]);
  await page.context().close();
});

it.each([
  ["light", 1200],
  ["dark", 1200],
  ["light", 390],
  ["dark", 390]
] as const)("schema evolution renders in %s mode at %i px without errors", async (colorScheme, width) => {
  const {page, problems} = await openPage(browser, inject("baseUrl"), PATH, {colorScheme, width});
  expect(await cellErrors(page)).toEqual([]);
  expect(problems).toEqual([]);
  expect(await page.locator(".schema-byte").count()).toBeGreaterThan(10);
  // At phone width nothing overflows the page sideways (wide tables scroll inside their box).
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(1);
  await screenshot(page, `schema-evolution-${colorScheme}-${width}`);
  await page.context().close();
});
