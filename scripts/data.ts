// Reads an instructor-editable data file from data/ and validates it against its JSON Schema
// (data/<name>.schema.json; every scenario against data/scenario.schema.json). Data loaders in
// src/data/ call this at build time, so a bad file fails the build with the file, the field and
// what was expected.
import {readdirSync, readFileSync} from "node:fs";
import {Ajv, type ErrorObject} from "ajv";

const projectRoot = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

export interface PageSection {
  name: string;
  pages: {name: string; path: string}[];
}

/** data/<name>.json, checked against data/<schemaName>.schema.json (by default the file's own name). */
export function loadData<T = unknown>(name: string, schemaName = name, root = projectRoot): T {
  return loadJsonFile<T>(`${root}/data/${name}.json`, `data/${name}.json`, schemaName, root);
}

/** Any JSON file (`file` names it in errors), checked against data/<schemaName>.schema.json. */
function loadJsonFile<T>(path: string, file: string, schemaName: string | ((value: unknown) => string), root: string): T {
  const value = parseJson(file, readFileSync(path, "utf8"));
  return checkData<T>(value, file, typeof schemaName === "function" ? schemaName(value) : schemaName, root);
}

/** `value` (to be written as `file`) checked against data/<schemaName>.schema.json; throws naming the file, the field and what was expected. */
export function checkData<T>(value: unknown, file: string, schemaName: string, root = projectRoot): T {
  const schema = parseJson(`data/${schemaName}.schema.json`, readFileSync(`${root}/data/${schemaName}.schema.json`, "utf8"));
  const validate = new Ajv({allErrors: true, strict: false}).compile(schema as object);
  if (!validate(value)) throw new Error(`${file} is invalid:\n${(validate.errors ?? []).map(describe).join("\n")}`);
  return value as T;
}

function describe(error: ErrorObject): string {
  const field = error.instancePath || "(top level)";
  const expected = error.keyword === "enum" ? `one of ${(error.params as {allowedValues: unknown[]}).allowedValues.map((v) => JSON.stringify(v)).join(", ")}` : error.message;
  return `  ${field}: ${expected}`;
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

// A lab's file (kind "lab": a page's defaults, presets and claims) has its own schema; the
// workloads of `npm run experiment` share data/scenario.schema.json.
const scenarioSchema = (value: unknown) => ((value as {kind?: unknown})?.kind === "lab" ? "lab" : "scenario");

/** data/scenarios/<name>.json, or a scenario file anywhere given by its path (ending in .json). */
export function loadScenario<T = unknown>(nameOrPath: string): T {
  if (nameOrPath.endsWith(".json")) return loadJsonFile<T>(nameOrPath, nameOrPath, scenarioSchema, projectRoot);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(nameOrPath)) throw new Error(`scenario names are lower-case words joined by "-", got "${nameOrPath}"`);
  return loadJsonFile<T>(`${projectRoot}/data/scenarios/${nameOrPath}.json`, `data/scenarios/${nameOrPath}.json`, scenarioSchema, projectRoot);
}

/** The names of every scenario file in data/scenarios/. */
export function scenarioNames(root = projectRoot): string[] {
  return readdirSync(`${root}/data/scenarios`).filter((file) => file.endsWith(".json")).map((file) => file.slice(0, -".json".length)).sort();
}

/** data/exercises/<name>.json for every exercise file, each checked against data/exercise.schema.json. */
export function loadExercises<T = unknown>(root = projectRoot): {name: string; exercise: T}[] {
  return readdirSync(`${root}/data/exercises`)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => ({name: file.slice(0, -".json".length), exercise: loadJsonFile<T>(`${root}/data/exercises/${file}`, `data/exercises/${file}`, "exercise", root)}));
}

/**
 * `parameters` with each of `fields` (a list of paths under data/, e.g. ["schemas/v1.avsc"]) replaced
 * by the files' texts: what an exercise model reads from data/, handed to it by the build, since the
 * sandbox's worker reads no files. `file` names the exercise in errors.
 */
export function withDataFiles(parameters: Record<string, unknown>, fields: readonly string[], file: string, root = projectRoot): Record<string, unknown> {
  const result = {...parameters};
  for (const field of fields) {
    const paths = result[field] ?? [];
    if (!Array.isArray(paths)) throw new Error(`${file} is invalid:\n  /parameters/${field}: must be a list of paths under data/ such as "schemas/v1.avsc"`);
    result[field] = paths.map((path, i) => dataFileText(path, file, `/parameters/${field}/${i}`, root));
  }
  return result;
}

function dataFileText(path: unknown, file: string, field: string, root: string): string {
  if (typeof path !== "string" || !/^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9._-]*)*$/.test(path)) throw new Error(`${file} is invalid:\n  ${field}: must be a path under data/ such as "schemas/v1.avsc", got ${JSON.stringify(path)}`);
  try {
    return readFileSync(`${root}/data/${path}`, "utf8");
  } catch {
    throw new Error(`${file} is invalid:\n  ${field}: data/${path} does not exist`);
  }
}
