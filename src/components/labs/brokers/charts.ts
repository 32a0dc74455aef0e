// Charts for 11.3: a log read by consumer groups at their own pace, a member joining a group
// under each rebalance protocol, a work queue shared by competing agents, what each broker still
// holds once everything is delivered, and the lists of the routing builder and the decision
// helper. Each draws from what the lab's worker sends (view.ts and the metrics), never a run.
import * as Plot from "../../ui/vendor/plot.js";
import {el, prose} from "../../ui/dom.js";
import type {GroupProgress} from "./kafka-log.js";
import type {QueueSample, TaskDelivery} from "./work-queue.js";
import type {RouteResult} from "./routing.js";
import type {BrokerOutcome} from "./side-by-side.js";
import type {Recommendation} from "./decision.js";
import type {MatchExplanation} from "../../eventbridge/pattern.js";
import type {Observed} from "../../claims/claim.js";
import type {RebalanceView, ShownExplanation} from "./view.js";

const seconds = {label: "time (s) →", transform: (t: number) => t / 1000};

/**
 * One panel per group, so no group hides behind another: the dashed line is the log end, the
 * solid line the records the group has processed, and the red band between them its lag. A
 * late group's line starts when it joins.
 */
export function groupProgressPlot(progress: GroupProgress[], {width = 640, groups = [...new Set(progress.map((p) => p.group))]}: {width?: number; groups?: readonly string[]} = {}) {
  const joined = progress.filter((p) => p.joined);
  const labels = groups.map((group) => {
    const rows = joined.filter((p) => p.group === group);
    return {group, lag: Math.max(0, ...rows.map((p) => p.logEnd - p.consumed))};
  });
  return Plot.plot({
    width,
    height: 30 + 80 * groups.length,
    marginTop: 20,
    fy: {domain: groups, axis: null, padding: 0.25},
    x: seconds,
    y: {label: null, ticks: 2, grid: true},
    marks: [
      Plot.areaY(joined, {fy: "group", x: "time", y1: "consumed", y2: "logEnd", fill: "var(--workbook-bad)", fillOpacity: 0.25, curve: "step-after"}),
      Plot.lineY(progress, {fy: "group", x: "time", y: "logEnd", stroke: "var(--theme-foreground-muted)", strokeDasharray: "4 3", curve: "step-after"}),
      Plot.lineY(joined, {fy: "group", x: "time", y: "consumed", stroke: "var(--workbook-accent)", strokeWidth: 2, curve: "step-after"}),
      Plot.text(labels, {fy: "group", frameAnchor: "top-left", dy: -14, text: (d) => `${d.group}: at most ${d.lag} records behind`, fill: "currentColor", fontWeight: 600}),
      Plot.tip(joined, Plot.pointerX({fy: "group", x: "time", y: "consumed", title: (d: GroupProgress) => `${d.group} at ${d.time / 1000} s\nprocessed ${d.consumed} of ${d.logEnd}\nlag ${d.logEnd - d.consumed}`})),
      Plot.ruleY([0])
    ]
  });
}

/** When a delivery stopped: its ack, else the crash that ended its agent. */
const endOf = (d: TaskDelivery, crashAtMs: number | null) => d.ackedAt ?? crashAtMs ?? d.time;

/**
 * Each delivery of each ticket: a thin line while it waits in the agent's prefetch buffer, a
 * thick one while the agent handles it, a red ring where a ticket's handling starts a second
 * time, and the crash as a vertical rule.
 */
export function workQueuePlot(deliveries: TaskDelivery[], {width = 640, agents, crashAtMs = null}: {width?: number; agents: readonly string[]; crashAtMs?: number | null}) {
  const waiting = deliveries.map((d) => ({...d, from: d.time, to: d.startedAt ?? endOf(d, crashAtMs)}));
  const handling = deliveries.filter((d) => d.startedAt !== null).map((d) => ({...d, from: d.startedAt!, to: endOf(d, crashAtMs)}));
  return Plot.plot({
    width,
    height: 300,
    x: seconds,
    y: {label: "↑ ticket", grid: true},
    color: {domain: agents, legend: true},
    marks: [
      crashAtMs === null ? null : Plot.ruleX([crashAtMs], {stroke: "var(--workbook-bad)", strokeDasharray: "4 3"}),
      crashAtMs === null ? null : Plot.text([crashAtMs], {x: (t: number) => t, frameAnchor: "top", dy: 4, dx: 4, textAnchor: "start", text: () => "crash", fill: "var(--workbook-bad)"}),
      Plot.ruleY(waiting, {y: "task", x1: "from", x2: "to", stroke: "worker", strokeOpacity: 0.5}),
      Plot.ruleY(handling, {y: "task", x1: "from", x2: "to", stroke: "worker", strokeWidth: 3, tip: true, title: (d: TaskDelivery) => `ticket ${d.task} → ${d.worker}${d.redelivered ? " (redelivered)" : ""}${d.duplicate ? ", handled twice" : ""}${d.ackedAt === null ? ", never acknowledged" : ""}`}),
      Plot.dot(deliveries.filter((d) => d.duplicate), {x: "startedAt", y: "task", r: 7, stroke: "var(--workbook-bad)", strokeWidth: 2}),
      Plot.ruleY([0])
    ]
  });
}

/** The work queue's counts in one line, from the metrics the claims quote. */
export function queueCaption(m: Observed, {tickets}: {tickets: number}): string {
  return `${m.deliveries} deliveries of ${tickets} tickets · ${m.ticketsRedelivered} redelivered · ${m.ticketsHandledTwice} handled twice (red rings) · done at ${Number(m.lastAckMs) / 1000} s`;
}

