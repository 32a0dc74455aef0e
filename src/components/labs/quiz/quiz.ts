// The interactive quiz: one card per question with its choices, feedback as soon as a choice is
// picked, the explanation, and, once the reader has answered, the question's proof: "Prove it"
// runs the proof's experiment (labs/quiz/index.ts) from the seed in its form and shows its table
// and the question's claim, checked against that run like every claim. Nothing of the proof,
// the claim's sentence included, is in the page before an answer is chosen: it would give the
// answer away (issue 14). Text is always set as text.
import {claimList} from "../../ui/claims.js";
import {el, experimentError, prose} from "../../ui/dom.js";
import type {Experiment, ExperimentScenario, Observed, Parameters} from "../../claims/claim.js";
import type {QuizQuestion} from "./data.js";
import type {Proof, ProofResult} from "./proofs.js";

/** A form whose fields are named like an experiment's parameters (an Inputs.form). */
export type ParameterForm = HTMLElement & {value: Parameters};

export interface QuizOptions {
  /** The proofs a question may name, by id. */
  proofs: readonly Proof[];
  /** The lab's experiments, by proof id. */
  experiments: Record<string, Experiment<ProofResult>>;
  /** The lab file's experiments (defaults and claims), by proof id; a question's claim has its id. */
  scenarios: Record<string, ExperimentScenario>;
  /** What the build observed for each claim, by claim id. */
  observed: Record<string, Observed>;
  /** The controls of a proof, starting from its defaults. */
  form: (scenario: ExperimentScenario) => ParameterForm;
}

/** The whole quiz: a running score, then every question. */
export function quiz(questions: readonly QuizQuestion[], options: QuizOptions): HTMLElement {
  const picked = new Map<string, boolean>(); // question id -> answered right
  const score = el("p", {class: "quiz-score", "aria-live": "polite"});
  const updateScore = () => {
    const right = [...picked.values()].filter(Boolean).length;
    score.textContent = picked.size === 0 ? `${questions.length} questions. Pick an answer to see how it fares.` : `${picked.size} of ${questions.length} answered, ${right} right.`;
  };
  updateScore();
  const cards = questions.map((q, i) => {
    const proof = q.proof ? options.proofs.find((p) => p.id === q.proof) : undefined;
    return questionCard(q, i + 1, {
      proof: proof && (() => proofBlock(q, proof, options)),
      onAnswer: (right) => {
        picked.set(q.id, right);
        updateScore();
      }
    });
  });
  return el("div", {class: "quiz"}, score, cards);
}

interface CardOptions {
  /** Builds the proof's block, once the question is answered. */
  proof: (() => HTMLElement) | undefined;
  onAnswer: (right: boolean) => void;
}

