// The code cells in a browser: edit and run, the time limit, error lines, share links, Reset,
// and every playground starter running cleanly.
import {afterAll, beforeAll, expect, inject, it} from "vitest";
import type {Browser, Page} from "playwright-core";
import {snippets} from "../../src/components/cells/snippets.js";
import {cellErrors, launchBrowser, openPage} from "./harness.js";

let browser: Browser;
beforeAll(async () => void (browser = await launchBrowser()));
afterAll(async () => void (await browser?.close()));

const cell = (page: Page) => page.locator(".code-cell").first();
const status = (page: Page) => cell(page).locator(".code-cell-status");
const editorText = (page: Page) => cell(page).locator(".cm-line").allTextContents().then((lines) => lines.join("\n"));

/** The editor loads when the reader comes to the cell (issue 15 §2): point at its code. */
async function awaitEditor(page: Page) {
  await page.locator(".code-cell-editor").first().hover();
  await page.waitForSelector(".code-cell-ready");
}

async function openPlayground(hash = "") {
  const opened = await openPage(browser, inject("baseUrl"), "/playground", {hash});
  await awaitEditor(opened.page);
  return opened;
}

/** Replaces the editor's code as a reader would: select all, then type. */
async function setCode(page: Page, code: string) {
  await cell(page).locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(code);
}

async function waitForStatus(page: Page, wanted: string, timeout = 10_000) {
  await page.waitForFunction((s) => document.querySelector(".code-cell-status")?.getAttribute("data-status") === s, wanted, {timeout});
}

it("typing into the editor and running shows the output and the result", async () => {
  const {page, problems} = await openPlayground();
  await waitForStatus(page, "ok"); // the starter ran by itself once the editor loaded
  await setCode(page, "");
  // Completion offers the scope's names while typing.
  await page.keyboard.type("Kaf");
  await page.keyboard.press("Control+Space");
  await page.waitForSelector(".cm-tooltip-autocomplete");
  expect(await page.locator(".cm-tooltip-autocomplete").textContent()).toContain("Kafka");
  await page.keyboard.press("Escape");
  await setCode(page, "");
  await page.keyboard.type('console.log("hello from the test")\n');
  await page.keyboard.insertText("const rows = [1, 2, 3].map((n: number) => ({n, square: n * n}))\nrows");
  await page.keyboard.press("Shift+Enter");
  await page.waitForFunction(() => document.querySelector(".code-cell-logs")?.textContent?.includes("hello from the test"));
  await waitForStatus(page, "ok");
  const table = page.locator("#observablehq-main form table");
  await table.waitFor();
  expect(await table.textContent()).toContain("square");
  expect(await table.textContent()).toContain("9");
  expect(await cellErrors(page)).toEqual([]);
  expect(problems).toEqual([]);
  await page.context().close();
});

it("an endless loop is stopped at the time limit, and the page responds meanwhile", async () => {
  const {page, problems} = await openPlayground();
  await waitForStatus(page, "ok");
  expect(await cell(page).locator(".code-cell-limit").textContent()).toBe("time limit 2 s");
  await setCode(page, "let i = 0;\nwhile (true) { i++; }");
  const start = Date.now();
  await cell(page).locator(".code-cell-run").click();
  await waitForStatus(page, "running");
  // A click while the loop spins: Share fills its link field at once.
  await cell(page).locator(".code-cell-share").click();
  await page.waitForSelector(".code-cell-link:not([hidden])", {timeout: 1000});
  expect(await status(page).getAttribute("data-status")).toBe("running");
  await waitForStatus(page, "timeout", 5000);
  const elapsed = Date.now() - start;
  expect(elapsed).toBeGreaterThanOrEqual(1900);
  expect(elapsed).toBeLessThan(4500);
  expect(await cell(page).locator(".code-cell-error").textContent()).toContain("stopped after 2 s");
  expect(problems).toEqual([]);
  await page.context().close();
});

it("syntax and runtime errors name the editor's line", async () => {
  const {page, problems} = await openPlayground();
  await waitForStatus(page, "ok");
  await setCode(page, "const a: number = 1;\nconst b = ;\nb");
  await page.keyboard.press("Shift+Enter");
  await waitForStatus(page, "error");
  expect(await cell(page).locator(".code-cell-error").textContent()).toMatch(/^SyntaxError on line 2, column \d+:/);
  expect(await cell(page).locator(".cm-error-line").count()).toBe(1);

  await setCode(page, "type Order = {id: string};\nconst order: Order | null = null;\n\nconsole.log((order as any).id)");
  await page.keyboard.press("Shift+Enter");
  await page.waitForFunction(() => document.querySelector(".code-cell-error")?.textContent?.startsWith("TypeError"));
  expect(await cell(page).locator(".code-cell-error").textContent()).toMatch(/^TypeError on line 4, column \d+:/);
  // A run after the error clears it.
  await setCode(page, "40 + 2");
  await page.keyboard.press("Shift+Enter");
  await waitForStatus(page, "ok");
  expect(await cell(page).locator(".code-cell-error").isHidden()).toBe(true);
  expect(await page.locator(".code-cell-value").textContent()).toBe("42");
  expect(problems).toEqual([]);
  await page.context().close();
});

