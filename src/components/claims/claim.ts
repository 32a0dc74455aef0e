// Claims: a sentence on a page that says what an experiment shows, written as data (the lab's
// scenario file in data/scenarios/) and checked by running the experiment. A claim names the
// parameters it changes (`set`) and what the result must then show (`expect`), as comparisons on
// the experiment's metrics. The same functions run in Node (`npm test`, `npm run claims`, the
// build) and in the page (the "Try it" button), so both read one verdict from one run.

/** A parameter value, as JSON can hold it. */
export type ParameterValue = number | string | boolean | null | ParameterValue[] | {[key: string]: ParameterValue};
export type Parameters = Record<string, ParameterValue>;

/** A bound: a number, or another metric of the same run. */
export type Bound = number | {metric: string};

export interface Expectation {
  metric: string;
  atLeast?: Bound;
  atMost?: Bound;
  above?: Bound;
  below?: Bound;
  equals?: Bound | boolean;
}

/**
 * A question the reader answers before pressing "Try it" (predict, then see): a choice among
 * sentences, `answer` the index of the right one; or a number, the metric the run then shows
 * (a guess within `tolerance` of it, default 0, counts as right).
 */
export type Prediction = {question: string} & ({choices: string[]; answer: number} | {number: {metric: string; tolerance?: number}});

export interface Claim {
  id: string;
  predict?: Prediction;
  /** The sentence; `{name}` is filled with the observed metric of that name, else the parameter (`{front.concurrency}`). */
  text: string;
  set: Parameters;
  expect: Expectation[];
}

export interface Preset {
  label: string;
  set: Parameters;
}

export interface ExperimentScenario {
  /** The experiment's defaults: every parameter a claim or a preset may set, seed included. */
  parameters: Parameters;
  presets?: Preset[];
  claims: Claim[];
}

/** A lab's scenario file: data/scenarios/<name>.json with kind "lab". */
export interface LabScenario {
  title: string;
  description?: string;
  kind: "lab";
  lab: string;
  /** The page the lab's claims appear on, as in data/pages.json. */
  page: string;
  experiments: Record<string, ExperimentScenario>;
}

export type Metrics<R> = Record<string, (result: R) => number | boolean>;

/** An experiment: a pure run on the kernel, and the metrics its claims may name. */
export interface Experiment<R = unknown> {
  run: (parameters: Parameters) => R | Promise<R>;
  metrics: Metrics<R>;
}

/** Types an experiment's parameters at its definition and erases them for the claims; other members (a `view`) pass through. */
export function experiment<P, R, X extends object = object>(definition: {run: (parameters: P) => R | Promise<R>; metrics: Metrics<R>} & X): Experiment<R> & Omit<X, "run" | "metrics"> {
  return definition as unknown as Experiment<R> & Omit<X, "run" | "metrics">;
}

export type Observed = Record<string, number | boolean>;

export interface Verdict {
  holds: boolean;
  /** One line per expectation that failed, naming the metric, the bound and the value. */
  failures: string[];
}

/** The parameters a claim runs with: the experiment's defaults with the claim's changes. */
export function claimParameters(scenario: ExperimentScenario, claim: {set: Parameters}): Parameters {
  return {...scenario.parameters, ...claim.set};
}

/** Every metric of a run. */
export function measure<R>(experiment: Experiment<R>, result: R): Observed {
  return Object.fromEntries(Object.entries(experiment.metrics).map(([name, metric]) => [name, metric(result)]));
}

const comparisons = {
  atLeast: (value: number, bound: number) => value >= bound,
  atMost: (value: number, bound: number) => value <= bound,
  above: (value: number, bound: number) => value > bound,
  below: (value: number, bound: number) => value < bound,
  equals: (value: number | boolean, bound: number | boolean) => value === bound
} as const;

export type Comparison = keyof typeof comparisons;
export const COMPARISONS = Object.keys(comparisons) as Comparison[];

/** Whether the observed metrics meet every expectation of a claim. */
export function check(claim: Claim, observed: Observed): Verdict {
  const failures: string[] = [];
  for (const expectation of claim.expect) {
    const value = observed[expectation.metric];
    for (const comparison of COMPARISONS) {
      const bound = expectation[comparison];
      if (bound === undefined) continue;
      const target = typeof bound === "object" ? observed[bound.metric] : bound;
      const ok = (comparisons[comparison] as (v: unknown, b: unknown) => boolean)(value, target);
      if (!ok) failures.push(`${expectation.metric} ${comparison} ${describeBound(bound, observed)}: observed ${format(value)}`);
    }
  }
  return {holds: failures.length === 0, failures};
}

function describeBound(bound: Bound | boolean, observed: Observed): string {
  return typeof bound === "object" ? `${bound.metric} (${format(observed[bound.metric])})` : format(bound);
}

/** A metric or parameter as a sentence quotes it. */
export function format(value: unknown): string {
  if (typeof value === "number") return Number.isInteger(value) ? value.toLocaleString("en-US") : value.toLocaleString("en-US", {maximumFractionDigits: 2});
  return String(value);
}

