// The schema files of data/schemas/ (v1.avsc, v2.avsc, v3.avsc as written, and the changes of
// examples.json) and the versions an experiment's `example` stands for. readSchemaFiles reads
// them from disk, in Node only (the claims, the tests, the build's loader src/data/schemas.json.ts);
// a page gets the same files from that loader.
import type {SchemaExample, SchemaFile} from "./model.js";

export interface SchemaFiles {
  versions: SchemaFile[];
  examples: SchemaExample[];
}

export const VERSION_NAMES = ["v1", "v2", "v3"] as const;

/** An example as examples.json holds it: its schema as JSON, which the editor shows as text. */
export const exampleFromFile = ({schema, ...rest}: {id: string; label: string; lesson: string; schema: object}): SchemaExample => ({...rest, text: JSON.stringify(schema, null, 2)});

export async function readSchemaFiles(root = new URL("../../../../", import.meta.url)): Promise<SchemaFiles> {
  // A dynamic import keeps node:fs out of the browser, which imports this module's lab but never calls this.
  const {readFileSync} = await import("node:fs");
  const read = (file: string) => readFileSync(new URL(file, root), "utf8");
  const versions = VERSION_NAMES.map((name) => ({name, file: `data/schemas/${name}.avsc`, text: read(`data/schemas/${name}.avsc`)}));
  return {versions, examples: JSON.parse(read("data/schemas/examples.json")).map(exampleFromFile)};
}

/** "original": v1, v2 and v3 as the files hold them; an example's id: v1 and that change as v2. */
export function versionTexts(files: SchemaFiles, example: string): string[] {
  if (example === "original") return files.versions.map((v) => v.text);
  const change = files.examples.find((e) => e.id === example);
  if (!change) throw new Error(`no example "${example}" in data/schemas/examples.json (the examples are original, ${files.examples.map((e) => e.id).join(", ")})`);
  return [files.versions[0].text, change.text, ...files.versions.slice(2).map(() => "")];
}
