// The 11.2 classifier: the reader sorts messages into domain event, integration event or
// command, and gets the reason at once. The element's value is the score, so a page can react.
// A card shows what a consumer would see of the message (its name, its source, its body) and
// nothing that names the answer: the kind is read from the name and the payload.
import {el} from "../../ui/dom.js";

export type MessageKind = "domain event" | "integration event" | "command";

export interface ClassifiedMessage {
  name: string;
  from: string;
  payload: object;
  kind: MessageKind;
  explanation: string;
}

export const messageKinds: MessageKind[] = ["domain event", "integration event", "command"];

export function classifier(messages: ClassifiedMessage[]): HTMLElement & {value: {answered: number; correct: number}} {
  const answers = new Map<string, MessageKind>();
  const score = el("p", {class: "classifier-score"});
  const root = Object.assign(el("div", {class: "classifier"}, score, messages.map((m) => card(m))), {value: {answered: 0, correct: 0}});
  const update = () => {
    const correct = messages.filter((m) => answers.get(m.name) === m.kind).length;
    root.value = {answered: answers.size, correct};
    score.textContent = `${answers.size} of ${messages.length} sorted · ${correct} right`;
  };

  function card(m: ClassifiedMessage): HTMLElement {
    const feedback = el("p", {class: "classifier-feedback", "aria-live": "polite"});
    const buttons = messageKinds.map((kind) => {
      const b = el("button", {type: "button"}, kind);
      b.onclick = () => {
        answers.set(m.name, kind);
        const right = kind === m.kind;
        for (const other of buttons) other.classList.toggle("chosen", other === b);
        feedback.className = `classifier-feedback ${right ? "workbook-ok" : "classifier-wrong"}`;
        feedback.textContent = `${right ? "Right" : `Not quite: it is a ${m.kind}`}. ${m.explanation}`;
        update();
        root.dispatchEvent(new Event("input", {bubbles: true}));
      };
      return b;
    });
    return el("div", {class: "card classifier-card", "data-message": m.name},
      el("h3", {}, el("code", {}, m.name)),
      el("p", {class: "classifier-route"}, `from ${m.from}`),
      el("pre", {}, JSON.stringify(m.payload, null, 2)),
      el("div", {class: "classifier-choices"}, buttons),
      feedback
    );
  }

  update();
  return root;
}
