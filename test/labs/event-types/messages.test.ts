// The classifier's messages (data/event-types.json): a card shows a message's name, source and
// body, and its caption must not give the answer away (issue 14).
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import type {ClassifiedMessage} from "../../../src/components/labs/event-types/classifier.js";

const messages: ClassifiedMessage[] = JSON.parse(readFileSync("data/event-types.json", "utf8"));

describe("the classifier's messages", () => {
  it("hold every kind", () => {
    expect(new Set(messages.map((m) => m.kind))).toEqual(new Set(["domain event", "integration event", "command"]));
  });

  it("are captioned by their source alone: no receiver, no audience, nothing that differs by kind", () => {
    for (const m of messages) expect(m.from, m.name).toMatch(/^[A-Z][a-z]+ context$/);
    expect(messages.some((m) => "to" in m)).toBe(false);
  });
});
