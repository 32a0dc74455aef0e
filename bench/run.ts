// `npm run bench` runs every bench/*.bench.ts and prints a table; `npm run bench -- --json`
// prints one JSON object per line; `npm run bench -- partitioner` runs the files whose name matches.
import {readdirSync} from "node:fs";
import {pathToFileURL} from "node:url";
import type {Benchmark, BenchResult} from "./types.js";

const args = process.argv.slice(2);
const json = args.includes("--json");
const filters = args.filter((a) => !a.startsWith("--"));
const dir = new URL(".", import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

const rows: BenchResult[] = [];
for (const file of files) {
  const bench: Benchmark = (await import(pathToFileURL(new URL(file, dir).pathname).href)).default;
  for (const result of await bench()) {
    rows.push(result);
    if (json) console.log(JSON.stringify(result));
  }
}

if (!json) {
  const fmt = (n: number | undefined) => (n === undefined ? "" : n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(2));
  const table = rows.map((r) => [r.name, fmt(r.value), r.unit, fmt(r.baseline), r.ratio === undefined ? "" : `${r.ratio.toFixed(2)}x`, r.goal ?? ""]);
  const header = ["benchmark", "value", "unit", "baseline", "ratio", "goal"];
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 || i === 3 || i === 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of table) console.log(line(row));
}
