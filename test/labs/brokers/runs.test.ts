// 11.3's lab: each experiment's runs and metrics, from the defaults in data/scenarios/brokers.json.
import {readFileSync} from "node:fs";
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {measure} from "../../../src/components/claims/claim.js";
import {experiments, GROUPS, runKafkaLog, runWorkQueueExperiment, type KafkaLogParameters, type RoutingParameters, type WorkQueueParameters} from "../../../src/components/labs/brokers/index.js";
import {EXCHANGE_TYPES} from "../../../src/components/labs/brokers/routing.js";
import {BROKERS} from "../../../src/components/labs/brokers/side-by-side.js";

const lab = JSON.parse(readFileSync("data/scenarios/brokers.json", "utf8"));
const defaults = <P>(name: string): P => lab.experiments[name].parameters;
const kafka = defaults<KafkaLogParameters>("kafkaLog");
const queue = defaults<WorkQueueParameters>("workQueue");
const routing = defaults<RoutingParameters>("routing");

async function metrics(name: keyof typeof experiments, set: object = {}) {
  const experiment = experiments[name] as unknown as {run: (p: object) => unknown; metrics: Record<string, (r: unknown) => number | boolean>};
  return measure(experiment, await experiment.run({...lab.experiments[name].parameters, ...set}));
}

describe("the lab file", () => {
  it("has an experiment's defaults for each experiment of the lab, and nothing else", () => {
    expect(Object.keys(lab.experiments).sort()).toEqual(Object.keys(experiments).sort());
  });
});

describe("every experiment", () => {
  for (const name of Object.keys(experiments) as (keyof typeof experiments)[]) {
    it(`${name} gives the same metrics for the same parameters`, async () => {
      const a = await metrics(name);
      expect(Object.keys(a).length).toBeGreaterThan(0);
      expect(await metrics(name)).toEqual(a);
    });
  }

  it("the seeded workloads change with the seed", async () => {
    const kafkaRun = async (seed: number) => (await runKafkaLog({...kafka, seed})).cluster.sim.trace.filter("kafka.consume").map((e) => e.key);
    expect(await kafkaRun(4)).not.toEqual(await kafkaRun(3));
    expect(await metrics("bus", {seed: 7})).not.toEqual(await metrics("bus"));
  });
});

describe("Kafka: one log, many readers", () => {
  it("every group reads every record, and a group's lag grows with its handler time only", async () => {
    const base = await metrics("kafkaLog");
    const slower = await metrics("kafkaLog", {feedRankingMs: kafka.feedRankingMs * 2});
    expect(base.fewestProcessedByAGroup).toBe(kafka.records);
    expect(slower.feedRankingMaxLag).toBeGreaterThan(base.feedRankingMaxLag as number);
    for (const other of ["analyticsMaxLag", "searchIndexingMaxLag", "fraudDetectionMaxLag"]) expect(slower[other]).toBe(base[other]);
  });

  it("draws one progress series per group, in the charts' order", async () => {
    const run = await runKafkaLog(kafka);
    expect([...new Set(run.progress.map((p) => p.group))]).toEqual([...GROUPS]);
  });

  it("a group that joins after the last append starts the whole log behind and still reads it all", async () => {
    const late = await metrics("kafkaLog", {fraudDetectionJoinsAtMs: 30_000});
    expect(late.fraudDetectionMaxLag).toBe(kafka.records);
    expect(late.fraudDetectionProcessed).toBe(kafka.records);
    expect(late.retained).toBe(kafka.records);
  });
});

