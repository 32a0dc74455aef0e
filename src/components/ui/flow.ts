// The animated event-flow diagram: producers → broker (topic partitions | exchange → queues |
// bus → rules) → consumers, with each message a dot coloured by its key travelling along its
// hops. One component for all three brokers: callers describe the nodes and each message's
// timed hops (see the adapters next to each model). Play, pause, step, speed and a time
// scrubber; under prefers-reduced-motion it never animates by itself and shows a still frame.

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
  const speed = msPerSecond ?? end / 12;
  const keys = [...new Set(messages.map((m) => m.key))];
  const colour = (key: string) => palette[keys.indexOf(key) % palette.length];
  const reducedMotion = typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches;

  const root = document.createElement("figure");
  root.className = width < 520 ? "flow-diagram flow-narrow" : "flow-diagram";
  const svg = el("svg", {width, height: h, viewBox: `0 0 ${width} ${h}`, role: "img", "aria-label": title});
  for (const e of edges) {
    const a = position.get(e.from), b = position.get(e.to);
    if (a && b) svg.append(el("line", {x1: a.x, y1: a.y, x2: b.x, y2: b.y, class: "flow-edge"}));
  }
  const dots = el("g", {});
  for (const n of nodes) {
    const p = position.get(n.id)!;
    const g = el("g", {class: `flow-node flow-${n.column}`, transform: `translate(${p.x},${p.y})`});
    g.append(el("rect", {x: -p.w / 2, y: -15, width: p.w, height: 30, rx: 6}));
    const label = el("text", {y: n.note ? -2 : 4, "text-anchor": "middle"});
    label.textContent = n.label;
    g.append(label);
    if (n.note) {
      const note = el("text", {y: 10, "text-anchor": "middle", class: "flow-note"});
      note.textContent = n.note;
      g.append(note);
    }
    svg.append(g);
  }
  svg.append(dots);

  const controls = document.createElement("div");
  controls.className = "flow-controls";
  const play = button("Play");
  const step = button("Step");
  const speedSelect = document.createElement("select");
  speedSelect.setAttribute("aria-label", "speed");
  for (const s of [0.25, 0.5, 1, 2, 4]) speedSelect.append(new Option(`${s}x`, String(s), s === 1, s === 1));
  const scrubber = document.createElement("input");
  Object.assign(scrubber, {type: "range", min: "0", max: String(end), step: "any", value: "0"});
  scrubber.setAttribute("aria-label", "time");
  const clock = document.createElement("output");
  controls.append(play, step, speedSelect, scrubber, clock);
  root.append(svg, controls);

  let t = 0;
  let playing = false;
  let last = 0;
  const draw = () => {
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
    scrubber.value = String(t);
    clock.value = `t = ${(t / 1000).toFixed(2)} s · ${inFlight} in view`;
    root.dataset.time = String(t);
  };
  const frame = (now: number) => {
    if (!playing || !root.isConnected) return void (playing = false);
    t = Math.min(end, t + ((now - last) / 1000) * speed * Number(speedSelect.value));
    last = now;
    draw();
    if (t >= end) setPlaying(false);
    else requestAnimationFrame(frame);
  };
  const setPlaying = (on: boolean) => {
    playing = on;
    play.textContent = on ? "Pause" : "Play";
    root.dataset.playing = String(on);
    if (on) {
      if (t >= end) t = 0;
      last = performance.now();
      requestAnimationFrame(frame);
    }
  };
  play.onclick = () => setPlaying(!playing);
  step.onclick = () => {
    setPlaying(false);
    const next = messages.flatMap((m) => m.hops.map((hop) => hop.time)).filter((time) => time > t).reduce((a, b) => Math.min(a, b), Infinity);
    t = Number.isFinite(next) ? next : end;
    draw();
  };
  scrubber.oninput = () => {
    setPlaying(false);
    t = Number(scrubber.value);
    draw();
  };
  // The still frame for reduced motion is the end of the run: every message where it finished.
  if (reducedMotion || !autoplay) t = reducedMotion ? end : 0;
  draw();
  if (autoplay && !reducedMotion && messages.length > 0) setPlaying(true);
  return root;
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

function button(label: string): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  return b;
}
