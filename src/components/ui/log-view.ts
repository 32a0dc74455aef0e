// The log view: one topic's partitions as rows of record cells (offset, key colour; transaction
// markers, aborted and open records, removed ones as ghosts), with the log start offset, the last
// stable offset and the high watermark as markers, and under each partition one line per consumer
// group: its committed offset, each member's position and the lag. Drawn from a run's trace at any
// point of it, with the player's controls (player.ts); the state is log-state.ts's replay.
import {el as html, type Child} from "./dom.js";
import {isLogViewRequest, replay, topicEvents, busiestTopic, describeEvent, emptyPartition, type LogRecord, type PartitionState, type LogViewRequest} from "./log-state.js";
import {player} from "./player.js";
import type {TraceEvent} from "../sim/trace.js";

export interface LogViewOptions {
  width?: number;
  /** The topic to draw (default: the one with the most appends). */
  topic?: string;
  /** Virtual ms to show first (default: the end of the run). */
  time?: number;
  /** Play at once (default false; never under prefers-reduced-motion). */
  autoplay?: boolean;
  /** Accessible name of the drawing. */
  title?: string;
  /** Only these groups' lines (default: every group that read the topic). */
  groups?: string[];
  /** Colour records by their key (default) or by the producer batch they came in (keyless records). */
  colourBy?: "key" | "batch";
}

const defaults = {cell: 26, minCell: 1.5, row: 24, groupRow: 16, gutter: 118, top: 16};
/** Narrower cells (px) are slivers: drawn without border or rounding, alike neighbours as one block. */
const SLIVER = 6;
const palette = ["#4e79a7", "#f28e2c", "#e15759", "#76b7b2", "#59a14f", "#edc949", "#af7aa1", "#ff9da7", "#9c755f", "#bab0ab"];
const SVG = "http://www.w3.org/2000/svg";

type Source = readonly TraceEvent[] | {events: readonly TraceEvent[]} | LogViewRequest;

