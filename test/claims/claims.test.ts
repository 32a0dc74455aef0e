// Every claim of every lab file, run in Node against its lab: a claim that does not hold fails
// here, naming the file, the claim and what was observed. And the checks on a lab file beyond
// its schema, each of which must name the file and the field.
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {check, experiment, fillText, labProblems, predictionAnswer, predictionHolds, type LabScenario} from "../../src/components/claims/claim.js";
import {labNames, loadLab, runLabClaims} from "../../scripts/claims.js";

const names = labNames();
const sections: {name: string; pages: {name: string; path: string}[]}[] = JSON.parse(readFileSync("data/pages.json", "utf8"));
const sectionPages = sections[0].pages.map((p) => p.path);

describe("claims", () => {
  it("there are lab files to check", () => {
    expect(names.length).toBeGreaterThan(0);
  });

  for (const name of names) {
    it(`every claim of data/scenarios/${name}.json holds`, async () => {
      const reports = await runLabClaims(await loadLab(name));
      expect(reports.length).toBeGreaterThan(0);
      const failing = reports.filter((r) => !r.holds).map((r) => `${r.id}: ${r.failures.join("; ")}`);
      expect(failing, `claims of data/scenarios/${name}.json that do not hold`).toEqual([]);
    });
  }

  it("every section page has at least three claims", async () => {
    const counts = new Map<string, number>(sectionPages.map((page) => [page, 0]));
    for (const name of names) {
      const {scenario} = await loadLab(name);
      const claims = Object.values(scenario.experiments).reduce((sum, e) => sum + e.claims.length, 0);
      counts.set(scenario.page, (counts.get(scenario.page) ?? 0) + claims);
    }
    expect(sectionPages.length).toBe(6);
    expect([...counts].filter(([, n]) => n < 3), "section pages with fewer than three claims").toEqual([]);
  });
});

describe("a lab file's problems name the file and the field", () => {
  const toy = experiment({run: ({n}: {n: number; seed: number}) => ({n}), metrics: {double: (r: {n: number}) => r.n * 2}});
  const scenario = (claim: object): LabScenario => ({
    title: "t", kind: "lab", lab: "toy", page: "/toy",
    experiments: {toy: {parameters: {seed: 1, n: 2}, claims: [{id: "c", text: "doubled: {double}", set: {}, expect: [{metric: "double", equals: 4}], ...claim}]}}
  });
  const problems = (claim: object) => labProblems("data/scenarios/toy.json", scenario(claim), {toy} as never);

  it("a well-formed claim has none", () => {
    expect(problems({})).toEqual([]);
  });
  it("an unknown parameter", () => {
    expect(problems({set: {m: 3}})).toEqual(["data/scenarios/toy.json: experiments.toy.claims[0].set.m: unknown parameter (the parameters are seed, n)"]);
  });
  it("a parameter of another type than its default", () => {
    expect(problems({set: {n: "3"}})).toEqual(["data/scenarios/toy.json: experiments.toy.claims[0].set.n: string where the default is number"]);
  });
  it("a metric that does not exist, as the metric or as a bound", () => {
    expect(problems({expect: [{metric: "triple", atLeast: {metric: "half"}}]})).toEqual([
      'data/scenarios/toy.json: experiments.toy.claims[0].expect[0].metric: no metric "triple" (the metrics are double)',
      'data/scenarios/toy.json: experiments.toy.claims[0].expect[0].atLeast.metric: no metric "half" (the metrics are double)'
    ]);
  });
  it("a placeholder that is neither a metric nor a parameter", () => {
    expect(problems({text: "{double} and {n} and {nope}"})).toEqual(["data/scenarios/toy.json: experiments.toy.claims[0].text: {nope} is neither a metric nor a parameter"]);
  });
  it("a prediction whose answer is not one of its choices, or whose number is no metric", () => {
    expect(problems({predict: {question: "q", choices: ["a", "b"], answer: 2}})).toEqual(["data/scenarios/toy.json: experiments.toy.claims[0].predict.answer: 2 is not the index of one of its 2 choices"]);
    expect(problems({predict: {question: "q", choices: ["a", "b"], answer: 1}})).toEqual([]);
    expect(problems({predict: {question: "q", number: {metric: "triple"}}})).toEqual(['data/scenarios/toy.json: experiments.toy.claims[0].predict.number.metric: no metric "triple" (the metrics are double)']);
    expect(problems({predict: {question: "q", number: {metric: "double", tolerance: 1}}})).toEqual([]);
  });
  it("an experiment the lab does not have", () => {
    const s = scenario({});
    s.experiments.other = s.experiments.toy;
    expect(labProblems("data/scenarios/toy.json", s, {toy} as never)[0]).toMatch(/experiments\.other: the lab "toy" has no experiment "other"/);
  });
});

describe("predictions", () => {
  it("a choice is right when it is the answer; a number when it is within the tolerance of the run's", () => {
    const choice = {question: "q", choices: ["a", "b", "c"], answer: 1};
    expect([0, 1, 2].map((guess) => predictionHolds(choice, guess, {}))).toEqual([false, true, false]);
    expect(predictionAnswer(choice, {})).toBe("b");
    const number = {question: "q", number: {metric: "x", tolerance: 2}};
    expect([5, 6, 8, 10, 11].map((guess) => predictionHolds(number, guess, {x: 8}))).toEqual([false, true, true, true, false]);
    expect(predictionHolds({question: "q", number: {metric: "x"}}, 8, {x: 8})).toBe(true);
    expect(predictionHolds({question: "q", number: {metric: "x"}}, 7, {x: 8})).toBe(false);
    expect(predictionAnswer(number, {x: 8})).toBe(8);
  });
});

describe("check", () => {
  const claim = {id: "c", text: "{a} then {b} at {n}", set: {n: 7}, expect: [{metric: "a", atLeast: 2, below: {metric: "b"}}, {metric: "ok", equals: true}]};
  it("holds only when every bound holds, and says which failed", () => {
    expect(check(claim, {a: 2, b: 3, ok: true})).toEqual({holds: true, failures: []});
    expect(check(claim, {a: 3, b: 3, ok: false})).toEqual({holds: false, failures: ["a below b (3): observed 3", "ok equals true: observed false"]});
  });
  it("fills placeholders from the metrics, then the parameters", () => {
    expect(fillText(claim, {a: 1234, b: 0.5}, {n: 7})).toBe("1,234 then 0.5 at 7");
  });
});
