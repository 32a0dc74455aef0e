// Charts for the partitioner experiment: where each key lands, and how many keys move when a
// topic gains a partition.
import * as Plot from "../../ui/vendor/plot.js";
import type {KeyPlacement, PartitionGrowth} from "./placement.js";

export interface PartitionChartOptions {
  width?: number;
  numPartitions: number;
}

/** One row per key, a mark in the column of its partition; a bar per partition counts its keys. */
export function keyPlacementPlot(placements: KeyPlacement[], {width = 640, numPartitions}: PartitionChartOptions): SVGSVGElement | HTMLElement {
  const label = (key: string) => JSON.stringify(key);
  return Plot.plot({
    width,
    height: Math.max(120, 28 * placements.length + 60),
    marginLeft: Math.min(200, 8 + 7 * Math.max(6, ...placements.map((p) => label(p.key).length))),
    x: {domain: [-0.5, numPartitions - 0.5], label: "partition →", ticks: numPartitions <= 16 ? numPartitions : 8, tickFormat: "d", grid: true},
    y: {domain: placements.map((p) => label(p.key)), label: null},
    color: {type: "categorical", domain: Array.from({length: numPartitions}, (_, i) => i)},
    marks: [
      Plot.dot(placements, {x: "partition", y: (p: KeyPlacement) => label(p.key), fill: "partition", r: 7, tip: true, title: (p: KeyPlacement) => `${label(p.key)} → partition ${p.partition}`}),
      Plot.text(placements, {x: "partition", y: (p: KeyPlacement) => label(p.key), text: "partition", dx: 14, textAnchor: "start", fill: "currentColor"})
    ]
  });
}

/** Share of keys that change partition when the topic grows from N to N + 1; `current` is highlighted. */
export function partitionGrowthPlot(rows: PartitionGrowth[], {width = 640, current}: {width?: number; current: number}): SVGSVGElement | HTMLElement {
  return Plot.plot({
    width,
    height: 220,
    x: {label: "partitions before → after adding one", tickFormat: (d: number) => `${d}→${d + 1}`, ticks: 8},
    y: {label: "↑ keys that move (%)", domain: [0, 100], grid: true},
    marks: [
      Plot.rectY(rows, {x1: (r: PartitionGrowth) => r.from - 0.4, x2: (r: PartitionGrowth) => r.from + 0.4, y: (r: PartitionGrowth) => 100 * r.share, fill: (r: PartitionGrowth) => (r.from === current ? "var(--workbook-accent)" : "var(--theme-foreground-faint)"), tip: true, title: (r: PartitionGrowth) => `${r.from} → ${r.to}: ${r.moved} of ${r.keys} keys move (${Math.round(100 * r.share)}%)`}),
      Plot.line(rows, {x: "from", y: (r: PartitionGrowth) => 100 * (1 - 1 / r.to), stroke: "var(--workbook-warn)", strokeDasharray: "4 3"}),
      Plot.ruleY([0])
    ]
  });
}
