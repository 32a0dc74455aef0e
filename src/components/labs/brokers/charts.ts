// Charts for 11.3: a log read by consumer groups at their own pace, a work queue shared by
// competing workers, and what each broker still holds once everything is delivered.
import * as Plot from "@observablehq/plot";
import type {GroupProgress} from "./kafka-log.js";
import type {QueueSample, TaskDelivery} from "./work-queue.js";
import type {FieldExplanation} from "../../eventbridge/pattern.js";

export function groupProgressPlot(progress: GroupProgress[], {width = 640}: {width?: number} = {}) {
  const logEnd = [...new Map(progress.map((p) => [p.time, p.logEnd])).entries()].map(([time, logEnd]) => ({time, logEnd}));
  return Plot.plot({
    width,
    height: 260,
    x: {label: "time (s) →", transform: (t: number) => t / 1000},
    y: {label: "↑ records", grid: true},
    color: {legend: true},
    marks: [
      Plot.areaY(logEnd, {x: "time", y: "logEnd", fill: "var(--theme-foreground-faintest)", curve: "step-after"}),
      Plot.lineY(logEnd, {x: "time", y: "logEnd", stroke: "var(--theme-foreground-muted)", strokeDasharray: "4 3", curve: "step-after"}),
      Plot.text(logEnd.slice(-1), {x: "time", y: "logEnd", text: () => "log end", dy: -8, textAnchor: "end", fill: "var(--theme-foreground-muted)"}),
      Plot.lineY(progress, {x: "time", y: "consumed", stroke: "group", strokeWidth: 2, tip: true}),
      Plot.ruleY([0])
    ]
  });
}

export function workQueuePlot(deliveries: TaskDelivery[], depth: QueueSample[], {width = 640}: {width?: number} = {}) {
  return Plot.plot({
    width,
    height: 280,
    x: {label: "time (s) →", transform: (t: number) => t / 1000},
    y: {label: "↑ tasks", grid: true},
    color: {legend: true},
    marks: [
      Plot.areaY(depth, {x: "time", y: "ready", fill: "var(--theme-foreground-faintest)", curve: "step-after"}),
      Plot.lineY(depth, {x: "time", y: "ready", stroke: "var(--theme-foreground-muted)", strokeDasharray: "4 3", curve: "step-after", tip: true, title: (d: QueueSample) => `${d.ready} ready, ${d.unacked} unacked`}),
      Plot.dot(deliveries, {x: "time", y: "task", fill: "worker", r: 3, tip: true, title: (d: TaskDelivery) => `task ${d.task} → ${d.worker}${d.redelivered ? " (redelivered)" : ""}`}),
      Plot.dot(deliveries.filter((d) => d.duplicate), {x: "time", y: "task", r: 8, stroke: "var(--workbook-bad)", strokeWidth: 2}),
      Plot.ruleY([0])
    ]
  });
}

export interface Remaining {
  broker: string;
  delivered: number;
  remaining: number;
  note: string;
}

export function remainingPlot(rows: Remaining[], {width = 640}: {width?: number} = {}) {
  return Plot.plot({
    width,
    height: 40 + 40 * rows.length,
    marginLeft: 110,
    x: {label: "records or messages →", grid: true},
    y: {label: null},
    marks: [
      Plot.barX(rows, {y: "broker", x: "delivered", fill: "var(--theme-foreground-faintest)"}),
      Plot.barX(rows, {y: "broker", x: "remaining", fill: "var(--workbook-accent)", tip: true, title: (r: Remaining) => r.note}),
      Plot.text(rows, {y: "broker", x: "delivered", text: (r: Remaining) => `${r.remaining} of ${r.delivered} still held`, dx: -6, textAnchor: "end", fill: "currentColor"}),
      Plot.ruleX([0])
    ]
  });
}

/** explainMatch's rows as a table-friendly array. */
export function explanationRows(fields: FieldExplanation[]) {
  return fields.map((f) => ({"": f.matched ? "✓" : "✗", field: f.path, condition: f.condition, "event value": f.present ? JSON.stringify(f.eventValue) : "(missing)", why: f.reason}));
}
