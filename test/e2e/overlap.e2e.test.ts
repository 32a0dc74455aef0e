// Every page, phone and desktop widths, light and dark: no SVG label overlaps another label, no
// label half-covers a dot of a chart, and at 390 px no table is cut (it scrolls inside its card)
// and the page itself does not scroll sideways. Measured once the page settles, and again after
// pressing the first "Try it" of each claim list (a claim's run often draws other labels).
import {afterAll, beforeAll, describe, expect, inject, it} from "vitest";
import type {Browser, Page} from "playwright-core";
import config from "../../observablehq.config.js";
import {launchBrowser, openPage, settle} from "./harness.js";

const paths = ["/", ...config.pages.flatMap((section) => section.pages.map((p) => p.path))];
const counts: Record<string, number> = {};
let browser: Browser;

beforeAll(async () => void (browser = await launchBrowser()));
afterAll(async () => {
  await browser?.close();
  console.table(counts);
});

describe.each(["light", "dark"] as const)("labels in %s mode", (colorScheme) => {
  describe.each([1280, 390])("at %i px", (width) => {
    it.each(paths)("%s: no label overlaps a label or a dot, no table is cut", async (path) => {
      const {page} = await openPage(browser, inject("baseUrl"), path, {colorScheme, width});
      const problems = await measure(page, width);
      const lists = page.locator("section.claims");
      for (let i = 0; i < (await lists.count()); i++) {
        const tryIt = lists.nth(i).getByRole("button", {name: /^Try it/});
        if (!(await tryIt.count())) continue;
        await tryIt.first().click();
        await settle(page);
      }
      problems.push(...(await measure(page, width)).map((p) => `after Try it: ${p}`));
      const unique = [...new Set(problems)];
      counts[`${path} ${colorScheme} ${width}`] = unique.length;
      expect(unique).toEqual([]);
      await page.context().close();
    });
  });
});

/** Every overlap and cut table of the page, one line each. */
function measure(page: Page, width: number): Promise<string[]> {
  return page.evaluate((width) => {
    const problems: string[] = [];
    // Two boxes overlap when they share more than a pixel each way (anti-aliasing and rounding).
    const overlap = (a: DOMRect, b: DOMRect) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
    const visible = (e: Element) => {
      const r = e.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && (e as SVGElement).checkVisibility({opacityProperty: true, visibilityProperty: true});
    };
    const name = (svg: SVGSVGElement) => svg.closest("figure, .card")?.querySelector("h2, figcaption, h3")?.textContent?.trim().slice(0, 50) ?? svg.getAttribute("aria-label") ?? "an SVG";
    // Labels are compared in the first one's own frame, so rotated tick labels (tickRotate) are
    // judged by their glyphs, not by the screen box around them: B's box mapped into A's frame.
    const collide = (a: SVGTextElement, b: SVGTextElement) => {
      const boxA = a.getBBox();
      const boxB = b.getBBox();
      const toA = a.getScreenCTM()!.inverse().multiply(b.getScreenCTM()!);
      const corners = [[boxB.x, boxB.y], [boxB.x + boxB.width, boxB.y], [boxB.x, boxB.y + boxB.height], [boxB.x + boxB.width, boxB.y + boxB.height]].map(([x, y]) => new DOMPoint(x, y).matrixTransform(toA));
      const xs = corners.map((c) => c.x);
      const ys = corners.map((c) => c.y);
      return overlap(boxA as DOMRect, new DOMRect(Math.min(...xs), Math.min(...ys), Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)));
    };
    for (const svg of document.querySelectorAll<SVGSVGElement>("#observablehq-main svg")) {
      if (svg.parentElement?.closest("svg") || !visible(svg)) continue;
      // The animated flow diagrams (ui/flow.ts) are being reworked under issue 14 §2 ("dots never
      // hide a label"), which owns that file; measure them here once that lands.
      if (svg.querySelector(".flow-node")) continue;
      const dots = [...svg.querySelectorAll("circle")].filter(visible).map((c) => c.getBoundingClientRect());
      const labels = [...svg.querySelectorAll<SVGTextElement>("text")].filter((t) => t.textContent?.trim() && visible(t)).map((t) => {
        const box = t.getBoundingClientRect();
        const cx = (box.left + box.right) / 2;
        const cy = (box.top + box.bottom) / 2;
        // A label centred in a dot is that dot's caption (a step number on its event): where two
        // dots coincide their captions do too, which says the data coincide, not that a label is misplaced.
        const caption = dots.some((d) => cx >= d.left && cx <= d.right && cy >= d.top && cy <= d.bottom);
        return {node: t, text: t.textContent!.trim(), box, caption};
      });
      for (let i = 0; i < labels.length; i++) {
        for (let j = i + 1; j < labels.length; j++) {
          if (labels[i].caption && labels[j].caption) continue;
          if (overlap(labels[i].box, labels[j].box) && collide(labels[i].node, labels[j].node)) problems.push(`${name(svg)}: "${labels[i].text}" overlaps "${labels[j].text}"`);
        }
      }
      for (const label of labels) {
        if (!label.caption && dots.some((d) => overlap(label.box, d))) problems.push(`${name(svg)}: "${label.text}" sits on a dot`);
      }
    }
    if (width < 600) {
      if (document.documentElement.scrollWidth > width + 1) problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} px wide`);
      for (const cell of document.querySelectorAll<HTMLElement>("#observablehq-main td, #observablehq-main th")) {
        if (!visible(cell)) continue;
        const box = cell.getBoundingClientRect();
        const scroller = cell.closest("table")!.parentElement!;
        const clip = scroller.getBoundingClientRect();
        const scrolls = scroller.scrollWidth > scroller.clientWidth && getComputedStyle(scroller).overflowX !== "visible";
        if (cell.scrollWidth > cell.clientWidth + 1) problems.push(`a table cell is cut: "${cell.textContent?.trim().slice(0, 40)}"`);
        else if (!scrolls && box.right > Math.min(clip.right, width) + 1) problems.push(`a table runs off its card: "${cell.textContent?.trim().slice(0, 40)}"`);
      }
    }
    return problems;
  }, width);
}
