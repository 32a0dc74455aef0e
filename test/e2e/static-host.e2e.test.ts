// Issue 16 §12: the site works from any static host. dist/ is served by a server that does no URL
// rewriting (as S3 website hosting or `python3 -m http.server`), and every sidebar, card and pager
// link of every page is clicked: each must land on a page of the site, not a 404.
import {afterAll, beforeAll, expect, it} from "vitest";
import type {Server} from "node:http";
import type {Browser, Page} from "playwright-core";
import config from "../../observablehq.config.js";
import {launchBrowser} from "./harness.js";
import {builtDist, serveDist} from "./server.js";

let browser: Browser;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  ({server, url: baseUrl} = await serveDist(builtDist(), {rewrite: false}));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  server?.close();
});

const pagePaths = ["/", ...config.pages.flatMap((section) => section.pages.map((p) => p.path))];
/** The links a reader navigates by: the sidebar, the pager, and links in the page's text and cards. */
const NAVIGATION = "#observablehq-sidebar a[href], .observablehq-pager a[href], #observablehq-main a[href]";

/** Each distinct in-site link of the page that leads to another document (not an anchor on this page). */
async function siteLinks(page: Page): Promise<string[]> {
  const hrefs = await page.$$eval(NAVIGATION, (links) => links.map((a) => a.getAttribute("href") ?? ""));
  const here = new URL(page.url());
  const unique = new Set<string>();
  for (const href of hrefs) {
    const target = new URL(href, here);
    if (target.origin !== here.origin || (target.pathname === here.pathname && target.hash)) continue;
    unique.add(href);
  }
  return [...unique];
}

it("a server that does no URL rewriting serves the root, every page, and a 404 page for anything else", async () => {
  const context = await browser.newContext();
  for (const path of pagePaths) {
    const response = await context.request.get(new URL(path === "/" ? "./" : `.${path}.html`, baseUrl).href);
    expect(response.status(), path).toBe(200);
  }
  const missing = await context.request.get(new URL("./no-such-page.html", baseUrl).href);
  expect(missing.status()).toBe(404);
  expect(await missing.text()).toContain("Page not found");
  // The extensionless form is what such a host cannot serve: the links must not use it.
  expect((await context.request.get(new URL("./brokers", baseUrl).href)).status()).toBe(404);
  await context.close();
});

it("every sidebar, card and pager link of every page opens a page of the site", async () => {
  // These links are static HTML: with the pages' scripts off, a busy page (11.4 simulates on load)
  // cannot hold up the next navigation.
  const context = await browser.newContext({javaScriptEnabled: false, viewport: {width: 1400, height: 900}});
  const page = await context.newPage();
  const broken: string[] = [];
  let clicked = 0;
  for (const path of pagePaths) {
    const url = new URL(path === "/" ? "./" : `.${path}.html`, baseUrl).href;
    await page.goto(url, {waitUntil: "domcontentloaded"});
    const links = await siteLinks(page);
    expect(links.length, path).toBeGreaterThan(5); // at least the sidebar
    for (const href of links) {
      if (page.url() !== url) await page.goto(url, {waitUntil: "domcontentloaded"});
      const link = page.locator(NAVIGATION).and(page.locator(`a[href="${href}"]`)).first();
      const [response] = await Promise.all([
        page.waitForEvent("response", {predicate: (r) => r.request().isNavigationRequest() && r.request().frame() === page.mainFrame(), timeout: 10_000}),
        page.waitForEvent("framenavigated", {predicate: (frame) => frame === page.mainFrame(), timeout: 10_000}),
        link.dispatchEvent("click") // a sidebar folded away (no script to open it) still navigates
      ]);
      clicked += 1;
      await page.waitForLoadState("domcontentloaded");
      const title = await page.title();
      if (response.status() !== 200 || /Page not found/.test(title)) broken.push(`${path}: ${href} → ${response.status()} ${response.url()}`);
    }
  }
  console.log(`static host: clicked ${clicked} links on ${pagePaths.length} pages`);
  expect(broken).toEqual([]);
  await context.close();
}, 300_000);
