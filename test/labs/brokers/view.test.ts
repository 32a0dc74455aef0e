// 11.3's views: what the lab's worker sends the page for each run (view.ts), and the rebalance
// runs it reuses while a reader drags one protocol's heartbeat.
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {runView, type ViewedExperiment} from "../../../src/components/ui/lab-worker.js";
import {experiments} from "../../../src/components/labs/brokers/index.js";
import {PROTOCOLS, runProtocol, runRebalance, type RebalanceOptions} from "../../../src/components/labs/brokers/rebalance.js";
import {rebalanceView, taskComparisonView} from "../../../src/components/labs/brokers/view.js";
import {runTaskComparison, type TaskComparisonOptions} from "../../../src/components/labs/brokers/share-group.js";

const lab = JSON.parse(readFileSync("data/scenarios/brokers.json", "utf8"));
const rebalance: RebalanceOptions = lab.experiments.rebalance.parameters;

/** Any Error object inside a value (a worker's message would turn it into a bare Error). */
const errorsIn = (value: unknown, seen = new Set<unknown>()): number => {
  if (value instanceof Error) return 1;
  if (typeof value !== "object" || value === null || seen.has(value)) return 0;
  seen.add(value);
  return Object.values(value).reduce((n: number, v) => n + errorsIn(v, seen), 0);
};

describe("every experiment's view", () => {
  for (const name of Object.keys(experiments) as (keyof typeof experiments)[]) {
    it(`${name}: a worker's message carries it whole (no function, no Error object)`, async () => {
      const shown = await runView(experiments[name] as unknown as ViewedExperiment, lab.experiments[name].parameters);
      expect(Object.keys(shown.observed).length).toBeGreaterThan(0);
      expect(structuredClone(shown)).toEqual(shown);
      expect(errorsIn(shown.view)).toBe(0);
    });
  }

  it("a refusal reaches the page as its name and message", async () => {
    const {view} = await runView(experiments.pattern as unknown as ViewedExperiment, {...lab.experiments.pattern.parameters, pattern: '{"source": "shop.orders"}'});
    expect(view).toMatchObject({explanation: null, refusal: {name: "InvalidEventPatternError"}});
  });

  it("the Kafka log's view holds the orders topic's events only, and every record appended", async () => {
    const {view} = await runView(experiments.kafkaLog as unknown as ViewedExperiment, lab.experiments.kafkaLog.parameters);
    const {log} = view as {log: {topic: string; events: {kind: string; topic?: string}[]}};
    expect(log.topic).toBe("orders");
    expect(log.events.filter((e) => e.kind === "kafka.append").length).toBe(lab.experiments.kafkaLog.parameters.records);
    expect(log.events.every((e) => e.topic === undefined || e.topic === "orders")).toBe(true);
  });
});

describe("rebalanceView", () => {
  it("keeps the rows of the window around the join, in seconds, one panel per protocol", async () => {
    const run = await runRebalance(rebalance);
    const view = rebalanceView(run);
    expect(view.labels.length).toBe(PROTOCOLS.length);
    expect(view.domain).toEqual([(rebalance.joinAtMs - 3000) / 1000, (rebalance.joinAtMs + 9000) / 1000]);
    expect(view.rates.length).toBeGreaterThan(0);
    expect(view.rates.length).toBeLessThan(run.runs.reduce((n, r) => n + r.rate.length, 0));
    expect(view.rates.every((r) => r.time >= view.domain[0] && r.time <= view.domain[1])).toBe(true);
    expect(view.gaps.length).toBeGreaterThan(0);
    // The panels share colours and scale: every member of any protocol, and the highest rate of all.
    expect(view.members.length).toBe(rebalance.members + 1);
    expect(view.members).toEqual([...new Set(view.rates.map((r) => r.member))].sort());
    expect(view.yMax).toBe(Math.max(...view.rates.map((r) => r.perSecond)));
  });
});

describe("taskComparisonView", () => {
  it("draws each handling once, a handling never acknowledged ending at the crash", async () => {
    const options: TaskComparisonOptions = lab.experiments.taskComparison.parameters;
    const run = await runTaskComparison(options);
    const view = taskComparisonView(run, options);
    expect(view.rows.length).toBe(run.outcomes.flatMap((o) => o.deliveries).filter((d) => d.startedAt !== null).length);
    const unacked = view.rows.filter((r) => !r.acked);
    expect(unacked.length).toBeGreaterThan(0);
    expect(unacked.every((r) => r.to === Math.max(r.startedAt!, options.crashAtMs))).toBe(true);
  });
});

describe("runRebalance reuses a protocol's run while the options it reads stay the same", () => {
  const fresh = async (o: RebalanceOptions) => Promise.all(PROTOCOLS.map((p) => runProtocol(p, o)));

  it("after a change of either heartbeat or of the join, every run equals a fresh one", async () => {
    await runRebalance(rebalance);
    for (const change of [{consumerHeartbeatIntervalMs: 1000}, {heartbeatIntervalMs: 1500}, {joinAtMs: 9500}]) {
      const o = {...rebalance, ...change};
      const reused = await runRebalance(o);
      expect(reused.runs).toEqual(await fresh(o));
    }
  });

  it("what the key leaves out: a classic group does not read the consumer protocol's heartbeat, a consumer group does", async () => {
    const at = (protocol: (typeof PROTOCOLS)[number], consumerHeartbeatIntervalMs: number) => runProtocol(protocol, {...rebalance, consumerHeartbeatIntervalMs});
    expect(await at("eager", 1000)).toEqual(await at("eager", 5000));
    expect(await at("consumer", 1000)).not.toEqual(await at("consumer", 5000));
  });
});
