// Every flow diagram (ui/flow.ts) on every page that draws one, at phone and desktop widths: each
// node's label and note are shown whole, inside the node's box, each box inside the diagram and the
// diagram inside its card, and no two boxes overlap. At 390 px the 11.3 bus's targets used to run
// out of their boxes, over each other and off the diagram ("fraud-checi…").
import {readdirSync, readFileSync} from "node:fs";
import {afterAll, beforeAll, describe, expect, inject, it} from "vitest";
import type {Browser} from "playwright-core";
import {launchBrowser, openPage, reveal, scrollThrough, settle} from "./harness.js";

const paths = readdirSync("src")
  .filter((file) => file.endsWith(".md") && readFileSync(`src/${file}`, "utf8").includes("components/ui/flow.js"))
  .map((file) => `/${file.replace(/\.md$/, "")}`);
let browser: Browser;

beforeAll(async () => void (browser = await launchBrowser()));
afterAll(async () => void (await browser?.close()));

describe.each([390, 1280])("flow diagrams at %i px", (width) => {
  it.each(paths)("%s: every node's text is whole and inside its box, every box inside the card", async (path) => {
    const {page, problems} = await openPage(browser, inject("baseUrl"), path, {width});
    // The labs run as the reader comes to them.
    await scrollThrough(page);
    await settle(page);
    const figures = page.locator(".flow-diagram");
    expect(await figures.count()).toBeGreaterThan(0);
    const found: string[] = [];
    const names: string[] = [];
    for (let i = 0; i < (await figures.count()); i++) {
      await reveal(figures.nth(i));
      const measured = await figures.nth(i).evaluate((figure, width) => {
        const found: string[] = [];
        const title = figure.querySelector("svg")!.getAttribute("aria-label")!.slice(0, 40);
        // Inside with half a pixel's give for anti-aliasing and rounding.
        const inside = (a: DOMRect, b: DOMRect) => a.left >= b.left - 0.5 && a.right <= b.right + 0.5 && a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
        const overlap = (a: DOMRect, b: DOMRect) => Math.min(a.right, b.right) > Math.max(a.left, b.left) && Math.min(a.bottom, b.bottom) > Math.max(a.top, b.top);
        const svg = figure.querySelector("svg")!.getBoundingClientRect();
        const card = (figure.closest(".card") ?? figure.parentElement!).getBoundingClientRect();
        if (!inside(svg, card) || svg.right > width) found.push(`${title}: the diagram runs out of its card`);
        const boxes = [...figure.querySelectorAll("g.flow-node rect")].map((r) => r.getBoundingClientRect());
        const texts = [...figure.querySelectorAll(".flow-labels > g")].map((g) => [...g.querySelectorAll("text")]);
        if (boxes.length !== texts.length || boxes.length === 0) found.push(`${title}: ${boxes.length} boxes for ${texts.length} labels`);
        const names = texts.map((t) => (t[0]?.textContent ?? "").replace(/\s/g, ""));
        boxes.forEach((box, j) => {
          const name = names[j];
          if (!inside(box, svg)) found.push(`${title}: the box of "${name}" runs off the diagram`);
          for (const text of texts[j]) {
            const content = text.textContent ?? "";
            if (content.includes("…")) found.push(`${title}: "${content}" is cut short`);
            if (!inside(text.getBoundingClientRect(), box)) found.push(`${title}: "${content}" runs out of its box`);
          }
          for (let k = j + 1; k < boxes.length; k++) if (overlap(box, boxes[k])) found.push(`${title}: the boxes of "${name}" and "${names[k]}" overlap`);
        });
        return {found, names};
      }, width);
      found.push(...measured.found);
      names.push(...measured.names);
    }
    expect(found).toEqual([]);
    // Shown whole, not abbreviated: the bus's longest target name, spelled out in its lines.
    if (path === "/brokers") expect(names).toContain("fraud-checks-handler");
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
