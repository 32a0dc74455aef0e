// Chart for the disguised-command experiment (11.2): registrations completed and failed per
// five seconds, for the honest event and for the disguised command.
import * as Plot from "@observablehq/plot";
import type {Registration} from "../events/disguise.js";

export function registrationsPlot(registrations: Registration[], {width = 640}: {width?: number} = {}) {
  const rows = registrations.map((r) => ({...r, bucket: 5 * Math.floor(r.end / 5000), outcome: r.completed ? "completed" : "failed (no reply)"}));
  return Plot.plot({
    width,
    height: 260,
    x: {label: "time (s) →"},
    y: {label: "↑ registrations per 5 s", grid: true},
    fy: {axis: null},
    marginTop: 30,
    color: {domain: ["completed", "failed (no reply)"], range: ["var(--workbook-good)", "var(--workbook-bad)"], legend: true},
    marks: [
      Plot.rectY(rows, Plot.groupX({y: "count"}, {x: "bucket", fill: "outcome", fy: "design", interval: 5, tip: true})),
      Plot.text([...new Set(rows.map((r) => r.design))], {fy: (d: string) => d, text: (d: string) => d, frameAnchor: "top-left", dy: -18, fontWeight: "bold"}),
      Plot.ruleY([0])
    ]
  });
}
