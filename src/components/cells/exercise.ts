// An exercise on a page: the task, the reader's editable starter (a code cell whose button grades),
// and the grader's report. The reader's code runs only in the code cell's sandboxed worker, which
// also runs the grader (cells/worker.ts -> exercises/models.ts): the page gets a plain-data report
// and checks its shape before drawing it. A failure offers "Replay this seed", which runs the
// reader's current code once more under the reported seed and shortest schedule and lists what
// happened, moment by moment. Drafts are the code cell's (kept in this browser); progress is kept
// by ui/progress.ts.
//
//   ```js
//   import {exercise} from "./components/cells/exercise.js";
//   const exercises = FileAttachment("./data/exercises.json").json();
//   ```
//   ```js
//   display(exercise(exercises["work-queue-acks"]));
//   ```
import type {BuiltExercise} from "../exercises/data.js";
import type {Fault, Moment} from "../exercises/exercise.js";
import {describeFault, isGradeReport, seconds, type GradeReport} from "../exercises/grade.js";
import {el, experimentError} from "../ui/dom.js";
import {logView} from "../ui/log-view.js";
import {describeProgress, readProgress, recordAttempt} from "../ui/progress.js";
import {codeCell} from "./index.js";
import {formatDuration, formatError} from "./outcome.js";
import type {ExperimentResult} from "./protocol.js";
import {startRun} from "./runner.js";

/** Grading 200 seeds takes a second or two; the limit leaves room for a slow machine. */
const DEFAULT_TIMEOUT_MS = 10_000;

const ordinal = (n: number) => `${n}${n % 100 >= 11 && n % 100 <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th")}`;
const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;

/** The exercise's section: task, property, progress, the graded cell and its report. */
export function exercise(data: BuiltExercise): HTMLElement {
  if (typeof data !== "object" || data === null || typeof data.id !== "string") return experimentError(new TypeError("exercise() needs an exercise from data/exercises.json"));
  injectStyle();
  const timeout = data.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const task = el("div", {class: "exercise-task"});
  task.innerHTML = data.taskHtml; // the build's Markdown, rendered with raw HTML disabled (src/data/exercises.json.ts)
  const progress = el("p", {class: "exercise-progress"}, describeProgress(readProgress(data.id)));
  const report = el("div", {class: "exercise-report", "aria-live": "polite"});
  const cell = codeCell({id: `exercise-${data.id}`, code: data.starter, timeout, autorun: false, grade: data.grade, runLabel: "✓ Grade", label: `Your solution to the exercise: ${data.title}`});
  const root = el(
    "section",
    {class: "exercise", id: `exercise-${data.id}`, "aria-label": `Exercise: ${data.title}`, "data-exercise": data.id},
    task,
    el("p", {class: "exercise-property"}, el("strong", {}, "Must hold: "), `${data.property}. Grade tries ${plural(data.seeds, "seed")}, each with its own faults (${data.faultKinds.join(", ")}).`),
    progress,
    cell,
    report
  );

  cell.addEventListener("input", () => {
    const result = cell.value;
    const graded = gradedReport(result);
    report.replaceChildren(graded ? drawReport(graded, result.durationMs, replay) : notGraded(result, timeout));
    progress.textContent = describeProgress(recordAttempt(data.id, graded?.status === "passed"));
  });

  /** Runs the reader's current code once under the reported seed and schedule, and lists the moments. */
  async function replay(seed: number, faults: Fault[], problem: string, into: HTMLElement, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    into.replaceChildren(el("p", {class: "exercise-note"}, `Replaying seed ${seed}…`));
    const result = await startRun(cell.code, {timeout, grade: {...data.grade, replay: {seed, faults}}}).result;
    button.disabled = false;
    const again = gradedReport(result);
    if (!again) return void into.replaceChildren(notGraded(result, timeout));
    if (again.status !== "failed") return void into.replaceChildren(el("p", {class: "exercise-note"}, `With the code as it is now, seed ${seed} and this schedule no longer fail: Grade again to try every seed.`));
    const same = again.problem === problem ? "the same failure" : again.problem;
    const width = Math.max(280, Math.min(900, into.getBoundingClientRect().width || 640));
    const log = again.log ? logView(again.log, {width, title: `The ${again.log.topic} topic's log in the replayed run, with the consumer group's offsets`}) : null;
    const told = [el("p", {class: "exercise-note"}, `Seed ${seed} replayed with the code as it is now: ${same}. What happened, moment by moment:`), moments(again.moments, faults)];
    into.replaceChildren(...told, ...(log ? [el("p", {class: "exercise-note"}, `The ${again.log!.topic} topic through the replayed run (step through it with the player):`), log] : []));
  }
  return root;
}

