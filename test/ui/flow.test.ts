import {describe, expect, it} from "vitest";
import {layout, wrap, type FlowNode} from "../../src/components/ui/flow.js";

// A monospaced stand-in for the browser's text metrics: 5 px a character, about 9.5 px sans-serif.
const measure = (text: string) => 5 * text.length;

describe("a flow node's label broken into lines", () => {
  it("stays on one line when it fits", () => {
    expect(wrap("event bus", 60, measure)).toEqual(["event bus"]);
  });

  it("breaks after a space or hyphen, keeping the hyphen, and between camelCase words", () => {
    expect(wrap("shop services", 60, measure)).toEqual(["shop", "services"]);
    expect(wrap("fraud-checks-handler", 80, measure)).toEqual(["fraud-checks-", "handler"]);
    expect(wrap("WelcomeEmailRequested", 80, measure)).toEqual(["WelcomeEmail", "Requested"]);
  });

  it("breaks at spaces rather than inside a word when that takes no more lines", () => {
    expect(wrap('names "mailer-v2"', 75, measure)).toEqual(["names", '"mailer-v2"']);
    expect(wrap("agent-3 (crashes)", 75, measure)).toEqual(["agent-3", "(crashes)"]);
    expect(wrap("a payments-service", 60, measure)).toEqual(["a payments-", "service"]);
  });

  it("breaks a word wider than a line between letters, and loses no character", () => {
    const lines = wrap("analytics-warehouse", 30, measure);
    expect(lines.every((line) => measure(line) <= 30)).toBe(true);
    expect(lines.join("")).toBe("analytics-warehouse");
  });
});

describe("a flow diagram's layout", () => {
  const bus: FlowNode[] = [
    {id: "shop", label: "shop services", column: "producer"},
    {id: "bus", label: "event bus", column: "broker", note: "keeps nothing"},
    ...["fraud-checks", "eu-shipping", "refund-desk"].flatMap((r): FlowNode[] => [
      {id: `rule:${r}`, label: r, column: "route"},
      {id: `target:${r}`, label: `${r}-handler`, column: "consumer"}
    ])
  ];
  const inside = (p: {w: number; h: number; label: string[]; note: string[]}) => [...p.label, ...p.note].every((line) => measure(line) <= p.w - 8) && 12 * (p.label.length + p.note.length) <= p.h;

  it("wide: the stages stand left to right, each label on one line in a 30 px box", () => {
    const {position, height} = layout(bus, 640, {label: measure, note: measure});
    expect(height).toBe(172);
    expect(position.get("shop")).toEqual({x: 80, y: 86, w: 144, h: 30, label: ["shop services"], note: []});
    expect(position.get("target:fraud-checks")).toMatchObject({x: 560, label: ["fraud-checks-handler"]});
    expect([...position.values()].every(inside)).toBe(true);
  });

  it("narrow: four stages across would break labels into three lines, so they stand top to bottom", () => {
    const {position, height} = layout(bus, 292, {label: measure, note: measure});
    expect(height).toBe(4 * 60);
    expect(new Set(["shop", "bus", "rule:eu-shipping", "target:eu-shipping"].map((id) => position.get(id)!.x))).toEqual(new Set([146]));
    expect(["shop", "bus", "rule:fraud-checks", "target:fraud-checks"].map((id) => position.get(id)!.y)).toEqual([30, 90, 150, 210]);
    expect(position.get("target:fraud-checks")!.label).toEqual(["fraud-checks-", "handler"]);
    expect([...position.values()].every(inside)).toBe(true);
  });

  it("keeps the columns when turning them into rows breaks the text no less", () => {
    const nodes: FlowNode[] = [
      {id: "a", label: "accounts service", column: "producer"},
      ...["UserRegistered", "WelcomeEmailRequested", "reply topic"].map((label): FlowNode => ({id: label, label, column: "broker", note: "names a consumer"})),
      {id: "b", label: "email service", column: "consumer"}
    ];
    const {position, height} = layout(nodes, 292, {label: measure, note: measure});
    expect(position.get("a")!.y).toBe(height / 2);
    expect(position.get("WelcomeEmailRequested")!.x).toBe(146);
    expect([...position.values()].every(inside)).toBe(true);
    // Only the boxes whose text takes more than two lines grow.
    expect(position.get("a")!.h).toBe(30);
    expect(position.get("WelcomeEmailRequested")!.h).toBe(54);
  });
});
