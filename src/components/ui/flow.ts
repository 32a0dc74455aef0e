// The animated event-flow diagram: producers → broker (topic partitions | exchange → queues |
// bus → rules) → consumers, with each message a dot coloured by its key travelling along its
// hops. One component for all three brokers: callers describe the nodes and each message's
// timed hops (see the adapters next to each model). The player's controls (player.ts): rewind,
// step back, play, step, speed and a time scrubber, with a live region that says what each step
// did; under prefers-reduced-motion it never animates by itself and shows the run's end.
import {player} from "./player.js";

export type FlowColumn = "producer" | "broker" | "route" | "consumer";

export interface FlowNode {
  id: string;
  label: string;
  column: FlowColumn;
  /** Optional note drawn under the label ("offset 41", "3 ready"). */
  note?: string;
}

export interface FlowHop {
  node: string;
  time: number;
}

export interface FlowMessage {
  id: string | number;
  key: string;
  /** The nodes a message visits, in time order. */
  hops: FlowHop[];
  /** A message that failed or was dropped ends in a cross at its last hop. */
  failed?: boolean;
}

export interface FlowEdge {
  from: string;
  to: string;
}

export interface FlowOptions {
  width?: number;
  height?: number;
  /** Virtual ms shown per real second at 1x (default: the whole run in about 12 s). */
  msPerSecond?: number;
  /** Start playing at once (default true, never under prefers-reduced-motion). */
  autoplay?: boolean;
  title?: string;
}

const palette = ["#4e79a7", "#f28e2c", "#e15759", "#76b7b2", "#59a14f", "#edc949", "#af7aa1", "#ff9da7", "#9c755f", "#bab0ab"];
const columns: FlowColumn[] = ["producer", "broker", "route", "consumer"];
const SVG = "http://www.w3.org/2000/svg";

export function flowDiagram(
  {nodes, edges, messages}: {nodes: FlowNode[]; edges: FlowEdge[]; messages: FlowMessage[]},
  {width = 640, height, msPerSecond, autoplay = true, title = "Event flow"}: FlowOptions = {}
): HTMLElement {
  const used = columns.filter((c) => nodes.some((n) => n.column === c));
  const rows = Math.max(1, ...used.map((c) => nodes.filter((n) => n.column === c).length));
  const h = height ?? Math.max(160, 44 * rows + 40);
  const position = layout(nodes, used, width, h);
  const end = Math.max(1, ...messages.flatMap((m) => m.hops.map((hop) => hop.time)));
  const keys = [...new Set(messages.map((m) => m.key))];
  const colour = (key: string) => palette[keys.indexOf(key) % palette.length];

  const root = document.createElement("figure");
  root.className = width < 520 ? "flow-diagram flow-narrow" : "flow-diagram";
  const svg = el("svg", {width, height: h, viewBox: `0 0 ${width} ${h}`, role: "img", "aria-label": title});
  for (const e of edges) {
    const a = position.get(e.from), b = position.get(e.to);
    if (a && b) svg.append(el("line", {x1: a.x, y1: a.y, x2: b.x, y2: b.y, class: "flow-edge"}));
  }
  // Boxes, then the dots, then the labels on top with a halo (paint-order stroke in the
  // background colour): a dot waiting at a node never hides its name.
  const boxes = el("g", {});
  const dots = el("g", {});
  const labels = el("g", {class: "flow-labels"});
  for (const n of nodes) {
    const p = position.get(n.id)!;
    const at = {class: `flow-node flow-${n.column}`, transform: `translate(${p.x},${p.y})`};
    const box = el("g", at);
    box.append(el("rect", {x: -p.w / 2, y: -15, width: p.w, height: 30, rx: 6}));
    boxes.append(box);
    // Only the box carries the column's class (flow-consumer...): one per node.
    const g = el("g", {class: "flow-node", transform: at.transform});
    const label = el("text", {y: n.note ? -2 : 4, "text-anchor": "middle"});
    label.textContent = n.label;
    g.append(label);
    if (n.note) {
      const note = el("text", {y: 10, "text-anchor": "middle", class: "flow-note"});
      note.textContent = n.note;
      g.append(note);
    }
    labels.append(g);
  }
  svg.append(boxes, dots, labels);

  const steps = flowSteps(messages, nodes);
  const draw = (t: number) => {
    dots.replaceChildren();
    let inFlight = 0;
    for (const m of messages) {
      const at = locate(m, t, position, end / 40);
      if (!at) continue;
      inFlight++;
      const dot = el(at.failed ? "path" : "circle", at.failed ? {d: cross(at.x, at.y), class: "flow-failed"} : {cx: at.x, cy: at.y, r: 5, fill: colour(m.key), class: "flow-dot"});
      const tip = el("title", {});
      tip.textContent = `${m.key} (#${m.id})`;
      dot.append(tip);
      dots.append(dot);
    }
    root.dataset.time = String(t);
    return `${inFlight} in view`;
  };
  const controls = player({times: steps.map((s) => s.time), describe: (i) => steps[i].text, end}, draw, {msPerSecond, autoplay: autoplay && messages.length > 0, initial: "end"});
  root.append(svg, controls.element);
  controls.start();
  return root;
}

