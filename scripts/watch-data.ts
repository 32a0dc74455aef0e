// During `npm run dev`: Framework re-runs a data loader when the loader file changes, not when
// the data/ file it reads does. This touches the loader that reads a data/ file whenever that
// file is saved, so the page reloads with the instructor's edit.
import {utimesSync, watch} from "node:fs";

const loaderFor = (file: string): string | null => {
  if (file.startsWith("scenarios/")) return "src/data/scenarios/[scenario].json.ts";
  if (file.startsWith("schemas/")) return "src/data/schemas.json.ts";
  if (file.startsWith("exercises/") || file === "exercise.schema.json") return "src/data/exercises.json.ts";
  const name = file.replace(/\.schema\.json$|\.json$/, "");
  return name === "pages" ? null : `src/data/${name}.json.ts`;
};

watch("data", {recursive: true}, (_event, file) => {
  const loader = file && loaderFor(String(file));
  if (!loader) return;
  const now = new Date();
  try {
    utimesSync(loader, now, now);
    console.log(`data/${file} changed: reloading ${loader}`);
  } catch {
    // a data file no loader reads yet
  }
});
console.log("watching data/ for edits");
