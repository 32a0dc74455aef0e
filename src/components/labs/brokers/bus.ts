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
  seed?: number | string;
  events?: number;
  ratePerSecond?: number;
  rules?: RuleSpec[];
}

export interface BusWorkloadRun {
  /** Events that matched each rule (an event may match several, or none). */
  matched: {rule: string; events: number}[];
  unmatched: number;
  put: number;
  flow: {nodes: FlowNode[]; edges: FlowEdge[]; messages: FlowMessage[]};
}

export const defaultRules: RuleSpec[] = [
  {name: "fraud-checks", pattern: {source: ["shop.orders"], "detail-type": ["OrderPlaced"], detail: {total: [{numeric: [">", 500]}]}}},
  {name: "eu-shipping", pattern: {source: ["shop.orders"], detail: {country: ["NL", "DE", "FR", "IE"]}}},
  {name: "refund-desk", pattern: {"detail-type": [{prefix: "Refund"}]}}
];

const detailTypes = ["OrderPlaced", "OrderPlaced", "OrderPlaced", "RefundRequested", "OrderShipped"];
const countries = ["NL", "DE", "US", "FR", "JP", "IE"];

export async function runBusWorkload({seed = 6, events = 40, ratePerSecond = 8, rules = defaultRules}: BusWorkloadOptions = {}): Promise<BusWorkloadRun> {
  if (!(Number.isInteger(events) && events >= 1 && events <= 10_000)) throw new RangeError(`events must be an integer in [1, 10000], got ${events}`);
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
      const detail = {orderId: `order-${1040 + i}`, total: Math.round(sim.random.exponential(200)), country: sim.random.pick(countries)};
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
    flow: {nodes, edges, messages}
  };
}