it("a share link restores the code and parameters and runs nothing until asked", async () => {
  const code = 'console.log("shared run");\n[{seed: params.seed, draw: sim.random.int(1000)}]';
  const seedInput = (page: Page) => page.locator("#observablehq-main input[type=text]:not(.code-cell-link)").first();
  const first = await openPlayground();
  await waitForStatus(first.page, "ok");
  await seedInput(first.page).fill("7");
  await seedInput(first.page).press("Enter");
  await first.page.waitForFunction(() => document.querySelector(".code-cell-params")?.textContent === "params: seed = 7");
  await first.page.waitForSelector(".code-cell-ready");
  await setCode(first.page, code);
  await cell(first.page).locator(".code-cell-share").click();
  await first.page.waitForSelector(".code-cell-link:not([hidden])");
  const link = await first.page.locator(".code-cell-link").inputValue();
  expect(link).toMatch(/#cell=lab-[\w-]+&code=[\w-]+$/);
  await first.page.context().close();

  const {page, problems} = await openPlayground(new URL(link).hash);
  expect(await editorText(page)).toBe(code);
  expect(await seedInput(page).inputValue()).toBe("7");
  expect(await cell(page).locator(".code-cell-notice").textContent()).toContain("Opened from a shared link");
  await page.waitForTimeout(500);
  expect(await status(page).getAttribute("data-status")).toBe("idle");
  expect(await page.locator(".code-cell-empty").textContent()).toContain("nothing has run");
  // Moving the slider re-creates the cell: it keeps the shared code and still waits for Run.
  await seedInput(page).fill("8");
  await seedInput(page).press("Enter");
  await page.waitForFunction(() => document.querySelector(".code-cell-params")?.textContent === "params: seed = 8");
  await page.waitForSelector(".code-cell-ready");
  await page.waitForTimeout(300);
  expect(await editorText(page)).toBe(code);
  expect(await status(page).getAttribute("data-status")).toBe("idle");
  await cell(page).locator(".code-cell-run").click();
  await waitForStatus(page, "ok");
  expect(await cell(page).locator(".code-cell-logs").textContent()).toContain("shared run");
  expect(await page.locator("#observablehq-main form table").textContent()).toMatch(/seed\s*draw\s*8/);
  expect(await cellErrors(page)).toEqual([]);
  expect(problems).toEqual([]);
  await page.context().close();
});

it("edits persist in this browser, and Reset restores the original", async () => {
  const {page, problems} = await openPlayground();
  await waitForStatus(page, "ok");
  const original = await editorText(page);
  expect(original).toBe(snippets[0].code);
  await setCode(page, "// my version\n1 + 1");
  await page.reload();
  await awaitEditor(page);
  expect(await editorText(page)).toBe("// my version\n1 + 1");
  expect(await cell(page).locator(".code-cell-notice").textContent()).toContain("Your edited version");
  await cell(page).locator(".code-cell-reset").click();
  expect(await editorText(page)).toBe(original);
  await page.reload();
  await awaitEditor(page);
  expect(await editorText(page)).toBe(original);
  expect(problems).toEqual([]);
  await page.context().close();
});

it("every playground starter runs without error", async () => {
  const {page, problems, scriptBytes} = await openPlayground();
  for (const snippet of snippets) {
    await page.locator("#observablehq-main select").first().selectOption({label: snippet.title});
    await page.waitForFunction((id) => document.querySelector(".code-cell")?.getAttribute("data-cell-id") === `lab-${id}`, snippet.id);
    await page.waitForSelector(".code-cell-ready");
    await page.waitForFunction(() => ["ok", "error", "timeout"].includes(document.querySelector(".code-cell-status")?.getAttribute("data-status") ?? ""));
    expect(await cell(page).locator(".code-cell-error").textContent(), snippet.title).toBe("");
    expect(await status(page).getAttribute("data-status"), snippet.title).toBe("ok");
    // A starter that returns an arquero table gets it drawn as a table.
    if (snippet.id.startsWith("tables-")) await page.locator("#observablehq-main form table").first().waitFor({timeout: 5000});
  }
  console.log(`playground script bytes after running every starter: ${await scriptBytes()}`);
  expect(await cellErrors(page)).toEqual([]);
  expect(problems).toEqual([]);
  await page.context().close();
});
