// The 11.3 bus workload: shop events put on a bus whose rules route them, by pattern, to
// simulated targets. Nothing is kept after delivery unless an archive is configured.
import {createSimulation} from "../../sim/index.js";
import type {FlowEdge, FlowMessage, FlowNode} from "../../ui/flow.js";
import {createEventBridge} from "../../eventbridge/bus.js";

export interface RuleSpec {
  name: string;
  pattern: object | string;
}

export interface BusWorkloadOptions {
  seed: number | string;
  events: number;
  ratePerSecond: number;
  rules: RuleSpec[];
  /** Each event's detail-type is drawn from this list (repeat an entry to make it likelier). */
  detailTypes: string[];
  countries: string[];
  /** Mean of the exponentially distributed order totals. */
  meanTotal: number;
}

export interface BusWorkloadRun {
  /** Events that matched each rule (an event may match several, or none). */
  matched: {rule: string; events: number}[];
  unmatched: number;
  put: number;
  /** Rules each event matched, by event id: 0 for a dropped event, 2 or more for a fan-out. */
  rulesPerEvent: number[];
  /** Invocations of the rules' targets. */
  deliveries: number;
  flow: {nodes: FlowNode[]; edges: FlowEdge[]; messages: FlowMessage[]};
}

export async function runBusWorkload({seed, events, ratePerSecond, rules, detailTypes, countries, meanTotal}: BusWorkloadOptions): Promise<BusWorkloadRun> {
  if (!(Number.isInteger(events) && events >= 1 && events <= 10_000)) throw new RangeError(`events must be an integer in [1, 10000], got ${events}`);
  if (!(ratePerSecond > 0)) throw new RangeError(`ratePerSecond must be > 0, got ${ratePerSecond}`);
  const sim = createSimulation({seed});
  const bus = createEventBridge(sim);
  for (const rule of rules) {
    bus.putRule({Name: rule.name, EventPattern: rule.pattern});
    const target = bus.createFunction(`${rule.name}-handler`);
    bus.putTargets({Rule: rule.name, Targets: [{Id: "handler", Arn: target.arn}]});
  }
  for (let i = 0; i < events; i++) {
    sim.schedule((i * 1000) / ratePerSecond, () => {
      const detailType = sim.random.pick(detailTypes);
      const detail = {orderId: `order-${i + 1}`, total: Math.round(sim.random.exponential(meanTotal)), country: sim.random.pick(countries)};
      bus.putEvents({Entries: [{Source: detailType.startsWith("Refund") ? "shop.payments" : "shop.orders", DetailType: detailType, Detail: JSON.stringify(detail)}]});
    });
  }
  await sim.runUntilIdle();

  const trace = sim.trace.events as readonly {kind: string; time: number; [k: string]: unknown}[];
  const putAt = new Map(trace.filter((e) => e.kind === "eventbridge.put").map((e) => [String(e.eventId), e]));
  const matches = trace.filter((e) => e.kind === "eventbridge.match");
  const delivered = new Map(trace.filter((e) => e.kind === "eventbridge.deliver").map((e) => [`${e.eventId}/${e.rule}`, e.time]));
  const nodes: FlowNode[] = [
    {id: "shop", label: "shop services", column: "producer"},
    {id: "bus", label: "event bus", column: "broker", note: "keeps nothing"},
    ...rules.map((r) => ({id: `rule:${r.name}`, label: r.name, column: "route" as const})),
    ...rules.map((r) => ({id: `target:${r.name}`, label: `${r.name}-handler`, column: "consumer" as const}))
  ];
  const edges: FlowEdge[] = [{from: "shop", to: "bus"}, ...rules.flatMap((r) => [{from: "bus", to: `rule:${r.name}`}, {from: `rule:${r.name}`, to: `target:${r.name}`}])];
  const messages: FlowMessage[] = [...putAt.values()].map((put) => {
    const hit = matches.filter((m) => m.eventId === put.eventId);
    const start = put.time;
    return hit.length === 0
      ? [{id: String(put.eventId), key: String(put.detailType), failed: true, hops: [{node: "shop", time: start}, {node: "bus", time: start + 5}]}]
      : hit.map((m) => ({
          id: `${put.eventId}/${m.rule}`,
          key: String(put.detailType),
          hops: [{node: "shop", time: start}, {node: "bus", time: start + 5}, {node: `rule:${m.rule}`, time: start + 8}, {node: `target:${m.rule}`, time: delivered.get(`${put.eventId}/${m.rule}`) ?? start + 12}]
        }));
  }).flat();
  return {
    matched: rules.map((r) => ({rule: r.name, events: matches.filter((m) => m.rule === r.name).length})),
    unmatched: trace.filter((e) => e.kind === "eventbridge.unmatched").length,
    put: putAt.size,
    rulesPerEvent: [...putAt.keys()].map((id) => matches.filter((m) => String(m.eventId) === id).length),
    deliveries: delivered.size,
    flow: {nodes, edges, messages}
  };
}
