// The quiz file (data/quiz.json): its shape, and a validator that lists every problem with
// where it is. The build runs it (src/data/quiz.json.ts) and fails on any problem; the page runs
// it again, so a file changed after the build shows what to fix instead of a blank page.
// data/quiz.schema.json describes the same shape as a JSON Schema; test/labs/quiz/data.test.ts
// keeps the two in step.

export interface QuizQuestion {
  /** Lower-case words joined by hyphens, unique in the file; it is also the question's anchor. */
  id: string;
  /** The module section the question belongs to, e.g. "11.6". */
  section: string;
  /** "module": a question of the course module; "workbook": one this workbook adds. */
  origin: "module" | "workbook";
  question: string;
  choices: string[];
  /** Index into `choices` of the right answer. */
  answer: number;
  /** Shown once the reader has answered, right or wrong. */
  explanation: string;
  /** Id of the simulation that proves the answer (see proofs.ts); absent: no "Prove it" button. */
  proof?: string;
  /** A workbook page (and anchor) where the reader can experiment further, e.g. "/brokers#work-queues". */
  see?: string;
}

export interface QuizFile {
  questions: QuizQuestion[];
}

export class QuizFileError extends Error {
  override name = "QuizFileError";
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`The quiz file has ${problems.length === 1 ? "a problem" : `${problems.length} problems`}:\n` + problems.map((p) => `• ${p}`).join("\n"));
    this.problems = problems;
  }
}

