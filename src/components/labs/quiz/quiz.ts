// The interactive quiz: one card per question with its choices, feedback as soon as a choice
// is picked, the explanation, and a "Prove it" button that runs the question's simulation and
// shows its table. Questions come from the validated quiz file (quiz-data.ts); proofs from
// quiz-proofs.ts. Plain DOM (htl has no type declarations): text is always set as text.
import {codeSpans, type QuizQuestion} from "./data.js";
import type {Proof, ProofResult} from "./proofs.js";

export interface QuizOptions {
  /** The proofs a question may name, by id. */
  proofs: readonly Proof[];
}

type Child = Node | string | null | undefined | false;

/** An element with attributes (false/undefined ones left out) and children. */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string | boolean | undefined> = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === undefined) continue;
    node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

/** Text with `backtick` spans set as <code>; never parsed as HTML. */
export function richText(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const part of codeSpans(text)) {
    if (part.code) {
      const code = document.createElement("code");
      code.textContent = part.text;
      fragment.append(code);
    } else {
      fragment.append(part.text);
    }
  }
  return fragment;
}

/** The whole quiz: a running score, then every question. */
export function quiz(questions: readonly QuizQuestion[], {proofs}: QuizOptions): HTMLElement {
  const picked = new Map<string, boolean>(); // question id -> answered right
  const score = el("p", {class: "quiz-score", "aria-live": "polite"});
  const updateScore = () => {
    const right = [...picked.values()].filter(Boolean).length;
    score.textContent = picked.size === 0 ? `${questions.length} questions. Pick an answer to see how it fares.` : `${picked.size} of ${questions.length} answered, ${right} right.`;
  };
  updateScore();
  const cards = questions.map((q, i) =>
    questionCard(q, i + 1, {
      proof: q.proof ? proofs.find((p) => p.id === q.proof) : undefined,
      onAnswer: (right) => {
        picked.set(q.id, right);
        updateScore();
      }
    })
  );
  return el("div", {class: "quiz"}, score, cards);
}

interface CardOptions {
  proof: Proof | undefined;
  onAnswer: (right: boolean) => void;
}

/** One question: choices as radio buttons, feedback, explanation and the proof. */
export function questionCard(q: QuizQuestion, number: number, {proof, onAnswer}: CardOptions): HTMLElement {
  const name = `quiz-${q.id}`;
  const feedback = el("div", {class: "quiz-feedback", "aria-live": "polite", hidden: true});
  const choices = q.choices.map((choice, i) =>
    el("label", {class: "quiz-choice"}, el("input", {type: "radio", name, value: String(i)}), " ", el("span", {}, richText(choice)))
  );
  const fieldset = el("fieldset", {class: "quiz-choices"}, el("legend", {class: "quiz-question"}, richText(q.question)), choices);
  fieldset.addEventListener("change", (event) => {
    const chosen = Number((event.target as HTMLInputElement).value);
    const right = chosen === q.answer;
    for (const label of choices) label.classList.remove("quiz-right", "quiz-wrong");
    choices[chosen].classList.add(right ? "quiz-right" : "quiz-wrong");
    if (!right) choices[q.answer].classList.add("quiz-right");
    const page = q.see?.replace(/^\//, "").replace(/#.*/, "").replace(/-/g, " ");
    feedback.replaceChildren(
      el("p", {class: "quiz-verdict"}, right ? "✓ Right." : `✗ Not quite: the answer is “${q.choices[q.answer].replace(/`/g, "")}”.`),
      el("p", {}, richText(q.explanation)),
      // Relative, as Framework writes its own links, so the site also works under a sub-path (/workbook/).
      q.see ? el("p", {class: "quiz-see"}, "Experiment with it: ", el("a", {href: `.${q.see}`}, page || "the workbook")) : ""
    );
    feedback.hidden = false;
    card.querySelector<HTMLElement>(".quiz-proof-claim")?.removeAttribute("hidden");
    feedback.classList.toggle("quiz-feedback-right", right);
    feedback.classList.toggle("quiz-feedback-wrong", !right);
    onAnswer(right);
  });
  const origin = q.origin === "module" ? `Module question · ${q.section}` : `Workbook question · ${q.section}`;
  const card = el(
    "section",
    {class: "card quiz-card", id: q.id, "data-question": q.id},
    el("h2", {}, `${number}. `, el("span", {class: "quiz-origin"}, origin)),
    fieldset,
    feedback,
    proof ? proofBlock(proof) : null
  );
  return card;
}

/** The "Prove it" button and, once it ran, the result. */
export function proofBlock(proof: Proof): HTMLElement {
  const output = el("div", {class: "quiz-proof-output", "aria-live": "polite"});
  const button = el("button", {type: "button", class: "quiz-prove"}, "Prove it");
  button.addEventListener("click", async () => {
    button.disabled = true;
    output.replaceChildren(el("p", {class: "quiz-running"}, "Running the simulation…"));
    try {
      output.replaceChildren(proofResult(proof, await proof.run()));
    } catch (error) {
      output.replaceChildren(el("p", {class: "workbook-error"}, `The simulation stopped with an error: ${(error as Error).message}`));
    } finally {
      button.disabled = false;
      button.textContent = "Run it again";
    }
  });
  // The claim states the answer: it shows once the reader has chosen one.
  return el("div", {class: "quiz-proof", "data-proof": proof.id}, button, " ", el("span", {class: "quiz-proof-claim", hidden: true}, proof.claim), output);
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
