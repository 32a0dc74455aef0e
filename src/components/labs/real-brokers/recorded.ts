// The runs recorded on a real broker (data/recorded/, by `npm run record`), as 11.3 shows them
// beside the simulation's run of the same scenario: one line on the recording, then every summary
// and checker field side by side.
import * as Inputs from "@observablehq/inputs";
import {el} from "../../ui/dom.js";
import type {RecordedComparison} from "./summary.js";

export function recordedRuns(recorded: readonly RecordedComparison[]): HTMLElement {
  if (recorded.length === 0) return el("p", {}, "No run has been recorded on a real broker yet (npm run record).");
  return el("div", {class: "recorded-runs"}, recorded.map((r) => el("div", {},
    el("p", {}, el("strong", {}, r.title), ` · RabbitMQ ${r.brokerVersion}, recorded ${r.recordedAt.slice(0, 10)} · `,
      el("span", {class: r.agree ? "workbook-ok" : "workbook-warn"}, r.agree ? "the simulation agrees on every field" : `${r.differences.length} field(s) differ`)),
    Inputs.table(r.rows.map((row) => ({field: row.field, simulation: row.simulation, "real RabbitMQ": row.real, agree: row.agree ? "yes" : "no"})), {select: false, layout: "auto"})
  )));
}