export const QUESTION_FIELDS = ["id", "section", "origin", "question", "choices", "answer", "explanation", "proof", "see"] as const;
export const REQUIRED_FIELDS = ["id", "section", "origin", "question", "choices", "answer", "explanation"] as const;
export const ORIGINS = ["module", "workbook"] as const;
export const MIN_CHOICES = 2;
export const MAX_CHOICES = 8;
export const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const SECTION_PATTERN = /^[0-9]+\.[0-9]+$/;
export const SEE_PATTERN = /^\/[a-z0-9-]*(#[A-Za-z0-9_-]+)?$/;

const show = (value: unknown) => (value === undefined ? "nothing" : JSON.stringify(value));
const isText = (value: unknown): value is string => typeof value === "string" && value.trim().length > 0;

/**
 * Checks a parsed quiz file and returns it typed; throws a QuizFileError listing every problem.
 * `proofIds` are the proofs that exist: a question naming another one is refused.
 */
export function validateQuiz(data: unknown, proofIds: readonly string[]): QuizFile {
  const problems: string[] = [];
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new QuizFileError([`the file must hold a JSON object {"questions": [...]}, got ${Array.isArray(data) ? "an array" : show(data)}`]);
  }
  for (const key of Object.keys(data)) {
    if (key !== "questions" && key !== "$schema") problems.push(`unknown top-level field ${JSON.stringify(key)} (allowed: "questions", "$schema")`);
  }
  const questions = (data as {questions?: unknown}).questions;
  if (!Array.isArray(questions) || questions.length === 0) {
    problems.push(`"questions" must be a non-empty array of questions, got ${show(questions)}`);
    throw new QuizFileError(problems);
  }
  const seen = new Map<string, number>();
  questions.forEach((q: unknown, i: number) => {
    const at = `questions[${i}]`;
    if (q === null || typeof q !== "object" || Array.isArray(q)) {
      problems.push(`${at} must be an object with ${REQUIRED_FIELDS.join(", ")}, got ${show(q)}`);
      return;
    }
    const r = q as Record<string, unknown>;
    const name = typeof r.id === "string" ? `${at} ("${r.id}")` : at;
    for (const key of Object.keys(r)) {
      if (!(QUESTION_FIELDS as readonly string[]).includes(key)) problems.push(`${name}: unknown field ${JSON.stringify(key)} (allowed: ${QUESTION_FIELDS.join(", ")})`);
    }
    for (const key of REQUIRED_FIELDS) if (!(key in r)) problems.push(`${name}: the field "${key}" is missing`);
    if ("id" in r) {
      if (typeof r.id !== "string" || !ID_PATTERN.test(r.id)) {
        problems.push(`${name}: id must be lower-case letters and digits joined by hyphens (e.g. "keyless-records"), got ${show(r.id)}`);
      } else if (seen.has(r.id)) {
        problems.push(`${name}: id "${r.id}" is used already by questions[${seen.get(r.id)}]: ids must be unique`);
      } else {
        seen.set(r.id, i);
      }
    }
    if ("section" in r && (typeof r.section !== "string" || !SECTION_PATTERN.test(r.section))) {
      problems.push(`${name}: section must be a section number such as "11.4", got ${show(r.section)}`);
    }
    if ("origin" in r && !(ORIGINS as readonly unknown[]).includes(r.origin)) {
      problems.push(`${name}: origin must be one of ${ORIGINS.map((o) => `"${o}"`).join(", ")}, got ${show(r.origin)}`);
    }
    for (const key of ["question", "explanation"] as const) {
      if (key in r && !isText(r[key])) problems.push(`${name}: ${key} must be non-empty text, got ${show(r[key])}`);
    }
    let choices: string[] | null = null;
    if ("choices" in r) {
      const c = r.choices;
      if (!Array.isArray(c) || c.length < MIN_CHOICES || c.length > MAX_CHOICES) {
        problems.push(`${name}: choices must be an array of ${MIN_CHOICES} to ${MAX_CHOICES} texts, got ${Array.isArray(c) ? `${c.length} item(s)` : show(c)}`);
      } else if (!c.every(isText)) {
        problems.push(`${name}: choices must all be non-empty texts`);
      } else if (new Set(c.map((s) => s.trim())).size !== c.length) {
        problems.push(`${name}: choices must differ from one another`);
      } else {
        choices = c;
      }
    }
    if ("answer" in r) {
      const a = r.answer;
      const max = choices ? choices.length - 1 : null;
      if (!Number.isInteger(a) || (a as number) < 0 || (max !== null && (a as number) > max)) {
        problems.push(`${name}: answer must be the index of the right choice, counted from 0${max !== null ? ` (0 to ${max})` : ""}, got ${show(a)}`);
      }
    }
    if ("proof" in r && (typeof r.proof !== "string" || !proofIds.includes(r.proof))) {
      problems.push(`${name}: proof must name one of the simulations that exist (${proofIds.join(", ")}), got ${show(r.proof)}; leave the field out for a question without one`);
    }
    if ("see" in r && (typeof r.see !== "string" || !SEE_PATTERN.test(r.see))) {
      problems.push(`${name}: see must be a workbook page path such as "/brokers" or "/brokers#work-queues", got ${show(r.see)}`);
    }
  });
  if (problems.length > 0) throw new QuizFileError(problems);
  return data as QuizFile;
}

/**
 * A question with a proof shows the claim of its own id from the proof's experiment in the quiz's
 * lab file (data/scenarios/check-your-understanding.json): one line per question that has none.
 */
export function proofClaimProblems(quiz: QuizFile, lab: {experiments: Record<string, {claims: {id: string}[]}>}): string[] {
  return quiz.questions.flatMap((q) =>
    q.proof && !lab.experiments[q.proof]?.claims.some((c) => c.id === q.id)
      ? [`question "${q.id}": its proof "${q.proof}" has no claim with id "${q.id}" in data/scenarios/check-your-understanding.json (experiments.${q.proof}.claims)`]
      : []
  );
}

export type LoadedQuiz = {ok: true; quiz: QuizFile} | {ok: false; problems: string[]};

/** Parses and checks the quiz file's text; never throws, so a page can show the problems instead. */
export function loadQuiz(text: string, proofIds: readonly string[]): LoadedQuiz {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return {ok: false, problems: [`the file is not valid JSON: ${(error as Error).message}`]};
  }
  try {
    return {ok: true, quiz: validateQuiz(data, proofIds)};
  } catch (error) {
    if (error instanceof QuizFileError) return {ok: false, problems: error.problems};
    throw error;
  }
}
