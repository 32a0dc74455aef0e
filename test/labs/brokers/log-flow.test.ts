// 11.3's flow diagram, drawn on the page from the log view's events (log-flow.ts).
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {runView, type ViewedExperiment} from "../../../src/components/ui/lab-worker.js";
import {experiments} from "../../../src/components/labs/brokers/index.js";
import {logFlow} from "../../../src/components/labs/brokers/log-flow.js";
import type {TraceEvent} from "../../../src/components/sim/trace.js";

const lab = JSON.parse(readFileSync("data/scenarios/brokers.json", "utf8"));
const parameters = lab.experiments.kafkaLog.parameters;

describe("logFlow", () => {
  it("draws every record a group read, from its append through its partition to the group", async () => {
    const {view} = await runView(experiments.kafkaLog as unknown as ViewedExperiment, parameters);
    const {log, groups} = view as {log: {events: TraceEvent[]}; groups: string[]};
    const flow = logFlow(log.events, groups);
    expect(flow.nodes.filter((n) => n.column === "broker").map((n) => n.label)).toEqual(Array.from({length: parameters.partitions}, (_, p) => `orders-${p}`));
    expect(flow.nodes.filter((n) => n.column === "consumer").map((n) => n.id)).toEqual(groups);
    expect(flow.edges.length).toBe(parameters.partitions * (1 + groups.length));

    const appends = new Map(log.events.flatMap((e) => (e.kind === "kafka.append" ? [[`${e.partition}/${e.offset}`, e] as const] : [])));
    const consumes = log.events.filter((e) => e.kind === "kafka.consume");
    expect(consumes.length).toBe(parameters.records * groups.length); // every group reads every record
    expect(flow.messages.length).toBe(consumes.length);
    flow.messages.forEach((m, i) => {
      const read = consumes[i];
      if (read.kind !== "kafka.consume") throw new Error("not a consume event");
      const append = appends.get(`${read.partition}/${read.offset}`)!;
      expect(m.key).toBe(append.key);
      expect(m.hops.map((h) => h.node)).toEqual(["producer", `p${read.partition}`, read.group]);
      expect(m.hops.map((h) => h.time)).toEqual([Math.max(0, append.time - 1), append.time, read.time]);
    });
  });

  it("draws nothing for a trace without the topic", () => {
    expect(logFlow([], ["billing"])).toEqual({nodes: [{id: "producer", label: "order service", column: "producer"}, {id: "billing", label: "billing", column: "consumer"}], edges: [], messages: []});
  });
});
