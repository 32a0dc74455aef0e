// Reads an instructor-editable data file from data/ and validates it against its JSON Schema
// (data/<name>.schema.json; every scenario in data/scenarios/ against data/scenario.schema.json). Data loaders in src/data/ call this at build time, so a bad file
// fails the build with the file, the field and what was expected.
import {readFileSync} from "node:fs";
import {Ajv, type ErrorObject} from "ajv";

const projectRoot = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

export interface PageSection {
  name: string;
  pages: {name: string; path: string}[];
}

/** data/<name>.json, checked against data/<schemaName>.schema.json (by default the file's own name). */
export function loadData<T = unknown>(name: string, schemaName = name, root = projectRoot): T {
  const file = `data/${name}.json`;
  const value = parseJson(file, readFileSync(`${root}/${file}`, "utf8"));
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

export function loadScenario<T = unknown>(name: string): T {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`scenario names are lower-case words joined by "-", got "${name}"`);
  return loadData<T>(`scenarios/${name}`, "scenario");
}
