// Build-time loader: every exercise in data/exercises/, validated against data/exercise.schema.json
// and then against its model (src/components/exercises/data.ts); a bad file fails the build naming
// the file and the field. The task's Markdown becomes HTML here (raw HTML in it is not allowed),
// so the pages ship no Markdown parser.
import MarkdownIt from "markdown-it";
import {loadData, loadExercises, withDataFiles, type PageSection} from "../../scripts/data.js";
import {exerciseProblems, gradeRequestOf, type BuiltExercise, type Exercise} from "../components/exercises/data.js";
import {EXERCISE_MODELS} from "../components/exercises/models.js";

const pages = loadData<PageSection[]>("pages").flatMap((section) => section.pages.map((page) => page.path));
const markdown = new MarkdownIt({html: false, linkify: false});
const exercises: Record<string, BuiltExercise> = {};
for (const {name, exercise} of loadExercises<Exercise>()) {
  const problems = exerciseProblems(exercise, name, pages);
  if (problems.length) throw new Error(`data/exercises/${name}.json is invalid:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  const grade = gradeRequestOf(exercise);
  grade.parameters = withDataFiles(grade.parameters, EXERCISE_MODELS[exercise.model].dataFiles ?? [], `data/exercises/${name}.json`);
  // Building the model checks what the schema cannot (11.5's history must parse, and hold a version).
  try {
    EXERCISE_MODELS[exercise.model].create(grade.parameters);
  } catch (error) {
    throw new Error(`data/exercises/${name}.json is invalid:\n  /parameters: ${(error as Error).message}`);
  }
  exercises[exercise.id] = {...exercise, taskHtml: markdown.render(exercise.task), grade};
}

process.stdout.write(JSON.stringify(exercises));