/** The claim's sentence split around its `{name}` placeholders. */
export function textParts(text: string): ({text: string} | {name: string})[] {
  return text.split(/\{([A-Za-z][\w.]*)\}/).map((part, i) => (i % 2 ? {name: part} : {text: part}));
}

/** What a placeholder `{name}` stands for: the observed metric, else the parameter (a dotted path into it). */
export function quote(name: string, observed: Observed, parameters: Parameters): unknown {
  if (name in observed) return observed[name];
  let value: unknown = parameters;
  for (const key of name.split(".")) value = value !== null && typeof value === "object" && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

/** The sentence with every placeholder filled. */
export function fillText(claim: Claim, observed: Observed, parameters: Parameters): string {
  return textParts(claim.text).map((part) => ("text" in part ? part.text : format(quote(part.name, observed, parameters)))).join("");
}

/** What the reader predicted: the index of a choice, or a number. */
export type Guess = number;

/** The right answer to a prediction: the choice's sentence, or the number the run observed. */
export function predictionAnswer(predict: Prediction, observed: Observed): string | number | boolean {
  return "choices" in predict ? predict.choices[predict.answer] : observed[predict.number.metric];
}

/** Whether a guess is right: the right choice, or within the tolerance of the observed number. */
export function predictionHolds(predict: Prediction, guess: Guess, observed: Observed): boolean {
  if ("choices" in predict) return guess === predict.answer;
  const value = observed[predict.number.metric];
  return typeof value === "number" && Math.abs(guess - value) <= (predict.number.tolerance ?? 0);
}

export interface ClaimOutcome extends Verdict {
  observed: Observed;
}

/** Runs one claim: the experiment with the claim's parameters, then the check. */
export async function runClaim<R>(experiment: Experiment<R>, scenario: ExperimentScenario, claim: Claim): Promise<ClaimOutcome> {
  const observed = measure(experiment, await experiment.run(claimParameters(scenario, claim)));
  return {observed, ...check(claim, observed)};
}

/**
 * What is wrong with a lab file beyond its JSON Schema, each problem naming the file and the
 * field: an experiment the lab does not have, a claim or preset that sets an unknown parameter
 * or one of another type than its default, an expectation on a metric that does not exist, a
 * placeholder that names neither, a duplicate claim id.
 */
export function labProblems(file: string, scenario: LabScenario, experiments: Record<string, Experiment<never>>): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const [name, exp] of Object.entries(scenario.experiments)) {
    const at = `${file}: experiments.${name}`;
    const lab = experiments[name];
    if (!lab) {
      problems.push(`${at}: the lab "${scenario.lab}" has no experiment "${name}" (it has ${Object.keys(experiments).join(", ")})`);
      continue;
    }
    const known = Object.keys(exp.parameters);
    const checkSet = (where: string, set: Parameters) => {
      for (const [key, value] of Object.entries(set)) {
        if (!(key in exp.parameters)) problems.push(`${at}.${where}.set.${key}: unknown parameter (the parameters are ${known.join(", ")})`);
        else if (kind(value) !== kind(exp.parameters[key])) problems.push(`${at}.${where}.set.${key}: ${kind(value)} where the default is ${kind(exp.parameters[key])}`);
      }
    };
    (exp.presets ?? []).forEach((preset, i) => checkSet(`presets[${i}]`, preset.set));
    exp.claims.forEach((claim, i) => {
      const where = `claims[${i}]`;
      if (ids.has(claim.id)) problems.push(`${at}.${where}.id: "${claim.id}" is used twice`);
      ids.add(claim.id);
      checkSet(where, claim.set);
      const metrics = Object.keys(lab.metrics);
      const checkMetric = (field: string, metric: string) => {
        if (!metrics.includes(metric)) problems.push(`${at}.${where}.${field}: no metric "${metric}" (the metrics are ${metrics.join(", ")})`);
      };
      claim.expect.forEach((e, j) => {
        checkMetric(`expect[${j}].metric`, e.metric);
        for (const comparison of COMPARISONS) {
          const bound = e[comparison];
          if (typeof bound === "object" && bound !== null) checkMetric(`expect[${j}].${comparison}.metric`, bound.metric);
        }
      });
      if (claim.predict && "choices" in claim.predict && !(Number.isInteger(claim.predict.answer) && claim.predict.answer >= 0 && claim.predict.answer < claim.predict.choices.length)) {
        problems.push(`${at}.${where}.predict.answer: ${claim.predict.answer} is not the index of one of its ${claim.predict.choices.length} choices`);
      }
      if (claim.predict && "number" in claim.predict) checkMetric("predict.number.metric", claim.predict.number.metric);
      for (const part of textParts(claim.text)) {
        if ("name" in part && !metrics.includes(part.name) && quote(part.name, {}, claimParameters(exp, claim)) === undefined) problems.push(`${at}.${where}.text: {${part.name}} is neither a metric nor a parameter`);
      }
    });
  }
  return problems;
}

function kind(value: ParameterValue): string {
  return value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
}
