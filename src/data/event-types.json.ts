// Build-time loader: data/event-types.json, validated against its schema.
import {loadData} from "../../scripts/data.js";

process.stdout.write(JSON.stringify(loadData("event-types")));
