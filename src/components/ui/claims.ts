// The claims of one experiment on its page: each sentence with the numbers it quotes, a "Try it"
// button that sets the experiment's controls to the claim's parameters (the page then re-runs the
// lab), and, while the controls are at those parameters, the numbers observed in this very run,
// highlighted, with the verdict. Before that, the numbers are those the build observed.
// A claim with a `predict` question (predict, then see) asks it first and keeps its sentence for
// after the run, then shows the reader's guess beside what the run showed. Answering is optional:
// "Try it" works either way.
import {check, claimParameters, format, measure, predictionAnswer, predictionHolds, quote, textParts, type Claim, type Experiment, type ExperimentScenario, type Guess, type Observed, type Parameters, type Prediction} from "../claims/claim.js";
import {el, experimentError, prose} from "./dom.js";

/** Marks a button whose press runs what a claim reads (the claims' browser test presses every gate first). */
export function claimGate<T extends HTMLElement>(input: T): T {
  input.querySelector("button")?.setAttribute("data-claim-gate", "");
  return input;
}

export type ClaimListOptions<R> = {
  /** The experiment's controls: an Inputs.form whose fields are named like the parameters. */
  input: HTMLElement & {value: Parameters};
  /** What the build observed for each claim, by claim id. */
  observed: Record<string, Observed>;
  /** The parameters of the run on screen, when they may lag behind the controls (lab-worker.ts liveRuns). */
  parameters?: Parameters;
  /** A heading above the list. */
  title?: string;
} & (
  /** The experiment and its run for the controls' current value (or the error it threw)... */
  | {experiment: Experiment<R>; result: R | Error}
  /** ...or the run's metrics, as a lab worker sends them (lab-worker.ts). */
  | {live: Observed | Error}
);

/** The metrics of the run on screen, or the error it threw. */
function liveMetrics<R>(options: ClaimListOptions<R>): Observed | Error {
  if ("live" in options) return options.live;
  return options.result instanceof Error ? options.result : measure(options.experiment, options.result);
}

/** Whether the controls stand at a claim's parameters. */
export function isActive(scenario: ExperimentScenario, claim: {set: Parameters}, current: Parameters): boolean {
  const wanted = claimParameters(scenario, claim);
  const now = {...scenario.parameters, ...current};
  return Object.keys({...wanted, ...now}).every((key) => JSON.stringify(now[key]) === JSON.stringify(wanted[key]));
}

/** Sets the controls to defaults plus `set`, as if the reader had moved them, so the page re-runs. */
export function applyParameters(input: HTMLElement & {value: Parameters}, scenario: ExperimentScenario, set: Parameters): void {
  const wanted = claimParameters(scenario, {set});
  input.value = Object.fromEntries(Object.keys(input.value).map((key) => [key, wanted[key]]));
  input.dispatchEvent(new Event("input", {bubbles: true}));
}

export function claimList<R>(scenario: ExperimentScenario, options: ClaimListOptions<R>): HTMLElement {
  const {input, observed, title = "Try this"} = options;
  const current = options.parameters ?? input.value;
  const result = liveMetrics(options);
  const live = result instanceof Error ? null : result;
  const presets = scenario.presets ?? [];
  return el("section", {class: "try-this claims", "aria-label": title},
    el("h3", {}, title),
    presets.length ? el("p", {class: "presets"}, "Presets: ", presets.map((preset) => button(preset.label, {}, () => applyParameters(input, scenario, preset.set)))) : null,
    el("ul", {}, scenario.claims.map((claim) => claimItem(claim, scenario, {current, live, result, input, observed: observed[claim.id] ?? {}})))
  );
}

/** The reader's guesses by claim id; they outlive the list, which each run draws anew. */
const guesses = new Map<string, Guess>();

function claimItem(claim: Claim, scenario: ExperimentScenario, {current, live, result, input, observed}: {current: Parameters; live: Observed | null; result: Observed | Error; input: HTMLElement & {value: Parameters}; observed: Observed}): HTMLElement {
  const active = isActive(scenario, claim, current);
  const values = active && live ? live : observed;
  const verdict = active && live ? check(claim, live) : null;
  const sentence = el("p", {id: `claim-${claim.id}`}, textParts(claim.text).map((part) => {
    if ("text" in part) return prose(part.text);
    const value = quote(part.name, values, claimParameters(scenario, claim));
    return part.name in values ? el("mark", {"data-metric": part.name, "data-value": String(value)}, format(value)) : format(value);
  }));
  // Before the run, a question hides the sentence: it would give the answer away.
  const asking = claim.predict && !active;
  return el("li", {"data-claim": claim.id, "data-state": active ? "active" : "idle", "data-holds": verdict ? String(verdict.holds) : null, class: active ? "claim-active" : null},
    asking ? question(claim.id, claim.predict!) : sentence,
    active
      ? result instanceof Error
        ? experimentError(result)
        : [
            claim.predict && live ? comparison(claim.predict, guesses.get(claim.id), live) : null,
            el("p", {class: verdict!.holds ? "claim-verdict workbook-ok" : "claim-verdict workbook-error", role: "status"}, verdict!.holds ? "Shown by this run: the controls above are set as the claim says." : `Not shown by this run: ${verdict!.failures.join("; ")}`)
          ]
      : button("Try it", {"aria-describedby": `claim-${claim.id}`, title: asking ? "Run it and see (a prediction is optional)" : "Set the controls as this sentence says, and run"}, () => applyParameters(input, scenario, claim.set))
  );
}

/** The question, with a radio per choice or a number box; the guess is kept by claim id. */
function question(id: string, predict: Prediction): HTMLElement {
  const name = `predict-${id}`;
  const guess = guesses.get(id);
  const answers = "choices" in predict
    ? predict.choices.map((choice, i) => {
        const radio = el("input", {type: "radio", name, value: i, checked: guess === i});
        radio.addEventListener("change", () => guesses.set(id, i));
        return el("label", {class: "claim-choice"}, radio, " ", prose(choice));
      })
    : [numberBox(id, guess)];
  return el("fieldset", {class: "claim-predict", id: `claim-${id}`}, el("legend", {}, el("strong", {}, "Predict: "), prose(predict.question)), answers);
}

function numberBox(id: string, guess: Guess | undefined): HTMLElement {
  const box = el("input", {type: "number", step: "any", inputmode: "decimal", value: guess ?? null, "aria-label": "Your prediction"});
  box.addEventListener("input", () => (box.value === "" ? guesses.delete(id) : guesses.set(id, Number(box.value))));
  return el("label", {class: "claim-choice"}, "Your guess: ", box);
}

/** "You said 3; the run shows 8." beside the verdict. */
function comparison(predict: Prediction, guess: Guess | undefined, observed: Observed): HTMLElement {
  const answer = predictionAnswer(predict, observed);
  const shown = typeof answer === "string" ? `“${answer}”` : format(answer);
  if (guess === undefined) return el("p", {class: "claim-prediction"}, prose(predict.question), ` The run shows ${shown}.`);
  const said = "choices" in predict ? `“${predict.choices[guess]}”` : format(guess);
  const right = predictionHolds(predict, guess, observed);
  return el("p", {class: `claim-prediction ${right ? "workbook-ok" : "workbook-warn"}`, "data-right": String(right)}, `You said ${said}; the run shows ${shown}. ${right ? "Right." : "Not quite: read the sentence above."}`);
}

function button(label: string, attributes: Record<string, string>, onclick: () => void): HTMLButtonElement {
  const node = el("button", {type: "button", ...attributes}, label);
  node.addEventListener("click", onclick);
  return node;
}
