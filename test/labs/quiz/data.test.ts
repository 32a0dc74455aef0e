import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {
  ID_PATTERN, MAX_CHOICES, MIN_CHOICES, ORIGINS, QUESTION_FIELDS, QuizFileError, REQUIRED_FIELDS, SECTION_PATTERN, SEE_PATTERN,
  loadQuiz, proofClaimProblems, validateQuiz
} from "../../../src/components/labs/quiz/data.js";
import {PROOF_IDS} from "../../../src/components/labs/quiz/index.js";
import {Ajv} from "ajv";
import {loadData} from "../../../scripts/data.js";

const text = readFileSync("data/quiz.json", "utf8");
const schema = JSON.parse(readFileSync("data/quiz.schema.json", "utf8"));
const good = () => JSON.parse(text) as {questions: Record<string, unknown>[]};

const problemsOf = (data: unknown): string[] => {
  try {
    validateQuiz(data, PROOF_IDS);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(QuizFileError);
    return (error as QuizFileError).problems;
  }
};

describe("the quiz file", () => {
  it("is valid and has the module's four questions and at least four more", () => {
    const loaded = loadQuiz(text, PROOF_IDS);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const {questions} = loaded.quiz;
    expect(questions.filter((q) => q.origin === "module").map((q) => q.id)).toEqual(["fraud-detection-added", "support-tickets", "delivery-type-field", "payment-completed-twice"]);
    expect(questions.filter((q) => q.origin === "workbook").length).toBeGreaterThanOrEqual(4);
    expect(questions.every((q) => q.proof !== undefined)).toBe(true);
  });

  it("answers the deliveryType question with FORWARD, and says a default makes it FULL (seed correction 2)", () => {
    const q = good().questions.find((x) => x.id === "delivery-type-field")!;
    expect((q.choices as string[])[q.answer as number]).toMatch(/^FORWARD/);
    expect(q.explanation).toMatch(/BACKWARD/);
    expect(q.explanation).toMatch(/FULL/);
  });

  it("has a question for each card stand-in of the quiz page, or a link's check would pass on no card", () => {
    const standIns = [...readFileSync("src/check-your-understanding.md", "utf8").matchAll(/<div class="quiz-stand-in" id="([^"]+)"><\/div>/g)].map((m) => m[1]);
    expect(standIns.length).toBeGreaterThan(0);
    const ids = good().questions.map((q) => q.id);
    for (const id of standIns) expect(ids).toContain(id);
  });

  it("does not put every right answer in the same place", () => {
    expect(new Set(good().questions.map((q) => q.answer)).size).toBeGreaterThan(2);
  });

  it("names only proofs that exist, and every proof is used", () => {
    const used = new Set(good().questions.map((q) => q.proof));
    expect([...used].every((id) => PROOF_IDS.includes(id as string))).toBe(true);
    expect(PROOF_IDS.every((id) => used.has(id))).toBe(true);
  });
});

