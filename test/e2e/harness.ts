// Opens pages of the built site in Debian's Chromium through playwright-core and collects every
// problem a reader would hit: console errors, page errors, requests off 127.0.0.1, and cells
// that rendered an error.
import {existsSync, mkdirSync} from "node:fs";
import {chromium, type Browser, type Locator, type Page, type Request} from "playwright-core";

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
  });
}

export interface OpenedPage {
  page: Page;
  /** Everything that went wrong so far; tests assert it stays empty. */
  problems: string[];
  /** Bytes of JavaScript the page loaded (decoded), by the page's own resource timing. */
  scriptBytes: () => Promise<number>;
  /** Milliseconds from navigation until the cells settled. */
  settleMs: number;
}

export interface OpenOptions {
  colorScheme?: "light" | "dark";
  width?: number;
  /** Extra path appended to the URL, e.g. "#code=..." */
  hash?: string;
}

export async function openPage(browser: Browser, baseUrl: string, path: string, {colorScheme = "light", width = 1200, hash = ""}: OpenOptions = {}): Promise<OpenedPage> {
  const context = await browser.newContext({colorScheme, viewport: {width, height: 900}, reducedMotion: "reduce"});
  const page = await context.newPage();
  const problems: string[] = [];
  const net = {inflight: new Set<Request>(), quietSince: Date.now()};
  network.set(page, net);
  page.on("request", (request) => void net.inflight.add(request));
  const ended = (request: Request) => {
    net.inflight.delete(request);
    if (net.inflight.size === 0) net.quietSince = Date.now();
  };
  page.on("requestfinished", ended);
  page.on("requestfailed", ended);
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol === "data:" || url.protocol === "blob:") return;
    if (url.hostname !== "127.0.0.1") problems.push(`request off 127.0.0.1: ${request.url()}`);
  });
  // ERR_ABORTED is a request the page itself cancelled (navigating away); a missing file shows up as a 404 below.
  page.on("requestfailed", (request) => {
    const reason = request.failure()?.errorText;
    if (reason !== "net::ERR_ABORTED") problems.push(`request failed: ${request.url()} (${reason})`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  const start = Date.now();
  await page.goto(new URL(path.replace(/^\//, ""), baseUrl).href + hash, {waitUntil: "load"});
  await settle(page);
  const settleMs = Date.now() - start;
  const scriptBytes = () =>
    page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .filter((e) => /\.js(\?|$)/.test(e.name))
        .reduce((n, e) => n + (e as PerformanceResourceTiming).decodedBodySize, 0)
    );
  return {page, problems, scriptBytes, settleMs};
}

/**
 * In-flight requests of each page openPage opened. Playwright's "networkidle" never comes back
 * once a code cell's sandbox frame (a fresh one per run, removed when the run ends) is removed
 * before its own load settles, which happens to any run after the first load (the cells run
 * when the reader comes to them): so settle() counts the page's requests itself.
 */
const network = new WeakMap<Page, {inflight: Set<Request>; quietSince: number}>();

/** No request in flight for 500 ms (Playwright's networkidle, counted by the page's own requests). */
async function networkIdle(page: Page, timeout = 30_000): Promise<void> {
  const net = network.get(page);
  if (!net) return void (await page.waitForLoadState("networkidle"));
  for (const start = Date.now(); !(net.inflight.size === 0 && Date.now() - net.quietSince >= 500); await page.waitForTimeout(100)) {
    if (Date.now() - start > timeout) throw new Error(`network not idle after ${timeout} ms: ${[...net.inflight].map((r) => r.url()).join(", ")}`);
  }
}

/** Waits until no cell is loading and the DOM has been quiet for `quietMs` since this call. */
export async function settle(page: Page, quietMs = 300): Promise<void> {
  await networkIdle(page);
  // The quiet period counts from now: a reactive update that an input event has not started yet
  // must not pass for a settled page.
  await page.evaluate(() => {
    const w = window as unknown as {__lastMutation?: number; __observer?: MutationObserver};
    w.__lastMutation = performance.now();
    if (!w.__observer) {
      w.__observer = new MutationObserver(() => (w.__lastMutation = performance.now()));
      w.__observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
    }
  });
  await page.waitForFunction(
    (quiet) => {
      const w = window as unknown as {__lastMutation: number};
      // data-lab-running: a lab's worker is still computing (src/components/ui/lab-worker.ts).
      return !document.querySelector("observablehq-loading") && !document.documentElement.hasAttribute("data-lab-running") && performance.now() - w.__lastMutation > quiet;
    },
    quietMs,
    {polling: 100, timeout: 30_000}
  );
}

/** Cells that rendered an error (Framework's inspector marks them). */
/** Scrolls to the bottom as a reader would, a screen at a time, then back to the top. */
export async function scrollThrough(page: Page): Promise<void> {
  await page.evaluate(async () => {
    for (let y = 0; y < document.documentElement.scrollHeight; y += window.innerHeight / 2) {
      window.scrollTo(0, y);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    window.scrollTo(0, 0);
  });
}

/** Brings an element to the middle of the viewport, as a reader's scroll does. A card off screen is
 * not rendered (content-visibility: auto), so until then Playwright counts what is in it as not
 * visible, and its own scrollIntoViewIfNeeded waits for a visibility that never comes. */
export async function reveal(locator: Locator): Promise<void> {
  await locator.evaluate((element) => element.scrollIntoView({block: "center"}));
  await locator.page().evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

export async function cellErrors(page: Page): Promise<string[]> {
  return page.$$eval(".observablehq--error", (nodes) => nodes.map((n) => n.textContent ?? ""));
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync("test-results/screens", {recursive: true});
  await page.screenshot({path: `test-results/screens/${name}.png`, fullPage: true});
}
