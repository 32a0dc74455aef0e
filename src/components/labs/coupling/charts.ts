// Charts for the request-driven vs event-driven experiment (11.1), drawn from the rows of view.ts.
import * as Plot from "../../ui/vendor/plot.js";
import type {Fault} from "./model.js";
import type {BacklogPoint, FailureCount, LatencyPoint} from "./view.js";

const modelColor = {domain: ["request-driven", "event-driven"], range: ["var(--workbook-warn)", "var(--workbook-accent)"]};

/** Response time seen by the customer, per model: the share of orders answered within x ms (log scale). */
export function latencyPlot(rows: LatencyPoint[], {width = 640}: {width?: number} = {}) {
  return Plot.plot({
    width,
    height: 240,
    x: {type: "log", label: "response time (ms, log scale) →"},
    y: {label: "↑ orders answered within (%)", percent: true, domain: [0, 100], grid: true},
    color: {...modelColor, legend: true},
    marks: [Plot.line(rows, {x: "latency", y: "share", stroke: "model", strokeWidth: 2, curve: "step-after", tip: true}), Plot.ruleY([0])]
  });
}

/** Failed customer requests per second, per model, with the fault window shaded. */
export function errorsPlot(rows: FailureCount[], {width = 640, fault}: {width?: number; fault?: Fault | null} = {}) {
  return Plot.plot({
    width,
    height: 220,
    x: {label: "time (s) →"},
    // A run with no failure still gets a readable axis (0 to 1), not a degenerate one at 0.
    y: {label: "↑ failed requests per second", grid: true, domain: [0, Math.max(1, ...rows.map((r) => r.failed))], nice: true},
    color: {...modelColor, legend: true},
    marks: [
      faultBand(fault),
      Plot.lineY(rows, {x: "second", y: "failed", stroke: "model", strokeWidth: 2, curve: "step-after", tip: true}),
      Plot.ruleY([0])
    ]
  });
}

/** Work waiting per service over time: threads queued in the chain, events in the log behind the broker. */
export function backlogPlot(rows: BacklogPoint[], {width = 640, fault}: {width?: number; fault?: Fault | null} = {}) {
  return Plot.plot({
    width,
    height: 240,
    x: {label: "time (s) →"},
    y: {label: "↑ waiting", grid: true},
    marginRight: 110,
    fy: {label: null},
    color: {legend: true},
    marks: [
      faultBand(fault),
      Plot.lineY(rows, {x: "seconds", y: "depth", stroke: "service", fy: "model", strokeWidth: 1.5, tip: true}),
      Plot.ruleY([0])
    ]
  });
}

/** The fault window, shaded, on a time axis in seconds (nothing when the service stays healthy). */
function faultBand(fault: Fault | null | undefined) {
  if (!fault || fault.mode === "healthy") return null;
  return Plot.rectX([fault], {x1: (f: Fault) => f.from / 1000, x2: (f: Fault) => f.to / 1000, fill: "var(--workbook-bad)", fillOpacity: 0.08});
}