describe("RabbitMQ: the work queue", () => {
  const run = (set: Partial<WorkQueueParameters>) => runWorkQueueExperiment({...queue, ...set});
  const wq = (set: Partial<WorkQueueParameters>) => metrics("workQueue", set);

  it("the tickets arrive faster than the agents work, so a backlog waits in the queue", async () => {
    const r = await run({crash: false});
    expect(Math.max(...r.depth.map((d) => d.ready))).toBeGreaterThan(10);
  });

  it("with the backlog, the prefetch decides how many tickets a crash takes down, not how many are handled twice", async () => {
    const held: number[] = [];
    for (const prefetch of [1, 5, 10, 20]) {
      const m = await wq({prefetch, crash: true});
      held.push(m.heldByCrashedAgent as number);
      expect(m.ticketsRedelivered).toBe(m.heldByCrashedAgent);
      expect(m.ticketsHandledTwice).toBe(1); // only the ticket in hand had its reply sent
      expect(m.ackedThenRedelivered).toBe(0);
      expect(m.ticketsUnfinished).toBe(0);
    }
    expect(held[0]).toBe(1);
    expect(held).toEqual([...held].sort((a, b) => a - b));
    expect(held[3]).toBeGreaterThanOrEqual(10);
  });

  it("without a backlog the prefetch cannot matter (the defect the backlog fixes)", async () => {
    const slow = {ratePerSecond: 2, crash: true};
    expect((await wq({...slow, prefetch: 10})).heldByCrashedAgent).toBe((await wq({...slow, prefetch: 1})).heldByCrashedAgent);
  });

  it("prefetch 1 shares the work by speed; a prefetch as large as the burst deals it out round-robin", async () => {
    const one = await wq({prefetch: 1, crash: false});
    expect(one.agent1Acked).toBeGreaterThan(one.agent2Acked as number);
    expect(one.agent2Acked).toBeGreaterThan(one.agent3Acked as number);
    const all = await wq({prefetch: 20, crash: false});
    expect([all.agent1Acked, all.agent2Acked, all.agent3Acked]).toEqual([20, 20, 20]);
    expect(all.lastAckMs).toBeGreaterThan(one.lastAckMs as number);
  });

  it("property: each ticket is acknowledged exactly once and an agent handles one ticket at a time", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({min: 0, max: 20}), fc.boolean(), fc.integer({min: 2, max: 60}), fc.integer({min: 500, max: 6000}), async (prefetch, crash, ratePerSecond, crashAtMs) => {
        const r = await run({prefetch, crash, ratePerSecond, crashAtMs, tickets: 30});
        const acked = r.deliveries.filter((d) => d.ackedAt !== null).map((d) => d.task).sort((a, b) => a - b);
        expect(acked).toEqual(Array.from({length: 30}, (_, i) => i));
        for (const agent of queue.agents) {
          const spans = r.deliveries.filter((d) => d.worker === agent.name && d.startedAt !== null).map((d) => [d.startedAt!, d.ackedAt ?? Infinity]);
          for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1] === Infinity ? spans[i][0] : spans[i - 1][1]);
        }
        // A duplicate is a ticket whose reply went out in an earlier delivery: started before, never acked there.
        for (const d of r.deliveries.filter((x) => x.duplicate)) expect(d.redelivered).toBe(true);
      }),
      {numRuns: 40}
    );
  });

  it("an unknown crashing agent is refused with the agents' names", async () => {
    await expect(run({crashingAgent: "agent-9"})).rejects.toThrow(/agent-9 is none of the agents \(agent-1, agent-2, agent-3\)/);
  });
});

describe("the routing builder", () => {
  const route = (set: Partial<RoutingParameters>) => experiments.routing.run({...routing, ...set} as never) as Promise<{routes: {queue: string; received: boolean}[]; refusal: Error | null}>;
  const reached = async (set: Partial<RoutingParameters>) => (await route(set)).routes.filter((r) => r.received).map((r) => r.queue);

  it("topic: * is one word, # is zero or more", async () => {
    expect(await reached({routingKey: "order.eu.placed"})).toEqual(["eu-orders", "all-orders", "audit"]);
    expect(await reached({routingKey: "order.eu"})).toEqual(["all-orders", "audit"]);
    expect(await reached({routingKey: "order"})).toEqual(["all-orders", "audit"]);
    expect(await reached({routingKey: ""})).toEqual(["audit"]);
  });

  it("direct: the key must equal the binding key", async () => {
    expect(await reached({type: "direct", bindings: routing.defaultBindings.direct, routingKey: "order.eu"})).toEqual(["eu-orders", "audit"]);
    expect(await reached({type: "direct", bindings: routing.defaultBindings.direct, routingKey: "order.eu.placed"})).toEqual([]);
  });

  it("fanout: every bound queue, whatever the key", async () => {
    expect(await reached({type: "fanout", bindings: routing.defaultBindings.fanout, routingKey: "anything"})).toEqual(["eu-orders", "us-orders", "audit"]);
  });

  it("headers: all needs every header, any needs one, and a bad x-match is refused at bind time", async () => {
    const gold = 'eu-orders {"x-match": "all", "region": "eu", "tier": "gold"}';
    expect(await reached({type: "headers", bindings: gold, headers: '{"region": "eu"}'})).toEqual([]);
    expect(await reached({type: "headers", bindings: gold, headers: '{"region": "eu", "tier": "gold"}'})).toEqual(["eu-orders"]);
    expect(await reached({type: "headers", bindings: routing.defaultBindings.headers, headers: '{"priority": "high"}'})).toEqual(["gold-desk", "audit"]);
    const refused = await route({type: "headers", bindings: 'eu-orders {"x-match": "some"}'});
    expect(refused.refusal?.message).toMatch(/PRECONDITION_FAILED - Invalid x-match field value <<"some">>/);
    expect(refused.routes).toEqual([]);
  });

  it("switching the type: each type's own default bindings route without an error", async () => {
    for (const type of EXCHANGE_TYPES) {
      const r = await route({type, bindings: routing.defaultBindings[type]});
      expect(r.refusal).toBeNull();
      expect(r.routes.length).toBeGreaterThan(1);
    }
  });

  it("switching to headers with the topic bindings still in place says what a headers binding looks like, naming the line", async () => {
    await expect(route({type: "headers"})).rejects.toThrow('Bindings, line 1: order.eu.* is not a JSON object. A headers binding is a queue name and a JSON object of arguments, such as eu-orders {"x-match": "all", "region": "eu"}.');
  });

  it("headers that are not a JSON object are refused in plain words, for every exchange type", async () => {
    for (const headers of ["null", "[]", '"eu"', "{not json"]) {
      await expect(route({headers})).rejects.toThrow(`Headers must be a JSON object such as {"region": "eu"}, not ${headers}`);
    }
    expect(await reached({headers: "  "})).toEqual(["eu-orders", "all-orders", "audit"]);
  });

  it("a routing or binding key over 255 bytes is refused as amqplib refuses it, at once (a pasted 100 KB key ran the matcher for seconds)", async () => {
    const long = "a.".repeat(40_000) + "c";
    const start = performance.now();
    for (const set of [{routingKey: long}, {bindings: `q #.${"*.".repeat(20_000)}b`}]) {
      const r = await route(set);
      expect(r.refusal?.message).toBe("Field 'routingKey' is the wrong type; must be a string (up to 255 chars)");
      expect(r.routes).toEqual([]);
    }
    expect(performance.now() - start).toBeLessThan(1000);
    expect((await route({routingKey: "é".repeat(127)})).refusal).toBeNull(); // 254 bytes
    expect((await route({routingKey: "é".repeat(128)})).refusal).not.toBeNull();
  });
});

