// Every link in the built pages' static HTML leads to a page of the site and, with a #fragment,
// to an element of that page's static HTML: Framework's own link check, which only warns (once
// per build, easily missed), made a test. An anchor that only a cell draws (a quiz card) needs a
// stand-in in the page's Markdown (src/check-your-understanding.md).
import {afterAll, beforeAll, expect, inject, it} from "vitest";
import type {Browser, BrowserContext} from "playwright-core";
import config from "../../observablehq.config.js";
import {launchBrowser} from "./harness.js";

let browser: Browser;
beforeAll(async () => void (browser = await launchBrowser()));
afterAll(async () => void (await browser?.close()));

const pagePaths = ["/", ...config.pages.flatMap((section) => section.pages.map((p) => p.path))];

/** A built page as its static HTML has it, scripts off: its in-site links (resolved) and its ids. */
async function staticPage(context: BrowserContext, url: string): Promise<{links: string[]; ids: string[]} | null> {
  const page = await context.newPage();
  try {
    const response = await page.goto(url);
    if (!response?.ok()) return null;
    return await page.evaluate(() => ({
      links: [...document.querySelectorAll("a[href]:not([download])")]
        .filter((a) => !/(^|\s)external(\s|$)/i.test(a.getAttribute("rel") ?? "") && !/^\w+:/.test(a.getAttribute("href")!))
        .map((a) => (a as HTMLAnchorElement).href),
      ids: [...document.querySelectorAll("[id]")].map((e) => e.id)
    }));
  } finally {
    await page.close();
  }
}

it("every static link of every page leads to a page and an anchor that exist", async () => {
  const context = await browser.newContext({javaScriptEnabled: false});
  const pages = new Map<string, Promise<{links: string[]; ids: string[]} | null>>();
  const load = (url: string) => pages.get(url) ?? pages.set(url, staticPage(context, url)).get(url)!;
  const broken: string[] = [];
  for (const path of pagePaths) {
    const url = new URL(path.replace(/^\//, ""), inject("baseUrl")).href;
    for (const link of (await load(url))!.links) {
      const target = new URL(link);
      const hash = decodeURIComponent(target.hash.slice(1));
      target.hash = "";
      const built = await load(target.href);
      if (!built || (hash && !built.ids.includes(hash))) broken.push(`${path} → ${link}`);
    }
  }
  expect(broken).toEqual([]);
  await context.close();
});