/** A log view of a run's trace, or of what an experiment cell's `logView(...)` returned. */
export function logView(source: Source, {width = 640, topic, time, autoplay = false, title, groups: only, colourBy = "key"}: LogViewOptions = {}): HTMLElement {
  const all = isLogViewRequest(source) ? source.events : "events" in source ? source.events : source;
  const name = topic ?? (isLogViewRequest(source) ? source.topic : busiestTopic(all));
  const root = html("figure", {class: "log-view"});
  if (name === null) return Object.assign(root, {textContent: "No record was appended in this run: nothing to draw."});
  const events = topicEvents(all, name);
  const final = replay(events, name);
  const groups = only ?? final.groups;
  const keyOf = (r: LogRecord) => (colourBy === "batch" ? (r.batch === null ? null : String(r.batch)) : r.key);
  const keys = [...new Set(final.partitions.flatMap((p) => p.records.filter((r) => r.type === "data").map(keyOf)))].filter((k): k is string => k !== null);
  // Each key's colour by a lookup: a thousand one-record batches are a thousand keys, and indexOf per cell was quadratic.
  const keyColour = new Map(keys.map((k, i) => [k, palette[i % palette.length]]));
  const colour = (r: LogRecord) => {
    const key = keyOf(r);
    return key === null ? "var(--theme-foreground-muted)" : keyColour.get(key)!;
  };
  const span = Math.max(1, ...final.partitions.map((p) => p.highWatermark));
  const gutter = Math.min(defaults.gutter, Math.round(width * 0.26));
  const cell = Math.max(defaults.minCell, Math.min(defaults.cell, (width - gutter - 64) / span));
  const x = (offset: number) => gutter + offset * cell;
  const block = defaults.top + defaults.row + groups.length * defaults.groupRow + 14;
  const height = final.partitions.length * block + 4;
  const labelEvery = Math.ceil(22 / cell);

  const svg = svgEl("svg", {width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title ?? `The log of topic ${name}: ${final.partitions.length} partitions`});
  const legend = html("p", {class: "log-legend"}, ...legendItems());
  const draw = (_t: number, done: number) => {
    const state = replay(events, name, done);
    // Partitions created later in the run (or before the first step) are drawn empty.
    const partitions = final.partitions.map((p) => state.partitions[p.partition] ?? emptyPartition(p.partition));
    svg.replaceChildren(...partitions.map((p, i) => partitionRow(p, i * block)));
    root.dataset.hw = partitions.map((p) => p.highWatermark).join(",");
    root.dataset.lso = partitions.map((p) => p.lastStableOffset).join(",");
    return partitions.length === 1 ? `HW ${partitions[0].highWatermark} · LSO ${partitions[0].lastStableOffset}` : "";
  };

  function partitionRow(p: PartitionState, y0: number): SVGElement {
    const g = svgEl("g", {class: "log-partition", transform: `translate(0,${y0})`});
    const y = defaults.top;
    g.append(text(4, y + defaults.row / 2 + 4, `partition ${p.partition}`, "log-name"));
    for (const run of cell < SLIVER ? alike(p.records) : p.records.map((r) => [r])) g.append(recordCell(run, y));
    // Offset numbers under every few cells (every cell when they fit).
    for (let o = 0; o < p.highWatermark; o += labelEvery) if (o >= p.logStartOffset || o % (labelEvery * 2) === 0) g.append(text(x(o) + cell / 2, y - 3, String(o), "log-offset", "middle"));
    if (p.logStartOffset > 0) g.append(marker(p.logStartOffset, y, "log-start", "start", "end"));
    if (p.lastStableOffset < p.highWatermark) g.append(marker(p.lastStableOffset, y, "log-lso", "LSO", "end"));
    g.append(marker(p.highWatermark, y, "log-hw", p.lastStableOffset < p.highWatermark ? "HW" : "HW=LSO", "start"));
    groups.forEach((group, j) => {
      const gy = y + defaults.row + 6 + j * defaults.groupRow;
      const gp = p.groups[group];
      // A group name that would reach the first cell is cut (about 6.5 px a character at this size).
      const fit = Math.floor((gutter - 12) / 6.5);
      const name = svgEl("text", {x: 4, y: gy + 4, class: "log-group"}, group);
      name.append(group.length > fit ? `${group.slice(0, fit - 1)}…` : group);
      g.append(name);
      if (!gp) return;
      const committed = gp.committed ?? p.logStartOffset;
      if (gp.lag > 0) g.append(svgEl("rect", {x: x(committed), y: gy - 4, width: x(p.highWatermark) - x(committed), height: 8, class: "log-lag"}));
      if (gp.committed !== null) g.append(svgEl("path", {d: `M${x(gp.committed)},${gy - 6}l-4,-6h8z`, class: "log-committed"}, `${group} committed offset ${gp.committed}`));
      for (const m of gp.members) g.append(svgEl("circle", {cx: x(m.position), cy: gy, r: 3.5, class: "log-position"}, `${m.member}: position ${m.position}`));
      // The members' names when they fit on the right (about 5.5 px a character at 10 px).
      const room = width - x(p.highWatermark) - 6;
      const named = `lag ${gp.lag} · ${gp.members.map((m) => m.member).join(", ")}`;
      const label = gp.members.length && named.length * 5.5 <= room ? named : `lag ${gp.lag}`;
      g.append(text(room >= label.length * 5.5 ? x(p.highWatermark) + 6 : width - 2, gy + 4, label, "log-lag-text", room >= label.length * 5.5 ? "start" : "end"));
    });
    return g;
  }

  /**
   * Consecutive data records drawn alike (same key, batch and state): slivers too narrow to tell
   * apart become one block, one element instead of one per record (a thousand keyless records
   * in a few dozen batches are a few dozen elements to lay out and paint, not three thousand).
   */
  function alike(records: LogRecord[]): LogRecord[][] {
    const runs: LogRecord[][] = [];
    for (const r of records) {
      const run = runs.at(-1);
      const last = run?.at(-1);
      if (run && last && r.type === "data" && last.type === "data" && r.offset === last.offset + 1 && r.key === last.key && r.batch === last.batch && kindOf(r) === kindOf(last)) run.push(r);
      else runs.push([r]);
    }
    return runs;
  }

  function kindOf(r: LogRecord): string {
    return r.removed ? `log-removed log-${r.removed}` : r.type !== "data" ? `log-marker log-${r.type}` : r.aborted ? "log-aborted" : r.open ? "log-open" : "log-record";
  }

  /** One record's cell, or a block of alike records (alike()) with their offsets in its title. */
  function recordCell(run: LogRecord[], y: number): SVGElement {
    const [r, end] = [run[0], run[run.length - 1]];
    const offsets = run.length === 1 ? `offset ${r.offset}` : `offsets ${r.offset}–${end.offset}`;
    const what = r.type === "data" ? `${offsets}, key ${r.key ?? "none"}, batch ${r.batch}${r.aborted ? ", aborted" : r.open ? ", in an open transaction" : ""}` : `${offsets}, ${r.type.toUpperCase()} marker`;
    const title = `${what}${r.removed ? ` (${r.removed})` : ""}`;
    const span = (end.offset - r.offset + 1) * cell;
    const letter = r.type !== "data" && cell >= 9;
    const strike = r.aborted && !r.removed;
    const rect = svgEl("rect", {class: `log-cell ${kindOf(r)}`, x: x(r.offset) + 0.5, y, width: Math.max(1, span - 1), height: defaults.row, rx: cell < SLIVER ? 0 : 2, "stroke-width": cell < SLIVER ? 0 : 1, fill: r.type === "data" && !r.removed ? colour(r) : "none"}, letter || strike ? undefined : title);
    // A plain cell is one rect with its title: a <g> around each of a thousand records was a thousand more elements to style and lay out.
    if (!letter && !strike) return rect;
    const g = svgEl("g", {}, title);
    g.append(rect);
    if (letter) g.append(text(x(r.offset) + cell / 2, y + defaults.row / 2 + 4, r.type === "commit" ? "C" : "A", "log-marker-letter", "middle"));
    if (strike) g.append(svgEl("path", {d: `M${x(r.offset) + 2},${y + 2}L${x(r.offset) + span - 2},${y + defaults.row - 2}`, class: "log-strike"}));
    return g;
  }

  function marker(offset: number, y: number, cls: string, label: string, anchor: "start" | "end" = "start"): SVGElement {
    const g = svgEl("g", {class: cls});
    g.append(svgEl("line", {x1: x(offset), x2: x(offset), y1: y - 2, y2: y + defaults.row + 4 + groups.length * defaults.groupRow}));
    // A label that would leave the drawing on the right turns to the left of its line.
    const side = anchor === "start" && x(offset) + 60 > width ? "end" : anchor;
    g.append(text(x(offset) + (side === "start" ? 3 : -3), y + defaults.row + 4 + groups.length * defaults.groupRow + 8, `${label} ${offset}`, "log-marker-label", side));
    return g;
  }

  function text(tx: number, ty: number, content: string, cls: string, anchor = "start"): SVGElement {
    const t = svgEl("text", {x: tx, y: ty, class: cls, "text-anchor": anchor});
    t.textContent = content;
    return t;
  }

  function legendItems(): Child[] {
    const item = (cls: string, label: string) => html("span", {class: `log-key ${cls}`}, label);
    return [item("log-key-hw", "high watermark"), item("log-key-lso", "last stable offset"), item("log-key-committed", "committed offset"), item("log-key-position", "member position"), item("log-key-lag", "lag"), item("log-key-marker", "C/A: commit/abort marker"), item("log-key-aborted", "aborted"), item("log-key-removed", "deleted or compacted")];
  }

  const times = events.map((e) => e.time);
  const controls = player({times, describe: (i) => describeEvent(events[i])}, draw, {autoplay, initial: "end"});
  root.append(svg, legend, controls.element);
  // A given time is the first frame (seek pauses there): drawing the end first would build the log twice.
  if (time === undefined) controls.start();
  else controls.seek(time);
  return root;
}

function svgEl(name: string, attributes: Record<string, string | number>, title?: string): SVGElement {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, String(v));
  if (title) {
    const t = document.createElementNS(SVG, "title");
    t.textContent = title;
    node.append(t);
  }
  return node;
}
