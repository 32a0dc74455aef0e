// Every claim of every lab file, pressed in the browser: "Try it" sets the controls, the page
// re-runs the lab, and the claim turns active with its verdict. The numbers it highlights must
// be the ones Node observed for the same claim (one seed, the same run in Node and the browser).
import {afterAll, beforeAll, describe, expect, inject, it} from "vitest";
import type {Browser} from "playwright-core";
import {cellErrors, launchBrowser, openPage, settle} from "./harness.js";
import {labNames, loadLab, runLabClaims, type ClaimReport} from "../../scripts/claims.js";

let browser: Browser;
beforeAll(async () => void (browser = await launchBrowser()));
afterAll(async () => void (await browser?.close()));

const labs = await Promise.all(labNames().map(async (name) => {
  const lab = await loadLab(name);
  return {name, page: lab.scenario.page, reports: await runLabClaims(lab)};
}));

describe("claims in the browser", () => {
  it("there are claims to press", () => {
    expect(labs.flatMap((l) => l.reports).length).toBeGreaterThan(0);
  });

  for (const {name, page: path, reports} of labs) {
    it(`${path}: every "Try it" of data/scenarios/${name}.json shows its claim holding, with Node's numbers`, async () => {
      const {page, problems} = await openPage(browser, inject("baseUrl"), path);
      await openGates(page);
      for (const report of reports) {
        const item = page.locator(`[data-claim="${report.id}"]`);
        await item.first().waitFor({state: "attached", timeout: 20_000}).catch(() => undefined);
        await expect(item.count(), `claim ${report.id} is on the page`).resolves.toBe(1);
        if ((await item.getAttribute("data-state")) !== "active") {
          await item.getByRole("button", {name: /^Try it/}).click();
          await settle(page);
        }
        expect(await item.getAttribute("data-state"), `claim ${report.id} is active after Try it`).toBe("active");
        expect(await item.getAttribute("data-holds"), `claim ${report.id} holds in the browser`).toBe("true");
        expect(await highlighted(item), `claim ${report.id}: the highlighted numbers`).toEqual(expected(report));
      }
      expect(await cellErrors(page)).toEqual([]);
      expect(problems).toEqual([]);
      await page.context().close();
    });
  }
});

/**
 * Some claims appear only after the reader does something (a quiz question's proof, once the
 * question is answered and "Prove it" pressed): each such control is marked `data-claim-gate`.
 * Opens them in page order; opening one may reveal the next.
 */
async function openGates(page: import("playwright-core").Page): Promise<void> {
  const gates = page.locator("[data-claim-gate]");
  for (let i = 0; i < (await gates.count()); i++) {
    await gates.nth(i).click();
    await settle(page);
  }
}

async function highlighted(item: import("playwright-core").Locator): Promise<Record<string, string>> {
  return Object.fromEntries(await item.locator("mark[data-metric]").evaluateAll((marks) => marks.map((m) => [m.getAttribute("data-metric"), m.getAttribute("data-value")])));
}

function expected(report: ClaimReport): Record<string, string> {
  const quoted = new Set(report.text.match(/\{([A-Za-z][\w.]*)\}/g)?.map((p) => p.slice(1, -1)));
  return Object.fromEntries(Object.entries(report.observed).filter(([metric]) => quoted.has(metric)).map(([metric, value]) => [metric, String(value)]));
}