describe("EventBridge and the pattern explainer", () => {
  it("the bus drops unmatched events and fans matched ones out per rule", async () => {
    const m = await metrics("bus");
    expect((m.matchedEvents as number) + (m.unmatched as number)).toBe(m.put);
    expect(m.deliveries).toBeGreaterThanOrEqual(m.matchedEvents as number);
  });

  it("a malformed pattern is a refusal, not a thrown error; a string total fails numeric", async () => {
    expect(await metrics("pattern")).toEqual({matched: false, fieldsFailed: 1, refused: false});
    expect(await metrics("pattern", {pattern: '{"source": "shop.orders"}'})).toMatchObject({refused: true, matched: false});
    expect(await metrics("pattern", {event: "{not json"})).toMatchObject({refused: true});
  });

  it("an event nested 20,000 arrays deep is explained, and its view crosses from the worker (the clone overflowed its stack)", async () => {
    const deep = `${"[".repeat(20_000)}${"]".repeat(20_000)}`;
    const run = await experiments.pattern.run({...lab.experiments.pattern.parameters, event: `{"source": "shop.orders", "detail-type": "OrderPlaced", "detail": {"total": ${deep}}}`});
    const view = structuredClone(experiments.pattern.view(run as never)) as {explanation: {fields: {path: string; eventValue: string}[]}};
    expect(view.explanation.fields.find((f) => f.path === "detail.total")?.eventValue).toBe("[...] (too deeply nested to show)");
    const shown = experiments.pattern.view(await experiments.pattern.run(lab.experiments.pattern.parameters) as never) as typeof view;
    expect(shown.explanation.fields.find((f) => f.path === "source")?.eventValue).toBe('"shop.orders"');
  });
});

describe("side by side", () => {
  it("lists the brokers in one fixed order, and only Kafka keeps what was read", async () => {
    const run = await experiments.sideBySide.run(lab.experiments.sideBySide.parameters) as {brokers: {broker: string; held: number; lateRead: number; firstRead: number}[]};
    expect(run.brokers.map((b) => b.broker)).toEqual([...BROKERS]);
    expect(BROKERS).toEqual(["Kafka", "RabbitMQ", "EventBridge"]);
    const n = lab.experiments.sideBySide.parameters.messages;
    expect(run.brokers.map((b) => [b.firstRead, b.held, b.lateRead])).toEqual([[n, n, n], [n, 0, 0], [n, 0, 0]]);
  });

  it("an EventBridge archive keeps the events and a replay gives them to the late rule", async () => {
    const m = await metrics("sideBySide", {archive: true});
    expect([m.eventbridgeHeld, m.eventbridgeLateRead]).toEqual([m.eventbridgeFirstRead, m.eventbridgeFirstRead]);
  });
});

describe("the decision helper", () => {
  it("recommends from the lab file's inputs, and refuses a negative peak", async () => {
    expect((await metrics("decision")).recommendsKafka).toBe(true);
    await expect(metrics("decision", {peakPerSecond: -1})).rejects.toThrow(/peakPerSecond must be a number >= 0/);
  });
});
