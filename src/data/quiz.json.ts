// Build-time loader: data/quiz.json, validated against data/quiz.schema.json and then checked for
// what a JSON Schema cannot say (an answer points at one of its choices, ids are unique, a proof
// exists and has the question's claim in data/scenarios/check-your-understanding.json). Any
// problem fails the build, naming the question and the field.
import {loadData, loadScenario} from "../../scripts/data.js";
import {proofClaimProblems, validateQuiz} from "../components/labs/quiz/data.js";
import {PROOF_IDS} from "../components/labs/quiz/index.js";

const quiz = validateQuiz(loadData("quiz"), PROOF_IDS);
const problems = proofClaimProblems(quiz, loadScenario("check-your-understanding"));
if (problems.length) throw new Error(`data/quiz.json: ${problems.join("\n")}`);

process.stdout.write(JSON.stringify(quiz));
