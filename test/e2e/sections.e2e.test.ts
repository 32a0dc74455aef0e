// Pages 11.1 to 11.3: every control changes what it controls, the flow diagram plays, pauses,
// steps and scrubs, and nothing errs along the way.
import {afterAll, beforeAll, describe, expect, inject, it} from "vitest";
import type {Browser, Page} from "playwright-core";
import {cellErrors, launchBrowser, openPage, settle} from "./harness.js";
import {readFileSync} from "node:fs";
import {measure} from "../../src/components/claims/claim.js";
import {experiments} from "../../src/components/labs/brokers/index.js";

const lab = JSON.parse(readFileSync("data/scenarios/brokers.json", "utf8"));

let browser: Browser;
beforeAll(async () => void (browser = await launchBrowser()));
afterAll(async () => void (await browser?.close()));

const main = (page: Page) => page.locator("#observablehq-main");
const text = async (page: Page) => (await main(page).textContent()) ?? "";
/** The SVG markup of the n-th chart card, to see that a control redrew it. */
const card = (page: Page, n: number) => page.locator("#observablehq-main .card").nth(n).innerHTML();

async function setRange(page: Page, label: string, value: number) {
  const input = page.locator(`form:has(label:text-is("${label}")) input[type=number]`);
  await input.fill(String(value));
  await input.press("Enter");
  await settle(page);
}

