// The Plot marks and transforms the workbook draws with: scripts/vendor.ts bundles this list with
// esbuild into ui/vendor/plot.js, which the charts import. Framework serves "@observablehq/plot"
// as is, and Plot imports "d3" whole, so every chart page loaded all thirty d3 modules (286 KB)
// next to Plot (204 KB); the bundle holds only these exports and the d3 they use, without d3-geo
// (scripts/vendor.ts: no chart here has a map projection), 246 KB in all.
// A chart that needs another mark adds it here: tsc rejects `Plot.<name>` for a name not listed.
export {areaY, barX, barY, cell, dot, frame, line, lineY, plot, pointerX, rectX, rectY, ruleX, ruleY, stackY, text, tickX, tip} from "@observablehq/plot";
export type * from "@observablehq/plot";