/** Where the backlog waits: ready in the queue, or delivered to an agent and not yet acknowledged. */
export function backlogPlot(depth: QueueSample[], {width = 640}: {width?: number} = {}) {
  const rows = depth.flatMap((d) => [
    {time: d.time, where: "ready in the queue", tickets: d.ready},
    {time: d.time, where: "unacknowledged at an agent", tickets: d.unacked}
  ]);
  return Plot.plot({
    width,
    height: 200,
    x: seconds,
    y: {label: "↑ tickets", grid: true},
    color: {domain: ["ready in the queue", "unacknowledged at an agent"], range: ["var(--theme-foreground-muted)", "var(--workbook-accent)"], legend: true},
    marks: [Plot.areaY(rows, {x: "time", y: "tickets", fill: "where", curve: "step-after", tip: true}), Plot.ruleY([0])]
  });
}

/**
 * What each broker published and still holds, one panel per broker in the order given (the lab
 * fixes it: Kafka, RabbitMQ, EventBridge), each labelled with its name so the text can name brokers.
 */
export function remainingPlot(rows: BrokerOutcome[], {width = 640}: {width?: number} = {}) {
  return Plot.plot({
    width,
    height: 50 + 56 * rows.length,
    marginTop: 24,
    fy: {domain: rows.map((r) => r.broker), axis: null, padding: 0.5},
    x: {label: "messages →", grid: true},
    marks: [
      Plot.barX(rows, {fy: "broker", x: "published", fill: "var(--theme-foreground-faintest)"}),
      Plot.barX(rows, {fy: "broker", x: "held", fill: "var(--workbook-accent)"}),
      Plot.text(rows, {fy: "broker", frameAnchor: "top-left", dy: -14, text: (r: BrokerOutcome) => `${r.broker}: holds ${r.held} of ${r.published} · late reader got ${r.lateRead}`, fill: "currentColor", fontWeight: 600}),
      Plot.ruleX([0])
    ]
  });
}

/** Which queues got a copy of the message. */
export function routeList(routes: RouteResult[]): HTMLElement {
  return el("ul", {class: "route-result"}, routes.map((r) => el("li", {class: r.received ? "workbook-ok" : null}, r.received ? "✓ " : "· ", el("code", {}, r.queue), r.received ? " receives a copy" : " receives nothing")));
}

/** The decision helper's reasons, strongest first, without the neutral ones. */
export function reasonList(advice: Recommendation): HTMLElement {
  const reasons = advice.reasons.filter((r) => r.weight !== 0).sort((a, b) => b.weight - a.weight);
  return el("ul", {}, reasons.map((r) => el("li", {}, el("strong", {}, r.broker), ` ${r.weight > 0 ? "+" : ""}${r.weight}: `, prose(r.reason))));
}

/** The scores as one line: "Kafka +9 · RabbitMQ -2 · EventBridge -4". */
export function scoreLine(advice: Recommendation): string {
  return Object.entries(advice.scores).map(([b, s]) => `${b} ${s > 0 ? "+" : ""}${s}`).join(" · ");
}

/** The pattern tester's verdict in one sentence. */
export function verdictLine(explanation: MatchExplanation): HTMLElement {
  return el("p", {class: explanation.matched ? "workbook-ok" : "workbook-error", "data-verdict": explanation.matched ? "match" : "no match"}, explanation.summary);
}

/** explainMatch's rows, as the lab's view shows them, as a table-friendly array. */
export function explanationRows(fields: ShownExplanation["fields"]) {
  return fields.map((f) => ({"": f.matched ? "✓" : "✗", field: f.path, condition: f.condition, "event value": f.eventValue, why: f.reason}));
}

/**
 * Records processed per member over time under one protocol (the view's `panel`-th), the join marked: under
 * eager every line drops to zero, under the others only the members that give partitions up dip.
 * The page draws one chart per protocol, each in a task of its own (live-chart.ts), where one
 * faceted plot of all three took 50 to 75 ms on the main thread at every step of a drag. The
 * panels share the y scale and the members' colours, so they read as one figure; the first
 * carries the legend.
 */
export function rebalancePanel({labels, domain, joinAt, rates, gaps, members, yMax}: RebalanceView, panel: number, {width = 640}: {width?: number} = {}) {
  const label = labels[panel];
  const mine = rates.filter((d) => d.label === label);
  return Plot.plot({
    width,
    height: 190,
    marginTop: 28,
    marginRight: 12,
    x: {label: "time (s) →", domain},
    y: {label: null, grid: true, domain: [0, yMax]},
    color: {legend: panel === 0, domain: members},
    marks: [
      Plot.text([label], {frameAnchor: "top-left", dy: -18, text: (d: string) => d, fill: "currentColor", fontWeight: 600}),
      Plot.ruleX([joinAt], {stroke: "var(--workbook-bad)", strokeDasharray: "4 3"}),
      Plot.text([joinAt], {x: (d: number) => d, frameAnchor: "top", dy: 4, dx: 4, textAnchor: "start", text: () => "join", fill: "var(--workbook-bad)"}),
      Plot.tickX(gaps.filter((g) => g.label === label), {x: "from", stroke: "var(--workbook-bad)", strokeOpacity: 0.5}),
      Plot.lineY(mine, {x: "time", y: "perSecond", stroke: "member", curve: "step-after", strokeWidth: 1.5}),
      Plot.tip(mine, Plot.pointerX({x: "time", y: "perSecond", stroke: "member", title: (d: RebalanceView["rates"][number]) => `${d.member} at ${d.time} s\n${d.perSecond} records/s`})),
      Plot.ruleY([0])
    ]
  });
}