describe("11.1 event-driven vs request-driven", () => {
  it("each control changes the charts, and the fraud toggle grows a consumer only", async () => {
    const {page, problems} = await openPage(browser, inject("baseUrl"), "/event-driven-vs-request-driven");
    const before = await card(page, 0);
    await page.getByRole("radio", {name: "down"}).check();
    await settle(page);
    expect(await card(page, 0)).not.toBe(before);
    const failed = await page.locator("table").first().textContent();
    await page.getByLabel("Service to break").selectOption("payment");
    await settle(page);
    expect(await page.locator("table").first().textContent()).not.toBe(failed);
    for (const [label, value] of [["Orders per second", 80], ["Call timeout (ms)", 500]] as const) {
      const was = await card(page, 1);
      await setRange(page, label, value);
      expect(await card(page, 1)).not.toBe(was);
    }
    const seedWas = await card(page, 0);
    await page.getByLabel("Seed").fill("12");
    await page.getByLabel("Seed").press("Enter");
    await settle(page);
    expect(await card(page, 0)).not.toBe(seedWas);

    const consumers = () => page.locator(".flow-consumer").count();
    expect(await consumers()).toBe(3);
    await page.getByLabel("Fraud detection subscribes").check();
    await settle(page);
    expect(await consumers()).toBe(4);
    expect(await text(page)).toContain("Unchanged. The new service subscribes");
    expect(await text(page)).toContain("fraudDetectionClient.handle(order)");
    expect(await cellErrors(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("a run redraws the charts inside the containers already on the page (ui/live-chart.ts), not in new ones", async () => {
    const {page, problems} = await openPage(browser, inject("baseUrl"), "/event-driven-vs-request-driven");
    // The break-a-service section's three charts come first on the page (the flow diagram follows).
    const charts = page.locator("#observablehq-main .card div:has(> figure)");
    const kept = () => charts.evaluateAll((nodes) => nodes.slice(0, 3).map((node) => (node as HTMLElement & {kept?: boolean}).kept === true));
    await charts.evaluateAll((nodes) => nodes.slice(0, 3).forEach((node) => ((node as HTMLElement & {kept?: boolean}).kept = true)));
    expect(await kept()).toEqual([true, true, true]);
    const before = await charts.first().innerHTML();
    await setRange(page, "Orders per second", 120);
    expect(await charts.first().innerHTML()).not.toBe(before);
    expect(await kept()).toEqual([true, true, true]);
    expect(problems).toEqual([]);
  });

  it("the flow diagram plays, pauses, steps and scrubs", async () => {
    const {page, problems} = await openPage(browser, inject("baseUrl"), "/event-driven-vs-request-driven");
    const flow = page.locator(".flow-diagram").first();
    const time = async () => Number(await flow.getAttribute("data-time"));
    // Reduced motion (the harness's default): a still frame, nothing plays by itself.
    expect(await flow.getAttribute("data-playing")).not.toBe("true");
    await flow.locator("input[type=range]").fill("0");
    expect(await time()).toBe(0);
    await flow.getByRole("button", {name: "Step"}).click();
    const stepped = await time();
    expect(stepped).toBeGreaterThan(0);
    await flow.getByRole("button", {name: "Play"}).click();
    await page.waitForTimeout(400);
    await flow.getByRole("button", {name: "Pause"}).click();
    const paused = await time();
    expect(paused).toBeGreaterThan(stepped);
    await page.waitForTimeout(300);
    expect(await time()).toBe(paused);
    expect(problems).toEqual([]);
  });
});

describe("11.2 event types", () => {
  it("the classifier answers, the translator translates or refuses, the mailer changes the outcome", async () => {
    const {page, problems} = await openPage(browser, inject("baseUrl"), "/event-types");
    const orderPlaced = page.locator('[data-message="OrderPlaced"]');
    await orderPlaced.getByRole("button", {name: "command"}).click();
    expect(await orderPlaced.textContent()).toContain("Not quite: it is a domain event");
    await orderPlaced.getByRole("button", {name: "domain event"}).click();
    expect(await orderPlaced.textContent()).toContain("Right.");
    expect(await text(page)).toContain("1 of 9 sorted · 1 right");
    // A card's caption is the message's source only: nothing that names the answer (issue 14).
    const captions = await page.locator(".classifier-route").allTextContents();
    expect(captions).toHaveLength(9);
    for (const caption of captions) expect(caption).toMatch(/^from \w+ context$/);

    const textarea = page.getByLabel("OrderPlaced (Orders context)");
    const event = JSON.parse(await textarea.inputValue());
    event.lines.push({sku: "HV-1", qty: 5, unitPrice: 10, weightKg: 3});
    await textarea.fill(JSON.stringify(event));
    await settle(page);
    expect(await text(page)).toMatch(/"parcels": \[[\s\S]*"items": 3/);
    delete event.shippingAddress.city;
    await textarea.fill(JSON.stringify(event));
    await settle(page);
    expect(await text(page)).toContain("shippingAddress.city must be a string");
    await textarea.fill("{not json");
    await settle(page);
    expect(await text(page)).toContain("TranslationError: not valid JSON");

    const chart = () => page.locator(".card", {hasText: "Registrations that complete"}).innerHTML();
    const times = () => page.locator(".card", {hasText: "How long a registration takes"}).innerHTML();
    const running = await chart();
    await page.getByLabel("removed").check();
    await settle(page);
    expect(await chart()).not.toBe(running);
    expect(await chart()).toContain("failed");
    await page.getByLabel(/^slow/).check();
    await settle(page);
    const slow = await times();
    await setRange(page, "Reply timeout (ms)", 10000);
    expect(await times()).not.toBe(slow);
    expect(await cellErrors(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});

describe("11.3 brokers", () => {
  it("the Kafka, RabbitMQ, routing, bus, pattern, side-by-side and decision controls all react", async () => {
    const {page, problems} = await openPage(browser, inject("baseUrl"), "/brokers");
    const kafka = page.locator(".card", {hasText: "Records processed by each group"});
    const k0 = await kafka.innerHTML();
    for (const group of ["analytics", "search-indexing", "feed-ranking", "fraud-detection"]) expect(await kafka.textContent()).toContain(`${group}: at most`);
    await setRange(page, "feed-ranking (ms per record)", 200);
    expect(await kafka.innerHTML()).not.toBe(k0);
    expect(await kafka.textContent()).toContain("feed-ranking: at most 180 records behind");

    const queue = () => page.locator(".card", {hasText: "Which agent handled each ticket"}).textContent();
    expect(await queue()).toContain("1 redelivered · 1 handled twice");
    await setRange(page, "Prefetch per agent", 10);
    expect(await queue()).toContain("8 redelivered · 1 handled twice");
    await page.getByLabel("agent-3 crashes at 4 s").uncheck();
    await settle(page);
    expect(await queue()).toContain("0 redelivered · 0 handled twice");

    const routingCard = page.locator(".card", {hasText: "Where one publish goes"});
    const routes = () => page.locator(".route-result").textContent();
    const bindings = page.getByLabel("Bindings");
    expect(await routes()).toMatch(/eu-orders receives a copy[\s\S]*us-orders receives nothing/);
    await page.getByLabel("Routing key").fill("order.us.placed");
    await page.getByLabel("Routing key").press("Enter");
    await settle(page);
    expect(await routes()).toMatch(/eu-orders receives nothing[\s\S]*us-orders receives a copy/);
    // Switching the type loads that type's bindings: no error about the old topic bindings.
    await page.getByRole("radio", {name: "headers"}).check();
    await settle(page);
    expect(await bindings.inputValue()).toContain('"x-match"');
    expect(await routingCard.locator(".workbook-error").count()).toBe(0);
    expect(await routingCard.textContent()).toContain("A headers binding is queue {JSON object of arguments}");
    expect(await routes()).toMatch(/eu-orders receives a copy/);
    await page.getByLabel("Headers (JSON)").fill("null");
    await page.getByLabel("Headers (JSON)").press("Enter");
    await settle(page);
    expect(await routingCard.locator(".workbook-error").textContent()).toBe('Headers must be a JSON object such as {"region": "eu"}, not null');
    await page.getByLabel("Headers (JSON)").fill('{"region": "eu"}');
    await page.getByLabel("Headers (JSON)").press("Enter");
    await page.getByRole("radio", {name: "fanout"}).check();
    await settle(page);
    expect(await bindings.inputValue()).not.toContain("x-match");
    expect(await routes()).not.toContain("receives nothing");

    const busCard = page.locator(".card", {hasText: "Events on the bus, by the rule"});
    expect(await busCard.locator("h3").textContent()).toMatch(/^40 events · /);
    await setRange(page, "Events", 80);
    expect(await busCard.locator("h3").textContent()).toMatch(/^80 events · /);

    const verdict = () => page.locator("[data-verdict]").getAttribute("data-verdict");
    expect(await verdict()).toBe("no match");
    const event = page.getByLabel("Event", {exact: true});
    await event.fill((await event.inputValue()).replace('"720"', "720"));
    await settle(page);
    expect(await verdict()).toBe("match");
    await page.getByLabel("Event pattern").fill('{"source": "shop.orders"}');
    await settle(page);
    expect(await page.locator(".workbook-error", {hasText: "InvalidEventPattern"}).count()).toBe(1);

    const side = page.locator(".card", {hasText: "Still held by the broker"});
    const panels = async () => (await side.locator("svg text").allTextContents()).filter((t) => t.includes(": holds "));
    expect((await panels()).map((t) => t.split(":")[0])).toEqual(["Kafka", "RabbitMQ", "EventBridge"]);
    expect(await panels()).toContain("EventBridge: holds 0 of 60 · late reader got 0");
    await page.getByLabel("EventBridge archive configured").check();
    await settle(page);
    expect(await panels()).toContain("EventBridge: holds 60 of 60 · late reader got 60");

    const advice = () => page.locator(".card", {hasText: "Recommended:"}).locator("h3").textContent();
    expect(await advice()).toContain("Kafka");
    for (const label of ["Consumers must be able to replay history", "Several independent services read the same events", "Order per entity matters"]) await page.getByLabel(label).uncheck();
    await page.getByLabel("Each item is a task for exactly one worker").check();
    await page.getByLabel("Peak events per second").fill("50");
    await page.getByLabel("Peak events per second").press("Enter");
    await settle(page);
    expect(await advice()).toContain("RabbitMQ");
    expect(await cellErrors(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("the rebalance controls re-run the protocols in the lab's workers with Node's numbers, and the comparison runs on the join on screen", async () => {
    const {page, problems} = await openPage(browser, inject("baseUrl"), "/brokers");
    const chart = page.locator(".card", {hasText: "Records processed per second by each member"});
    // A claim whose settings the controls match shows the run on screen: its numbers must be Node's for those settings.
    const shown = async (pattern: RegExp) => (await text(page)).match(pattern)!.slice(1).map((n) => Number(n.replaceAll(",", "")));
    const node = async (set: object) => measure(experiments.rebalance, await experiments.rebalance.run({...lab.experiments.rebalance.parameters, ...set}));
    const moveTo = async (label: string, value: number) => {
      const was = await chart.innerHTML();
      await setRange(page, label, value);
      expect(await chart.innerHTML()).not.toBe(was);
    };
    expect(await shown(/The consumer protocol converges ([\d,]+) ms after the join/)).toEqual([(await node({})).consumerConvergeMs]);
    await moveTo("Consumer heartbeat (ms)", 1000);
    expect(await shown(/the group converges ([\d,]+) ms after the join/)).toEqual([(await node({consumerHeartbeatIntervalMs: 1000})).consumerConvergeMs]);
    await moveTo("Consumer heartbeat (ms)", 5000);
    await moveTo("New member joins at (ms)", 9500);
    const late = await node({joinAtMs: 9500});
    expect(await shown(/Now the consumer protocol holds up ([\d,]+) records, more than eager's ([\d,]+)/)).toEqual([late.consumerHeldUp, late.eagerHeldUp]);
    await moveTo("Classic heartbeat (ms)", 1500);
    const compared = page.locator(".card", {hasText: "Eager against the consumer protocol, delivery by delivery"});
    await compared.getByRole("button", {name: "Compare eager and the consumer protocol"}).click();
    await settle(page);
    expect(await compared.locator("svg text", {hasText: "first divergence"}).count()).toBe(1);
    expect(await text(page)).toMatch(/Yet the checker finds nothing wrong in either: 0 and 0 duplicates, 0 and 0 lost/);
    expect(await cellErrors(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
