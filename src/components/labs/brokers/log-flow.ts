// 11.3's flow diagram of the log workload, drawn from the log view's events on the page: the
// worker sends those events once, for the log view and the flow alike (a flow built in the worker
// was a third of the view's bytes, copied to the page at every step of a slider).
import type {FlowEdge, FlowMessage, FlowNode} from "../../ui/flow.js";
import type {TraceEvent} from "../../sim/trace.js";

/** Producer → partitions → groups: each consumed record is a dot from its append to its consumption. */
export function logFlow(events: readonly TraceEvent[], groups: readonly string[]): {nodes: FlowNode[]; edges: FlowEdge[]; messages: FlowMessage[]} {
  const created = events.find((e) => e.kind === "kafka.topic.create");
  const partitions = created?.kind === "kafka.topic.create" ? created.partitions : 0;
  const nodes: FlowNode[] = [
    {id: "producer", label: "order service", column: "producer"},
    ...Array.from({length: partitions}, (_, p) => ({id: `p${p}`, label: `orders-${p}`, column: "broker" as const})),
    ...groups.map((g) => ({id: g, label: g, column: "consumer" as const}))
  ];
  const edges: FlowEdge[] = [
    ...Array.from({length: partitions}, (_, p) => ({from: "producer", to: `p${p}`})),
    ...groups.flatMap((g) => Array.from({length: partitions}, (_, p) => ({from: `p${p}`, to: g})))
  ];
  const appended = new Map<string, {time: number; key: string}>();
  const messages: FlowMessage[] = [];
  for (const e of events) {
    if (e.kind === "kafka.append") appended.set(`${e.partition}/${e.offset}`, {time: e.time, key: String(e.key)});
    if (e.kind === "kafka.consume") {
      const a = appended.get(`${e.partition}/${e.offset}`);
      if (!a) continue;
      messages.push({
        id: `${e.group}:${e.partition}/${e.offset}`,
        key: a.key,
        hops: [{node: "producer", time: Math.max(0, a.time - 1)}, {node: `p${e.partition}`, time: a.time}, {node: String(e.group), time: e.time}]
      });
    }
  }
  return {nodes, edges, messages};
}
