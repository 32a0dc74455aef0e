// 1,000 rules × 100,000 events: how many events per second find all their matching rules.
// - compiled: compilePattern once per rule, then every rule's matcher on every event;
// - rule set: compileRuleSet, which files rules under their exact "source" values (Ruler-style);
// - interpreted: matchesPattern walking each raw pattern for every event (validated once, as the
//   compiled matchers are), on a 10,000-event sample because it is slow; its rate is comparable.
// Rules and events come from shared vocabularies, so that a realistic share of events match.
// Rates are per CPU second of this process (process.cpuUsage), which a loaded machine distorts least.
import {compilePattern, compileRuleSet, matchesPattern} from "../src/components/eventbridge/pattern.js";
import {createRandom, type Random} from "../src/components/sim/random.js";
import type {Benchmark} from "./types.js";

const RULES = 1_000;
const EVENTS = 100_000;
const INTERPRETED_SAMPLE = 10_000;

const sources = Array.from({length: 50}, (_, i) => `com.shop.service${i}`);
const detailTypes = ["OrderPlaced", "OrderShipped", "OrderCancelled", "PaymentFailed", "UserSignedUp", "StockLow"];
const states = ["placed", "paid", "shipped", "cancelled", "refunded"];
const countries = ["US", "us", "DE", "FR", "JP"];

function makeRule(random: Random): Record<string, unknown> {
  const detail: Record<string, unknown> = {};
  const pick = <T>(items: T[]) => random.pick(items);
  const conditions: Array<() => void> = [
    () => (detail.state = [pick(states), pick(states)]),
    () => (detail.total = [{numeric: [">", random.int(500), "<=", 500 + random.int(500)]}]),
    () => (detail.country = [{"equals-ignore-case": pick(countries)}]),
    () => (detail.sku = [{prefix: `SKU-${random.int(10)}`}]),
    () => (detail.email = [{suffix: pick(["@example.com", "@shop.test"])}]),
    () => (detail.state = [{"anything-but": [pick(states), pick(states)]}]),
    () => (detail.coupon = [{exists: random.chance(0.5)}]),
    () => (detail.path = [{wildcard: `/orders/*/items/${random.int(5)}*`}]),
    () => (detail.ip = [{cidr: `10.${random.int(4)}.0.0/16`}]),
    () => (detail.$or = [{state: [pick(states)]}, {total: [{numeric: [">=", 900]}]}])
  ];
  const n = 1 + random.int(3);
  for (let i = 0; i < n; i++) random.pick(conditions)();
  // Most rules name a source, as real rules do; some filter on detail-type or detail only.
  const rule: Record<string, unknown> = {};
  if (random.chance(0.9)) rule.source = [pick(sources)];
  if (random.chance(0.6)) rule["detail-type"] = [pick(detailTypes)];
  rule.detail = detail;
  return rule;
}

function makeEvent(random: Random, i: number): Record<string, unknown> {
  const detail: Record<string, unknown> = {
    state: random.pick(states),
    total: random.int(1000) + random.int(100) / 100,
    country: random.pick(countries),
    sku: `SKU-${random.int(100)}`,
    email: `user${random.int(1000)}${random.pick(["@example.com", "@shop.test", "@other.org"])}`,
    path: `/orders/${random.int(1000)}/items/${random.int(10)}`,
    ip: `10.${random.int(8)}.${random.int(256)}.${random.int(256)}`
  };
  if (random.chance(0.3)) detail.coupon = `C${random.int(100)}`;
  return {
    version: "0",
    id: `event-${i}`,
    "detail-type": random.pick(detailTypes),
    source: random.pick(sources),
    account: "123456789012",
    time: "2026-11-26T00:00:00Z",
    region: "us-east-1",
    resources: [],
    detail
  };
}

const bench: Benchmark = () => {
  const random = createRandom("eventbridge-bench");
  const rules = Array.from({length: RULES}, () => makeRule(random));
  const events = Array.from({length: EVENTS}, (_, i) => makeEvent(random, i));
  const sample = events.slice(0, INTERPRETED_SAMPLE);

  const compiled = rules.map((r) => compilePattern(r));
  const ruleSet = compileRuleSet(rules);

  // One warm-up on a slice, then one timed pass (a pass takes seconds). Timed in CPU seconds of
  // this process, not wall-clock: on a shared machine the wall clock mostly measures the others.
  const time = (fn: (items: typeof events) => number, items: typeof events): {seconds: number; matches: number} => {
    fn(items.slice(0, 500));
    const start = process.cpuUsage();
    const matches = fn(items);
    const used = process.cpuUsage(start);
    return {seconds: (used.user + used.system) / 1e6, matches};
  };
  const compiledRun = time((items) => {
    let matches = 0;
    for (const event of items) for (const match of compiled) if (match(event)) matches++;
    return matches;
  }, events);
  const ruleSetRun = time((items) => {
    let matches = 0;
    for (const event of items) matches += ruleSet(event).length;
    return matches;
  }, events);
  const interpretedRun = time((items) => {
    let matches = 0;
    for (const event of items) for (const rule of rules) if (matchesPattern(rule, event, {trusted: true})) matches++;
    return matches;
  }, sample);
  // Same answers on the sample, or the figures mean nothing.
  let sampleMatches = 0;
  for (const event of sample) for (const match of compiled) if (match(event)) sampleMatches++;
  if (sampleMatches !== interpretedRun.matches) throw new Error(`compiled (${sampleMatches}) and interpreted (${interpretedRun.matches}) disagree`);
  if (ruleSetRun.matches !== compiledRun.matches) throw new Error(`rule set (${ruleSetRun.matches}) and compiled (${compiledRun.matches}) disagree`);

  const compiledRate = EVENTS / compiledRun.seconds;
  const ruleSetRate = EVENTS / ruleSetRun.seconds;
  const interpretedRate = INTERPRETED_SAMPLE / interpretedRun.seconds;
  console.log(
    `eventbridge: ${RULES} rules, ${EVENTS} events, ${compiledRun.matches} matches ` +
      `(${(compiledRun.matches / EVENTS).toFixed(2)} rules per event); interpreted on ${INTERPRETED_SAMPLE} events`
  );
  return [
    {name: "eventbridge.compilePattern (1,000 rules)", value: compiledRate, unit: "events/cpu-s", baseline: interpretedRate, ratio: compiledRate / interpretedRate, goal: "> interpreted"},
    {name: "eventbridge.compileRuleSet (1,000 rules)", value: ruleSetRate, unit: "events/cpu-s", baseline: interpretedRate, ratio: ruleSetRate / interpretedRate, goal: "> compiled"}
  ];
};

export default bench;
