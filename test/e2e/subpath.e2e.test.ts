// A publisher may host dist/ under a sub-path (GitHub Pages: /<repo>/). Every page must load
// there, and following the sidebar must stay under that path.
import {afterAll, beforeAll, expect, it} from "vitest";
import type {Server} from "node:http";
import type {Browser} from "playwright-core";
import config from "../../observablehq.config.js";
import {cellErrors, launchBrowser, openPage} from "./harness.js";
import {builtDist, serveDist} from "./server.js";

let browser: Browser;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  ({server, url: baseUrl} = await serveDist(builtDist(), {base: "/workbook/"}));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  server?.close();
});

it("the site works from /workbook/", async () => {
  const paths = config.pages.flatMap((section) => section.pages.map((p) => p.path));
  const {page, problems} = await openPage(browser, baseUrl, "/");
  for (const path of paths) {
    await page.click(`#observablehq-sidebar a[href$="${path.slice(1)}.html"]`);
    await page.waitForLoadState("load");
    expect(new URL(page.url()).pathname).toBe(`/workbook${path}.html`); // preserveExtension: links end in .html
    expect(await page.textContent("h1")).not.toBe("");
  }
  expect(await cellErrors(page)).toEqual([]);
  expect(problems).toEqual([]);
});
