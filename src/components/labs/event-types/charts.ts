// Chart for the disguised-command experiment (11.2): registrations completed and failed per
// five seconds, for the honest event and for the disguised command.
import * as Plot from "@observablehq/plot";
import type {Registration} from "./disguise.js";
import type {FlowEdge, FlowMessage, FlowNode} from "../../ui/flow.js";

export function registrationsPlot(registrations: Registration[], {width = 640}: {width?: number} = {}) {
  const rows = registrations.map((r) => ({...r, bucket: 5 * Math.floor(r.end / 5000), outcome: r.completed ? "completed" : "failed (no reply)"}));
  return Plot.plot({
    width,
    height: 260,
    x: {label: "time (s) →"},
    y: {label: "↑ registrations per 5 s", grid: true},
    fy: {axis: null},
    marginTop: 30,
    color: {domain: ["completed", "failed (no reply)"], range: ["var(--workbook-good)", "var(--workbook-bad)"], legend: true},
    marks: [
      Plot.rectY(rows, Plot.groupX({y: "count"}, {x: "bucket", fill: "outcome", fy: "design", interval: 5, tip: true})),
      Plot.text([...new Set(rows.map((r) => r.design))], {fy: (d: string) => d, text: (d: string) => d, frameAnchor: "top-left", dy: -18, fontWeight: "bold"}),
      Plot.ruleY([0])
    ]
  });
}

/**
 * The flow diagram's input for the first registrations: the honest event goes Accounts → topic
 * → mailer; the disguised command also needs mailer-v2's reply to come back before Accounts
 * is done, and a registration whose reply never comes ends in a cross.
 */
export function registrationFlow(registrations: Registration[], {limit = 24}: {limit?: number} = {}): {nodes: FlowNode[]; edges: FlowEdge[]; messages: FlowMessage[]} {
  const nodes: FlowNode[] = [
    {id: "accounts", label: "accounts service", column: "producer"},
    {id: "events", label: "UserRegistered", column: "broker", note: "event: nobody named"},
    {id: "requests", label: "WelcomeEmailRequested", column: "broker", note: 'names "mailer-v2"'},
    {id: "mailer", label: "email service", column: "consumer"},
    {id: "replies", label: "reply topic", column: "broker", note: "Accounts waits here"}
  ];
  const edges: FlowEdge[] = [
    {from: "accounts", to: "events"},
    {from: "accounts", to: "requests"},
    {from: "events", to: "mailer"},
    {from: "requests", to: "mailer"},
    {from: "mailer", to: "replies"}
  ];
  const messages: FlowMessage[] = registrations
    .filter((r) => r.id < limit)
    .map((r) => {
      const honest = r.design.startsWith("UserRegistered");
      const key = honest ? "event" : "disguised command";
      const hops = [{node: "accounts", time: r.start}, {node: honest ? "events" : "requests", time: r.start + 40}];
      if (r.emailSent) hops.push({node: "mailer", time: r.start + 120});
      if (!honest && r.completed) hops.push({node: "replies", time: r.end});
      return {id: `${key}-${r.id}`, key, hops, failed: !honest && !r.completed};
    });
  return {nodes, edges, messages};
}
