// The chart of 11.3's three-way comparison: one panel per broker, one row per job, a thick bar for
// each handling (coloured by worker), a red ring where a job's handling starts a second time, the
// slow job outlined, and the crash as a dashed rule. Drawn from the lab worker's view (view.ts).
import * as Plot from "../../ui/vendor/plot.js";
import type {Observed} from "../../claims/claim.js";
import type {TaskComparisonView, TaskRow} from "./view.js";

const seconds = {label: "time (s) →", transform: (t: number) => t / 1000};

export function taskComparisonPlot({brokers, workers, crashAtMs, slowJob, rows}: TaskComparisonView, {width = 640}: {width?: number} = {}) {
  return Plot.plot({
    width,
    height: 60 + 200 * brokers.length,
    marginLeft: 50,
    fy: {domain: brokers, axis: null, padding: 0.15},
    x: seconds,
    y: {label: "↑ job", grid: true},
    color: {domain: workers, legend: true},
    marks: [
      Plot.frame({stroke: "var(--theme-foreground-faintest)"}),
      Plot.ruleX([crashAtMs], {stroke: "var(--workbook-bad)", strokeDasharray: "4 3"}),
      Plot.ruleY(rows, {fy: "broker", y: "task", x1: "startedAt", x2: "to", stroke: "worker", strokeWidth: 3, tip: true,
        title: (d: TaskRow) => `${d.broker}: job ${d.task} → ${d.worker}${d.redelivered ? " (delivered again)" : ""}${d.duplicate ? ", handled twice" : ""}${d.acked ? "" : ", never acknowledged"}`}),
      Plot.ruleY(rows.filter((d) => d.task === slowJob), {fy: "broker", y: "task", x1: "startedAt", x2: "to", stroke: "currentColor", strokeWidth: 7, strokeOpacity: 0.25}),
      Plot.dot(rows.filter((d) => d.duplicate), {fy: "broker", x: "startedAt", y: "task", r: 6, stroke: "var(--workbook-bad)", strokeWidth: 2}),
      Plot.text(brokers, {fy: (b: string) => b, frameAnchor: "top-left", dx: 6, dy: 6, text: (b: string) => b, fontWeight: 600, fill: "currentColor"})
    ]
  });
}

/** The three outcomes in one line each, from the metrics the claims quote. */
export function taskComparisonCaption(m: Observed): string {
  const line = (name: string, p: string) =>
    `${name}: done at ${Number(m[`${p}LastDoneMs`]) / 1000} s, ${m[`${p}Redeliveries`]} redelivered, ${m[`${p}OrderViolations`]} out of key order, behind the slow job up to ${m[`${p}WaitBehindSlowJobMs`]} ms`;
  return [line("work queue", "queue"), line("consumer group", "group"), line("share group", "share")].join(" · ");
}
