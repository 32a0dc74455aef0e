// The 11.6 quiz in the browser: right and wrong answers give feedback, every "Prove it" appears
// only once its question is answered, runs and shows a result and the question's claim that hold,
// in light and dark mode; another seed runs again; a broken quiz file shows its problems.
import {readFileSync} from "node:fs";
import {afterAll, beforeAll, describe, expect, inject, it} from "vitest";
import type {Browser} from "playwright-core";
import {proofById} from "../../src/components/labs/quiz/index.js";
import {cellText} from "../../src/components/labs/quiz/quiz.js";
import {cellErrors, launchBrowser, openPage, settle} from "./harness.js";

interface Question {
  id: string;
  see?: string;
  choices: string[];
  answer: number;
  proof?: string;
}
const questions: Question[] = JSON.parse(readFileSync("data/quiz.json", "utf8")).questions;

let browser: Browser;
beforeAll(async () => void (browser = await launchBrowser()));
afterAll(async () => void (await browser?.close()));

describe.each(["light", "dark"] as const)("the quiz in %s mode", (colorScheme) => {
  it("answers give feedback and every proof runs", async () => {
    const {page, problems} = await openPage(browser, inject("baseUrl"), "/check-your-understanding", {colorScheme});
    expect(await page.locator(".quiz-card").count()).toBe(questions.length);
    await expect(page.textContent(".quiz-score")).resolves.toContain(`${questions.length} questions`);

    for (const [n, q] of questions.entries()) {
      const card = page.locator(`section[data-question="${q.id}"]`);
      const wrong = (q.answer + 1) % q.choices.length;
      // Nothing of the proof is in the page before an answer: its claim would give the answer away.
      expect(await card.locator(".quiz-proof, [data-claim]").count()).toBe(0);
      await card.locator(`input[type=radio][value="${wrong}"]`).check();
      await expect(card.locator(".quiz-verdict").textContent()).resolves.toContain("Not quite");
      expect(await card.locator(".quiz-feedback").isVisible()).toBe(true);
      expect(await card.locator("button.quiz-prove").count()).toBe(q.proof ? 1 : 0);
      expect(await card.locator(".quiz-choice.quiz-wrong").count()).toBe(1);
      if (q.see) expect(await card.locator(".quiz-see a").getAttribute("href")).toBe(`.${q.see.replace(/^([^#]*)/, "$1.html")}`);
      await card.locator(`input[type=radio][value="${q.answer}"]`).check();
      await expect(card.locator(".quiz-verdict").textContent()).resolves.toContain("Right");
      expect(await card.locator(".quiz-choice.quiz-wrong").count()).toBe(0);
      await expect(page.textContent(".quiz-score")).resolves.toBe(`${n + 1} of ${questions.length} answered, ${n + 1} right.`);

      if (!q.proof) continue;
      await card.locator("button.quiz-prove").click();
      const result = card.locator(".quiz-proof-result");
      await result.waitFor({timeout: 20_000});
      expect(await result.getAttribute("data-holds")).toBe("true");
      // Same seed, same table: the browser's run matches the run in Node cell for cell.
      const expected = await proofById(q.proof)!.run();
      const cells = await result.locator("tbody tr").evaluateAll((rows) => rows.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
      expect(cells).toEqual(expected.rows.map((row) => expected.columns.map((c) => cellText(row[c]))));
      // The question's claim, checked against this run.
      const claim = card.locator(`[data-claim="${q.id}"]`);
      expect(await claim.getAttribute("data-holds")).toBe("true");
      expect(await card.locator("[data-claim]").count()).toBe(1);
      expect(await card.locator(".workbook-error").count()).toBe(0);
    }
    await settle(page);
    expect(await cellErrors(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

it("another seed runs the proof again, and Try it brings the claim's seed back", async () => {
  const {page, problems} = await openPage(browser, inject("baseUrl"), "/check-your-understanding");
  const q = questions.find((question) => question.proof === "work-queue")!;
  const card = page.locator(`section[data-question="${q.id}"]`);
  await card.locator(`input[type=radio][value="${q.answer}"]`).check();
  await card.locator("button.quiz-prove").click();
  await card.locator(".quiz-proof-result").waitFor({timeout: 20_000});
  const claim = card.locator(`[data-claim="${q.id}"]`);
  expect(await claim.getAttribute("data-state")).toBe("active");
  await card.locator(".quiz-proof-controls input[type=number]").fill("8");
  await card.locator(".quiz-proof-controls input[type=number]").dispatchEvent("input");
  await settle(page);
  await expect.poll(() => card.locator(".quiz-holds small").textContent()).toContain("seed 8");
  expect(await claim.getAttribute("data-state")).toBe("idle");
  await claim.getByRole("button", {name: /^Try it/}).click();
  await settle(page);
  await expect.poll(() => claim.getAttribute("data-state")).toBe("active");
  expect(await claim.getAttribute("data-holds")).toBe("true");
  expect(await card.locator(".quiz-holds small").textContent()).toContain("seed 7");
  expect(problems).toEqual([]);
  await page.context().close();
});

it("every 'experiment with it' link leads to a page and section that exist", async () => {
  const context = await browser.newContext();
  for (const see of new Set(questions.flatMap((q) => (q.see ? [q.see] : [])))) {
    const [path, anchor] = see.split("#");
    const response = await context.request.get(new URL(`.${path}`, inject("baseUrl")).href);
    expect(response.status(), see).toBe(200);
    if (anchor) expect(await response.text(), see).toContain(`id="${anchor}"`);
  }
  await context.close();
});

it("a link from the key takeaways to a question lands on its card", async () => {
  const {page, problems} = await openPage(browser, inject("baseUrl"), "/key-takeaways");
  const links = page.locator('#observablehq-main a[href*="check-your-understanding.html#"]');
  const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
  expect(hrefs.length).toBeGreaterThan(0);
  for (const href of hrefs) {
    await page.goto(new URL(href, page.url()).href);
    await settle(page);
    const id = decodeURIComponent(new URL(page.url()).hash.slice(1));
    expect(questions.map((q) => q.id), href).toContain(id);
    // At the top of the window, below the room the page's scroll-padding keeps.
    const below = await page.locator(`section[data-question="${id}"]`).evaluate((card) => card.getBoundingClientRect().top - parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop));
    expect(Math.abs(below), href).toBeLessThan(2);
    expect(await page.locator(`[id="${id}"]`).count(), href).toBe(1); // the card, and nothing else of that id
  }
  expect(await cellErrors(page)).toEqual([]);
  expect(problems).toEqual([]);
  await page.context().close();
});

it("a broken quiz file shows what is wrong instead of a blank page", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.route(/\/_file\/data\/quiz\.[^/]*json$/, (route) =>
    route.fulfill({contentType: "application/json", body: JSON.stringify({questions: [{id: "Bad Id", section: "11.4", origin: "module", question: "?", choices: ["a"], answer: 3, explanation: "x", anwser: 1}]})})
  );
  await page.goto(new URL("check-your-understanding", inject("baseUrl")).href);
  await settle(page);
  const message = await page.locator(".quiz-file-error").textContent();
  expect(message).toContain("data/quiz.json");
  expect(message).toContain('unknown field "anwser"');
  expect(message).toContain(`questions[0] ("Bad Id"): id must be lower-case`);
  expect(message).toContain("choices must be an array of 2 to 8 texts");
  expect(await cellErrors(page)).toEqual([]);
  await context.close();
});
