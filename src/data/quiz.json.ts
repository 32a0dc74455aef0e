// Build-time loader: data/quiz.json, validated against data/quiz.schema.json. The page checks
// the questions again when it loads (quiz-data.ts), for what a JSON Schema cannot say: that an
// answer points at one of its choices and that ids are unique.
import {loadData} from "../../scripts/data.js";

process.stdout.write(JSON.stringify(loadData("quiz")));
