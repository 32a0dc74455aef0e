// The animated event-flow diagram: producers → broker (topic partitions | exchange → queues |
// bus → rules) → consumers, with each message a dot coloured by its key travelling along its
// hops. One component for all three brokers: callers describe the nodes and each message's
// timed hops (see the adapters next to each model). A label wider than its box wraps onto more
// lines, and where the stages side by side would squeeze labels into three lines or more (four
// stages on a phone), they stand top to bottom instead. The player's controls (player.ts): rewind,
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

// Sizes in px. Below `narrow` the text is smaller. A box is at most `box` wide with `gap` between
// boxes; its text keeps `pad` from its sides and breaks into lines `line` apart.
const defaults = {narrow: 520, font: 12, narrowFont: 9.5, noteFont: 10, box: 150, gap: 16, pad: 4, line: 12, maxLines: 2};

export function flowDiagram(
  {nodes, edges, messages}: {nodes: FlowNode[]; edges: FlowEdge[]; messages: FlowMessage[]},
  {width = 640, height, msPerSecond, autoplay = true, title = "Event flow"}: FlowOptions = {}
): HTMLElement {
  const narrow = width < defaults.narrow;
  const font = {label: narrow ? defaults.narrowFont : defaults.font, note: narrow ? defaults.narrowFont : defaults.noteFont};
  const {position, height: h} = layout(nodes, width, {label: measurer(font.label), note: measurer(font.note)}, height);
  const end = Math.max(1, ...messages.flatMap((m) => m.hops.map((hop) => hop.time)));
  const keys = [...new Set(messages.map((m) => m.key))];
  const colour = (key: string) => palette[keys.indexOf(key) % palette.length];

  const root = document.createElement("figure");
  root.className = "flow-diagram";
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
    box.append(el("rect", {x: -p.w / 2, y: -p.h / 2, width: p.w, height: p.h, rx: 6}));
    boxes.append(box);
    // Only the box carries the column's class (flow-consumer...): one per node.
    const g = el("g", {class: "flow-node", transform: at.transform});
    // The label's lines, then the note's, centred on the box (one line sits 4 px below the middle).
    const baseline = (i: number) => 4 + defaults.line * (i - (p.label.length + p.note.length - 1) / 2);
    g.append(lines(p.label, baseline, {"font-size": font.label}));
    if (p.note.length) g.append(lines(p.note, (i) => baseline(p.label.length + i), {"font-size": font.note, class: "flow-note"}));
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

/** A text of one tspan per line, centred on x = 0. */
function lines(text: string[], baseline: (i: number) => number, attributes: Record<string, string | number>): SVGElement {
  const node = el("text", {"text-anchor": "middle", ...attributes});
  text.forEach((line, i) => {
    const span = el("tspan", {x: 0, y: baseline(i)});
    span.textContent = line;
    node.append(span);
  });
  return node;
}

/** Text widths in px as the browser draws the diagram's font at `size`. */
function measurer(size: number): (text: string) => number {
  const context = document.createElement("canvas").getContext("2d")!;
  context.font = `${size}px ${getComputedStyle(document.body).getPropertyValue("--sans-serif")}`;
  return (text) => context.measureText(text).width;
}

interface Placed {
  x: number;
  y: number;
  w: number;
  h: number;
  /** The label's and the note's lines. */
  label: string[];
  note: string[];
}

/**
 * Where each node's box goes, its size, and its text broken to fit it. The stages (producer,
 * broker, route, consumer) stand left to right, each a column; when that would break some box's
 * text into more than `maxLines` lines and one row per stage, top to bottom, breaks it less (a
 * narrow screen, four stages), they stand one under the other instead.
 */
export function layout(nodes: FlowNode[], width: number, measure: {label: (text: string) => number; note: (text: string) => number}, height?: number): {position: Map<string, Placed>; height: number} {
  const stages = columns.map((c) => nodes.filter((n) => n.column === c)).filter((stage) => stage.length > 0);
  const fit = (across: number) => {
    const w = Math.min(width / across - defaults.gap, defaults.box);
    return stages.map((stage) => stage.map((n) => ({w, label: wrap(n.label, w - 2 * defaults.pad, measure.label), note: n.note ? wrap(n.note, w - 2 * defaults.pad, measure.note) : []})));
  };
  const most = (boxes: {label: string[]; note: string[]}[][]) => Math.max(1, ...boxes.flat().map((b) => b.label.length + b.note.length));
  const columnwise = fit(Math.max(1, stages.length));
  const rowwise = fit(Math.max(1, ...stages.map((stage) => stage.length)));
  const down = most(columnwise) > defaults.maxLines && most(rowwise) < most(columnwise);
  const boxes = down ? rowwise : columnwise;
  // Two lines fit a 30 px box; each further line makes it taller, and the rows as far apart as
  // the tallest needs.
  const boxHeight = (lines: number) => Math.max(30, defaults.line * lines + 6);
  const tallest = boxHeight(most(boxes));
  const h = height ?? (down ? (tallest + 30) * stages.length : Math.max(160, (tallest + 14) * Math.max(1, ...stages.map((stage) => stage.length)) + 40));
  const position = new Map<string, Placed>();
  boxes.forEach((stage, i) =>
    stage.forEach((box, j) => {
      const [along, across] = [(i + 0.5) / boxes.length, (j + 0.5) / stage.length];
      position.set(stages[i][j].id, {...box, h: boxHeight(box.label.length + box.note.length), x: (down ? across : along) * width, y: (down ? along : across) * h});
    })
  );
  return {position, height: h};
}

/**
 * A label broken into lines no wider than `max`: at spaces when that takes no more lines, else
 * also after a hyphen or slash and between camelCase words ("fraud-checks-" / "handler", not
 * `names "mailer-` / `v2"`); a word wider than a line on its own is broken between letters.
 */
export function wrap(text: string, max: number, measure: (text: string) => number): string[] {
  const fine = fill(text.split(/(?<=[\s\-/])|(?<=[a-z])(?=[A-Z])/), max, measure);
  const words = text.split(/(?<=\s)/);
  if (words.some((word) => measure(word.trimEnd()) > max)) return fine;
  const coarse = fill(words, max, measure);
  return coarse.length <= fine.length ? coarse : fine;
}

/** Words laid into lines greedily; a word wider than `max` goes letter by letter. */
function fill(words: string[], max: number, measure: (text: string) => number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    for (const part of measure(word.trimEnd()) > max ? [...word] : [word]) {
      if (line && measure((line + part).trimEnd()) > max) {
        lines.push(line.trimEnd());
        line = "";
      }
      line += part;
    }
  }
  return [...lines, line.trimEnd()];
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