/** The flow's steps: each instant at which messages reach a node, said in words. */
function flowSteps(messages: FlowMessage[], nodes: FlowNode[]): {time: number; text: string}[] {
  const name = new Map(nodes.map((n) => [n.id, n.label]));
  const at = new Map<number, string[]>();
  for (const m of messages) {
    m.hops.forEach((hop, i) => {
      const failed = m.failed && i === m.hops.length - 1;
      const what = `${m.key} (#${m.id}) ${i === 0 ? "leaves" : failed ? "fails at" : "reaches"} ${name.get(hop.node) ?? hop.node}`;
      at.set(hop.time, [...(at.get(hop.time) ?? []), what]);
    });
  }
  return [...at].sort((a, b) => a[0] - b[0]).map(([time, what]) => ({time, text: `t = ${(time / 1000).toFixed(2)} s: ${what.slice(0, 4).join("; ")}${what.length > 4 ? `; and ${what.length - 4} more` : ""}.`}));
}

interface Placed {
  x: number;
  y: number;
  w: number;
}

function layout(nodes: FlowNode[], used: FlowColumn[], width: number, height: number): Map<string, Placed> {
  const position = new Map<string, Placed>();
  const colWidth = width / Math.max(1, used.length);
  used.forEach((column, i) => {
    const inColumn = nodes.filter((n) => n.column === column);
    inColumn.forEach((n, j) => {
      position.set(n.id, {x: colWidth * (i + 0.5), y: ((j + 0.5) * height) / inColumn.length, w: Math.min(colWidth - 16, 150)});
    });
  });
  return position;
}

// Where a message is at time t: between two hops it moves along the edge; after its last hop
// it lingers a moment at the last node (so a consumer visibly receives it), or stays there
// as a cross when it failed.
function locate(m: FlowMessage, t: number, position: Map<string, Placed>, linger: number): {x: number; y: number; failed: boolean} | null {
  const hops = m.hops;
  if (hops.length === 0 || t < hops[0].time) return null;
  for (let i = 0; i < hops.length - 1; i++) {
    const a = hops[i], b = hops[i + 1];
    if (t >= a.time && t < b.time) {
      const pa = position.get(a.node), pb = position.get(b.node);
      if (!pa || !pb) return null;
      const f = (t - a.time) / Math.max(1e-9, b.time - a.time);
      return {x: pa.x + (pb.x - pa.x) * f, y: pa.y + (pb.y - pa.y) * f, failed: false};
    }
  }
  const lastHop = hops[hops.length - 1];
  const p = position.get(lastHop.node);
  if (!p || (!m.failed && t > lastHop.time + linger)) return null;
  return {x: p.x, y: p.y, failed: !!m.failed};
}

function cross(x: number, y: number): string {
  return `M${x - 4},${y - 4}L${x + 4},${y + 4}M${x - 4},${y + 4}L${x + 4},${y - 4}`;
}

function el(name: string, attributes: Record<string, string | number>): SVGElement {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, String(v));
  return node;
}