describe("validateQuiz", () => {
  it("lists every problem, each with where it is", () => {
    const data = good();
    data.questions[0].answer = 9;
    data.questions[1].id = data.questions[0].id;
    data.questions[2].anwser = 1;
    delete data.questions[3].explanation;
    data.questions[4].proof = "no-such-proof";
    data.questions[5].choices = ["only one"];
    data.questions[6].section = "eleven";
    data.questions[7].see = "https://example.com";
    data.questions[8].origin = "book";
    const problems = problemsOf(data);
    expect(problems).toHaveLength(9);
    expect(problems[0]).toMatch(/^questions\[0\] \("fraud-detection-added"\): answer must be the index of the right choice, counted from 0 \(0 to 3\), got 9$/);
    expect(problems.join("\n")).toContain('id "fraud-detection-added" is used already by questions[0]');
    expect(problems.join("\n")).toContain('unknown field "anwser"');
    expect(problems.join("\n")).toContain('the field "explanation" is missing');
    expect(problems.join("\n")).toContain('got "no-such-proof"; leave the field out for a question without one');
    expect(problems.join("\n")).toContain("choices must be an array of 2 to 8 texts, got 1 item(s)");
    expect(problems.join("\n")).toContain('section must be a section number such as "11.4", got "eleven"');
    expect(problems.join("\n")).toContain("see must be a workbook page path");
    expect(problems.join("\n")).toContain('origin must be one of "module", "workbook", got "book"');
  });

  it("refuses files that are not an object of questions", () => {
    expect(problemsOf([])).toEqual(['the file must hold a JSON object {"questions": [...]}, got an array']);
    expect(problemsOf(null)[0]).toContain("got null");
    expect(problemsOf({questions: []})).toEqual(['"questions" must be a non-empty array of questions, got []']);
    expect(problemsOf({questions: [1], extra: true})).toEqual([
      'unknown top-level field "extra" (allowed: "questions", "$schema")',
      "questions[0] must be an object with id, section, origin, question, choices, answer, explanation, got 1"
    ]);
  });

  it("refuses duplicate and blank choices", () => {
    const data = good();
    data.questions[0].choices = ["a", " a "];
    data.questions[1].choices = ["a", ""];
    expect(problemsOf(data)).toEqual([
      'questions[0] ("fraud-detection-added"): choices must differ from one another',
      'questions[1] ("support-tickets"): choices must all be non-empty texts'
    ]);
  });

  it("accepts a question without a proof or a see link", () => {
    const data = good();
    delete data.questions[0].proof;
    delete data.questions[0].see;
    expect(problemsOf(data)).toEqual([]);
  });

  it("loadQuiz reports bad JSON instead of throwing", () => {
    const loaded = loadQuiz('{"questions": [', PROOF_IDS);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.problems[0]).toMatch(/^the file is not valid JSON: /);
  });
});

describe("the JSON Schema agrees with the validator", () => {
  const q = schema.definitions.question;
  it("has the same fields, required fields, patterns and limits", () => {
    expect(Object.keys(q.properties)).toEqual([...QUESTION_FIELDS]);
    expect(q.required).toEqual([...REQUIRED_FIELDS]);
    expect(q.additionalProperties).toBe(false);
    const same = (pattern: string, regex: RegExp) => expect(new RegExp(pattern).source).toBe(regex.source);
    same(q.properties.id.pattern, ID_PATTERN);
    same(q.properties.section.pattern, SECTION_PATTERN);
    same(q.properties.see.pattern, SEE_PATTERN);
    expect(q.properties.origin.enum).toEqual([...ORIGINS]);
    expect([q.properties.choices.minItems, q.properties.choices.maxItems]).toEqual([MIN_CHOICES, MAX_CHOICES]);
    expect(q.properties.answer.maximum).toBe(MAX_CHOICES - 1);
  });

  it("accepts the quiz file and refuses a structurally bad one, as the build does", () => {
    expect(() => loadData("quiz")).not.toThrow();
    const validate = new Ajv({allErrors: true, strict: false}).compile(schema);
    const data = good();
    data.questions[0].anwser = 1;
    data.questions[1].proof = "no-such-proof";
    expect(validate(data)).toBe(false);
    expect(validate.errors!.map((e) => e.instancePath).sort()).toEqual(["/questions/0", "/questions/1/proof"]);
  });

  it("lists exactly the proofs that exist", () => {
    expect(q.properties.proof.enum).toEqual([...PROOF_IDS]);
  });
});

describe("each proof's claim", () => {
  const lab = JSON.parse(readFileSync("data/scenarios/check-your-understanding.json", "utf8")) as {experiments: Record<string, {claims: {id: string}[]}>};
  const quiz = validateQuiz(good(), PROOF_IDS);

  it("every question with a proof has the claim of its id in the lab file", () => {
    expect(quiz.questions.filter((q) => q.proof).length).toBeGreaterThan(0);
    expect(proofClaimProblems(quiz, lab)).toEqual([]);
  });

  it("a question whose proof lacks its claim is named", () => {
    const withoutClaim = {experiments: {...lab.experiments, "forward-read": {claims: [{id: "something-else"}]}}};
    expect(proofClaimProblems(quiz, withoutClaim)).toEqual([
      'question "delivery-type-field": its proof "forward-read" has no claim with id "delivery-type-field" in data/scenarios/check-your-understanding.json (experiments.forward-read.claims)'
    ]);
  });
});
