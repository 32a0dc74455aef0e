// Build-time loader for 11.5: the editable schema versions data/schemas/v1.avsc, v2.avsc, v3.avsc
// (as written, so the page's editor shows the instructor's layout) and the one-click examples of
// data/schemas/examples.json. A file that is not valid JSON or not valid Avro fails the build
// with the file, the line and column, and the reason.
import {readFileSync} from "node:fs";
import {loadData} from "../../scripts/data.js";
import {checkSchemaFiles, type SchemaExample, type SchemaFile} from "../components/labs/schema/model.js";

const root = new URL("../..", import.meta.url).pathname;
const versions: SchemaFile[] = ["v1", "v2", "v3"].map((name) => {
  const file = `data/schemas/${name}.avsc`;
  return {name, file, text: readFileSync(`${root}${file}`, "utf8")};
});
const examples: SchemaExample[] = loadData<{id: string; label: string; lesson: string; schema: object}[]>("schemas/examples").map(({schema, ...rest}) => ({
  ...rest,
  text: JSON.stringify(schema, null, 2)
}));
checkSchemaFiles([...versions, ...examples.map((e) => ({file: `data/schemas/examples.json (example "${e.id}")`, text: e.text}))]);

process.stdout.write(JSON.stringify({versions, examples}));
