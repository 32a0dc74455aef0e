// Reads an instructor-editable data file from data/ and validates it against its JSON Schema
// (data/<name>.schema.json). Data loaders in src/data/ call this at build time, so a bad file
// fails the build with the file, the field and what was expected.
import {readFileSync} from "node:fs";
import {Ajv, type ErrorObject} from "ajv";

const dataDir = new URL("../data/", import.meta.url);

export function loadData<T = unknown>(name: string): T {
  const file = `data/${name}.json`;
  const value = parseJson(file, readFileSync(new URL(`${name}.json`, dataDir), "utf8"));
  const schema = parseJson(`data/${name}.schema.json`, readFileSync(new URL(`${name}.schema.json`, dataDir), "utf8"));
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
