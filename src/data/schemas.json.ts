// Build-time loader for 11.5: the editable schema versions data/schemas/v1.avsc, v2.avsc, v3.avsc
// (as written, so the page's editor shows the instructor's layout) and the example changes of
// data/schemas/examples.json, as the lab reads them. A file that is not valid JSON or not valid
// Avro fails the build with the file, the line and column, and the reason.
import {loadData} from "../../scripts/data.js";
import {readSchemaFiles} from "../components/labs/schema/files.js";
import {checkSchemaFiles} from "../components/labs/schema/model.js";

loadData("schemas/examples"); // against data/schemas/examples.schema.json
const files = await readSchemaFiles();
checkSchemaFiles([...files.versions, ...files.examples.map((e) => ({file: `data/schemas/examples.json (example "${e.id}")`, text: e.text}))]);

process.stdout.write(JSON.stringify(files));
