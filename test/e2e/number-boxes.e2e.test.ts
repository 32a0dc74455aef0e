// A number box (beside a slider, or a seed's on its own) given a value it cannot take: Observable
// Inputs drops it and says nothing, so the box showed the reader's text while the charts kept the
// last valid value. The page must say so under the box, keep the text as typed, and take it back
// once the box holds a value again.
import {afterAll, beforeAll, expect, inject, it} from "vitest";
import type {Browser, Page} from "playwright-core";
import {launchBrowser, openPage, reveal, settle} from "./harness.js";

let browser: Browser;
beforeAll(async () => void (browser = await launchBrowser()));
afterAll(async () => void (await browser?.close()));

/** The control (an Inputs form) labelled exactly `label`, and its number box. */
const control = (page: Page, label: string) => page.locator("form").filter({has: page.getByText(label, {exact: true})}).last();
const box = (page: Page, label: string) => control(page, label).locator("input[type=number]");
/** The note under a control: the element right after its form. */
const note = (page: Page, label: string) => control(page, label).locator("xpath=following-sibling::*[1][contains(@class, 'workbook-number-problem')]");
/** The note's text, "" when there is none. */
const noteText = async (page: Page, label: string) => ((await note(page, label).count()) ? await note(page, label).textContent() : "");

/** Types `text` into the box as a reader does, key by key, replacing what it held. */
async function type(page: Page, label: string, text: string) {
  await reveal(box(page, label));
  await box(page, label).click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  await page.keyboard.type(text);
  await settle(page);
}

it("a number box's dropped value is explained under it, the text stays, and a valid value clears it", async () => {
  const {page, problems} = await openPage(browser, inject("baseUrl"), "/event-driven-vs-request-driven");
  const rate = "Orders per second";

  // 9007199254740993 typed key by key: "90" applies, the rest is above the slider's 200.
  await type(page, rate, "9007199254740993");
  expect(await box(page, rate).inputValue()).toBe("9007199254740993");
  await expect.poll(() => noteText(page, rate)).toMatch(/200.*still using 90\b/);
  expect(await box(page, rate).getAttribute("aria-invalid")).toBe("true");

  // Not a number at all, and empty: said, and the last value still used.
  await type(page, rate, "-");
  await expect.poll(() => noteText(page, rate)).toMatch(/still using 90\b/);

  // A seed off its step of 1.
  await type(page, "Seed", "2.5");
  expect(await box(page, "Seed").inputValue()).toBe("2.5");
  await expect.poll(() => noteText(page, "Seed")).toMatch(/still using 2\b/);

  // "Try it" sets the controls as a whole (no input event on the box itself): the note goes too.
  await type(page, rate, "0");
  await expect.poll(() => noteText(page, rate)).toMatch(/still using/);
  await page.getByRole("button", {name: /^Try it/}).first().click();
  await settle(page);
  expect(await box(page, rate).inputValue()).not.toBe("0");
  expect(await note(page, rate).count()).toBe(0);

  // Valid again: the notes go and the values apply.
  await type(page, rate, "50");
  await type(page, "Seed", "7");
  expect(await note(page, rate).count()).toBe(0);
  expect(await note(page, "Seed").count()).toBe(0);
  expect(await box(page, rate).getAttribute("aria-invalid")).toBeNull();
  expect(problems).toEqual([]);
});

// The note is a role=status region: a screen reader announces each change to it, and may miss a
// message that comes in the same task as the region itself.
it("the note is added empty and filled after, an unchanged message is not rewritten, and others' aria-describedby stays", async () => {
  const {page, problems} = await openPage(browser, inject("baseUrl"), "/event-driven-vs-request-driven");
  const rate = "Orders per second";
  // The text of each note when it was added, seen before any later task could fill it.
  await page.evaluate(() => {
    const w = window as unknown as {addedNoteTexts: string[]};
    w.addedNoteTexts = [];
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node instanceof HTMLElement && node.classList.contains("workbook-number-problem")) w.addedNoteTexts.push(node.textContent ?? "");
        }
      }
    }).observe(document.body, {childList: true, subtree: true});
  });
  // A description someone else gave the box.
  await reveal(box(page, rate));
  await box(page, rate).evaluate((input) => input.setAttribute("aria-describedby", "someone-elses-hint"));

  await type(page, rate, "300");
  await expect.poll(() => noteText(page, rate)).toMatch(/200.*still using 30\b/);
  // (Emptied and retyped, the box was flagged twice: every note came empty.)
  expect([...new Set(await page.evaluate(() => (window as unknown as {addedNoteTexts: string[]}).addedNoteTexts))]).toEqual([""]);
  const noteId = await note(page, rate).getAttribute("id");
  expect((await box(page, rate).getAttribute("aria-describedby"))?.split(" ").sort()).toEqual([noteId, "someone-elses-hint"].sort());

  // More keys giving the same message leave the note's text alone.
  const text = await noteText(page, rate);
  await note(page, rate).evaluate((element) => {
    const w = window as unknown as {noteMutations: number};
    w.noteMutations = 0;
    new MutationObserver((records) => (w.noteMutations += records.length)).observe(element, {childList: true, characterData: true, subtree: true});
  });
  await page.keyboard.type("00");
  await box(page, rate).dispatchEvent("input");
  await settle(page);
  expect(await box(page, rate).inputValue()).toBe("30000");
  expect(await noteText(page, rate)).toBe(text);
  expect(await page.evaluate(() => (window as unknown as {noteMutations: number}).noteMutations)).toBe(0);

  // Valid again: the note's id goes from the box, someone else's stays.
  await type(page, rate, "50");
  expect(await note(page, rate).count()).toBe(0);
  expect(await box(page, rate).getAttribute("aria-describedby")).toBe("someone-elses-hint");
  expect(problems).toEqual([]);
});

it("the value still used is shown without float noise", async () => {
  const {page, problems} = await openPage(browser, inject("baseUrl"), "/event-driven-vs-request-driven");
  // An Inputs-like form whose value carries float noise (a fractional step's arithmetic can).
  await page.evaluate(() => {
    const form = document.createElement("form");
    form.className = "inputs-test";
    form.innerHTML = "<label>Share <input type=number min=0 max=1 step=any></label>";
    Object.defineProperty(form, "value", {value: 0.1 + 0.2});
    document.querySelector("#observablehq-main")!.prepend(form);
  });
  await type(page, "Share", "2");
  await expect.poll(() => noteText(page, "Share")).toMatch(/still using 0\.3\.$/);
  expect(problems).toEqual([]);
});

it("the note does not print, as its control does not", async () => {
  const {page, problems} = await openPage(browser, inject("baseUrl"), "/event-driven-vs-request-driven");
  await type(page, "Seed", "2.5");
  await expect.poll(() => noteText(page, "Seed")).toMatch(/still using/);
  await page.emulateMedia({media: "print"});
  expect(await note(page, "Seed").isVisible()).toBe(false);
  expect(problems).toEqual([]);
});