/** One question: choices as radio buttons, feedback, explanation and, once answered, the proof. */
export function questionCard(q: QuizQuestion, number: number, {proof, onAnswer}: CardOptions): HTMLElement {
  const name = `quiz-${q.id}`;
  const feedback = el("div", {class: "quiz-feedback", "aria-live": "polite", hidden: true});
  // Answering opens the proof: the first choice is the gate a test opens to reach the claim.
  const choices = q.choices.map((choice, i) =>
    el("label", {class: "quiz-choice"}, el("input", {type: "radio", name, value: i, "data-claim-gate": proof && i === 0}), " ", el("span", {}, prose(choice)))
  );
  const fieldset = el("fieldset", {class: "quiz-choices"}, el("legend", {class: "quiz-question"}, prose(q.question)), choices);
  const origin = q.origin === "module" ? `Module question · ${q.section}` : `Workbook question · ${q.section}`;
  const card = el("section", {class: "card quiz-card", id: q.id, "data-question": q.id}, el("h2", {}, `${number}. `, el("span", {class: "quiz-origin"}, origin)), fieldset, feedback);
  fieldset.addEventListener("change", (event) => {
    const chosen = Number((event.target as HTMLInputElement).value);
    const right = chosen === q.answer;
    for (const label of choices) label.classList.remove("quiz-right", "quiz-wrong");
    choices[chosen].classList.add(right ? "quiz-right" : "quiz-wrong");
    if (!right) choices[q.answer].classList.add("quiz-right");
    const page = q.see?.replace(/^\//, "").replace(/#.*/, "").replace(/-/g, " ");
    feedback.replaceChildren(
      el("p", {class: "quiz-verdict"}, right ? "✓ Right." : `✗ Not quite: the answer is “${q.choices[q.answer].replace(/`/g, "")}”.`),
      el("p", {}, prose(q.explanation)),
      // Relative and ending in .html, as Framework writes its own links (preserveExtension), so the
      // site works under a sub-path (/workbook/) and on a static host that does no URL rewriting.
      q.see ? el("p", {class: "quiz-see"}, "Experiment with it: ", el("a", {href: pageLink(q.see)}, page || "the workbook")) : ""
    );
    feedback.hidden = false;
    feedback.classList.toggle("quiz-feedback-right", right);
    feedback.classList.toggle("quiz-feedback-wrong", !right);
    if (proof && !card.querySelector(".quiz-proof")) card.append(proof());
    onAnswer(right);
  });
  return card;
}

/**
 * The question's proof: "Prove it" and the seed, then the run's table and the question's claim.
 * Changing the seed, or a claim's "Try it", runs the proof again.
 */
export function proofBlock(q: QuizQuestion, proof: Proof, {experiments, scenarios, observed, form}: QuizOptions): HTMLElement {
  const experiment = experiments[proof.id];
  const scenario = scenarios[proof.id];
  if (!experiment || !scenario) return experimentError(new Error(`the quiz lab has no experiment "${proof.id}"`));
  const claims = {...scenario, claims: scenario.claims.filter((c) => c.id === q.id)};
  const input = form(scenario);
  const output = el("div", {class: "quiz-proof-output", "aria-live": "polite"});
  const button = el("button", {type: "button", class: "quiz-prove", "data-claim-gate": true}, "Prove it");
  let runs = 0;
  const run = async () => {
    const id = ++runs;
    button.disabled = true;
    output.replaceChildren(el("p", {class: "quiz-running"}, "Running the simulation…"));
    const result = await Promise.resolve(experiment.run({...scenario.parameters, ...input.value})).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    if (id !== runs) return; // a newer run is under way
    button.disabled = false;
    button.textContent = "Run it again";
    output.replaceChildren(
      result instanceof Error ? experimentError(result) : proofResult(proof, result),
      claimList(claims, {input, experiment, result, observed, title: "What the proof shows"})
    );
  };
  button.addEventListener("click", run);
  input.addEventListener("input", () => runs > 0 && void run());
  return el("div", {class: "quiz-proof", "data-proof": proof.id}, el("div", {class: "quiz-proof-controls"}, button, input), output);
}

/** How a table cell shows a value: yes/no for booleans, a dash for nothing. */
export function cellText(value: unknown): string {
  return typeof value === "boolean" ? (value ? "yes" : "no") : value === null || value === undefined ? "—" : String(value);
}

/** A proof's result: title, verdict, summary and its table with the marked rows highlighted. */
export function proofResult(proof: Proof, result: ProofResult): HTMLElement {
  const marked = new Set(result.marked);
  const numeric = new Set(result.columns.filter((c) => result.rows.every((r) => typeof r[c] === "number")));
  const align = (c: string) => (numeric.has(c) ? "num" : undefined);
  return el(
    "div",
    {class: "quiz-proof-result", "data-holds": String(result.holds)},
    el("h3", {}, proof.title),
    el(
      "p",
      {class: result.holds ? "workbook-ok quiz-holds" : "workbook-error quiz-holds"},
      result.holds ? "✓ The run shows it. " : "✗ This run did not show it: please report the seed. ",
      el("small", {}, `(seed ${result.seed}; ${proof.model})`)
    ),
    el("p", {}, result.summary),
    el(
      "div",
      {class: "quiz-table-wrap"},
      el(
        "table",
        {class: "quiz-table"},
        el("thead", {}, el("tr", {}, result.columns.map((c) => el("th", {class: align(c)}, c)))),
        el("tbody", {}, result.rows.map((row, i) => el("tr", {class: marked.has(i) ? "marked" : undefined}, result.columns.map((c) => el("td", {class: align(c)}, cellText(row[c]))))))
      )
    )
  );
}

/** What the page shows instead of the quiz when the quiz file has problems. */
export function quizFileProblems(problems: readonly string[], path = "data/quiz.json"): HTMLElement {
  return el(
    "div",
    {class: "workbook-error quiz-file-error", role: "alert"},
    `The quiz could not be shown: ${path} has ${problems.length === 1 ? "a problem" : `${problems.length} problems`}.\n`,
    problems.map((p) => `• ${p}\n`),
    "Fix the file and reload the page; data/quiz.schema.json describes every field."
  );
}

/** A quiz file's page path ("/brokers#section") as a link the built site serves ("./brokers.html#section"). */
export function pageLink(see: string): string {
  return `.${see.replace(/^([^#]*)/, "$1.html")}`;
}
