// What each 11.4 run shows, in a sentence under its card's heading: the numbers come from the run,
// and the sentence says which case the run is in (nothing crashed, nothing lost, ...).
import {el} from "../../ui/dom.js";
import type {PlacementRun} from "./placement.js";
import type {AtLeastOnceRun, KeyOrderRun, RetryRun} from "./runs.js";
import type {PaymentEffects} from "./cell.js";
import type {TransactionsView} from "./index.js";

const bad = (text: string) => el("strong", {style: "color: var(--workbook-bad)"}, text);
const ok = (text: string) => el("strong", {class: "workbook-ok"}, text);
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The step from the current partition count to one more: how many keys change partition. */
export function growthCaption(run: PlacementRun): Node {
  const step = run.growth.find((g) => g.from === run.partitions)!;
  return el("span", {}, "Going from ", el("strong", {}, `${step.from} to ${step.to}`), ` partitions, ${step.moved} of ${step.keys} keys change partition (${Math.round(100 * step.share)}%)`);
}

/** Whether the group processed each order's events in the order they happened. */
export function keyOrderCaption(run: Pick<KeyOrderRun, "violations" | "steps">): Node {
  const late = run.violations;
  if (late.length === 0) return el("span", {class: "workbook-ok"}, "Every order's events were processed in the order they happened.");
  const shown = late.slice(0, 4).map((v) => `${v.order} ${run.steps[v.step]} after ${run.steps[v.after]}`).join("; ");
  return el("span", {style: "color: var(--workbook-bad)"}, `${plural(late.length, "event was", "events were")} processed after a later event of the same order (ringed): ${shown}${late.length > 4 ? "; …" : ""}.`);
}

/** Who owns which partition, and why the consumers beyond the partition count idle. */
export function assignmentCaption(run: Pick<KeyOrderRun, "consumers" | "assignment">): Node {
  const idle = run.consumers.filter((c) => run.assignment[c].length === 0);
  const owners = run.consumers.map((c) => `${c} → ${run.assignment[c].length ? run.assignment[c].map((p) => `partition ${p}`).join(", ") : "nothing"}`).join("; ");
  return el("p", {}, `Assignment: ${owners}. `, idle.length ? [el("strong", {}, `${plural(idle.length, "consumer is", "consumers are")} idle`), ": a group never gives one partition to two members, so consumers beyond the partition count wait as standbys."] : null);
}

/**
 * The at-least-once run in words, in one convention: billing-a's position and the committed offset
 * are both the next offset to read, so the offsets delivered again are committed..position - 1.
 * `again`, when present, is the part to stress.
 */
export function atLeastOnceText(run: Pick<AtLeastOnceRun, "crashAt" | "positionAtCrash" | "committedAtCrash" | "duplicates">): {text: string; again?: string; after?: string} {
  const {crashAt, positionAtCrash: position, committedAtCrash: committed} = run;
  if (crashAt === null) return {text: "billing-a never crashed: every record was delivered once."};
  if (position === 0) return {text: `billing-a crashed before it processed anything: billing-b starts from committed offset ${committed} and nothing is delivered twice.`};
  const text = `billing-a's last processed offset ${position - 1}, committed offset ${committed} (the next to read): `;
  if (position <= committed) return {text: `${text}nothing is delivered again, everything processed was committed.`};
  const offsets = position - committed === 1 ? `offset ${committed} is delivered again` : `offsets ${committed}..${position - 1} are delivered again`;
  return {text, again: `${offsets} (${plural(run.duplicates, "event", "events")})`, after: ", ringed ×."};
}

export function atLeastOnceCaption(run: Pick<AtLeastOnceRun, "crashAt" | "positionAtCrash" | "committedAtCrash" | "duplicates">): Node {
  const {text, again, after} = atLeastOnceText(run);
  return el("span", {}, text, again ? bad(again) : null, after);
}

/** Duplicate copies with idempotence off and on, and the sends that failed outright. */
export function retryCaption(run: Pick<RetryRun, "summary">): Node {
  const [off, on] = run.summary;
  const failed = on["sends failed (delivery.timeout.ms)"];
  const main = off["lost answers"] === 0
    ? el("span", {}, "No answer was lost, so nobody retried: both logs hold each record once. Raise the loss probability.")
    : el("span", {}, "Idempotence off: ", bad(plural(off["duplicate copies"], "duplicate copy", "duplicate copies")), " in the log. Idempotence on: ", ok(String(on["duplicate copies"])), `, though the producer sent the same ${plural(on.retries, "retry", "retries")}: the broker recognised each one by its producer id and sequence number.`);
  return el("span", {}, main, failed > 0
    ? [el("br"), el("span", {class: "workbook-warn"}, `${plural(failed, "send", "sends")} never got an answer and failed after delivery.timeout.ms: the producer tells the application, which must decide what to do. Idempotence removes duplicates from retries; it cannot make an unreachable broker answer.`)]
    : null);
}

/** What each isolation level read, or why the run has nothing to compare. */
export function isolationCaption(run: Pick<TransactionsView, "summary" | "log" | "crashAt">, {crash}: {crash: boolean}): Node {
  const [uncommitted, committed] = run.summary;
  if (run.log.every((l) => l.type !== "data")) return el("span", {}, "The producer crashed before its first transaction wrote anything: the log is empty. Move the crash later.");
  if (committed.read === 0) return el("span", {}, "No transaction committed, so read_committed has read nothing, while read_uncommitted read every record, aborted ones included.");
  if (crash && run.crashAt === null) return el("span", {}, "The producer finished before the crash time: nothing crashed. Move the crash earlier.");
  return el("span", {}, "read_uncommitted read ", bad(`${uncommitted.aborted} aborted`), ` and ${uncommitted.open} still-open records; read_committed read ${committed.read}, all committed, each only once its transaction's COMMIT marker was written.`);
}

/** Rows left in the payments table against the deliveries that made them. */
export function effectsCaption(effects: PaymentEffects): Node {
  return el("span", {}, `${effects.deliveries} deliveries of ${effects.events} events · `, effects.duplicateEffects === 0
    ? ok("0 duplicate effects: the handler is idempotent")
    : bad(`${plural(effects.duplicateEffects, "duplicate effect", "duplicate effects")}: ${effects.overcharged} charged twice`));
}