/** The grader's report, if the run got that far and the value has the report's shape. */
function gradedReport(result: ExperimentResult): GradeReport | null {
  return result.status === "ok" && isGradeReport(result.value) ? result.value : null;
}

/** A run that did not end in a report: the code threw, did not parse, ran out of time or was stopped. */
function notGraded(result: ExperimentResult, timeout: number): HTMLElement {
  if (result.status === "timeout") return el("p", {class: "workbook-error", role: "alert"}, `Not graded: grading stopped after ${formatDuration(timeout)}. Your code may loop forever (a while loop that never ends?), or do far more work than the task needs.`);
  if (result.status === "stopped") return el("p", {class: "exercise-note"}, "Grading stopped.");
  if (result.error) return el("p", {class: "workbook-error", role: "alert"}, `Not graded: your code stopped before it returned a solution (${formatError(result.error)}).`);
  return el("p", {class: "workbook-error", role: "alert"}, "Not graded: the grader's answer did not have the expected shape.");
}

type Replay = (seed: number, faults: Fault[], problem: string, into: HTMLElement, button: HTMLButtonElement) => Promise<void>;

function drawReport(report: GradeReport, durationMs: number, replay: Replay): HTMLElement {
  if (report.status === "invalid") return el("p", {class: "workbook-error", role: "alert"}, `Not graded: ${report.problem}.`);
  if (report.status === "passed") {
    return el("p", {class: "exercise-pass"}, el("strong", {}, "Passed. "), `Your code survived ${plural(report.seeds, "seed")} and ${plural(report.faults, "fault")} (graded in ${formatDuration(durationMs)}).`);
  }
  const replayed = el("div", {class: "exercise-replay"});
  const button = el("button", {type: "button", class: "exercise-replay-button"}, "Replay this seed");
  button.addEventListener("click", () => void replay(report.seed, report.faults, report.problem, replayed, button));
  return el(
    "div",
    {class: "exercise-fail"},
    el("p", {}, el("strong", {}, `Failed on seed ${report.seed}`), ` (the ${ordinal(report.seedsTried)} seed tried; ${plural(report.attempts, "run")} in ${formatDuration(durationMs)}).`),
    el("p", {class: "exercise-problem"}, report.problem),
    el("p", {}, report.faults.length ? `Shortest fault schedule that still breaks it (shrunk from ${plural(report.drawn, "fault")}):` : "It fails with no fault at all:"),
    report.faults.length ? el("ol", {class: "exercise-faults"}, report.faults.map((f) => el("li", {}, describeFault(f)))) : null,
    button,
    replayed
  );
}

/** What happened in the replayed run, in time order, the faults among them. */
function moments(list: readonly Moment[], faults: readonly Fault[]): HTMLElement {
  const all = [...list, ...faults.map((f) => ({at: f.at, text: `fault: ${describeFault(f)}`}))].sort((a, b) => a.at - b.at);
  return el("ol", {class: "exercise-moments", "aria-label": "What happened in the replayed run"}, all.map((m) => el("li", {}, el("span", {class: "exercise-time"}, seconds(m.at)), " ", m.text)));
}

let styled = false;
function injectStyle(): void {
  if (styled) return;
  styled = true;
  document.head.append(
    el(
      "style",
      {},
      `.exercise{margin:1rem 0;padding:.75rem 1rem;border:1px solid var(--theme-foreground-faint);border-left:4px solid var(--theme-foreground-focus);border-radius:4px;max-width:min(100%,960px)}
.exercise-task p:first-child{margin-top:0}
.exercise-property,.exercise-progress{font-size:.9em}
.exercise-progress{color:var(--theme-foreground-muted)}
.exercise-pass{color:var(--workbook-good)}
.exercise-fail{border-left:3px solid var(--workbook-bad);padding-left:.75rem}
.exercise-problem{font-weight:500}
.exercise-faults,.exercise-moments{font-size:.9em;margin:.25rem 0 .5rem}
.exercise-problem,.exercise-moments{overflow-wrap:anywhere}
.exercise-time{font-family:var(--monospace);font-variant-numeric:tabular-nums;color:var(--theme-foreground-muted)}
.exercise-replay-button{font:inherit;padding:.15rem .6rem;cursor:pointer}
.exercise-note{font-size:.9em;color:var(--theme-foreground-muted)}`
    )
  );
}
