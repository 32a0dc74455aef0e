// The 11.2 classifier: the reader sorts messages into domain event, integration event or
// command, and gets the reason at once. The element's value is the score, so a page can react.
import {html} from "htl";

export type MessageKind = "domain event" | "integration event" | "command";

export interface ClassifiedMessage {
  name: string;
  from: string;
  to?: string;
  payload: object;
  kind: MessageKind;
  explanation: string;
}

export const messageKinds: MessageKind[] = ["domain event", "integration event", "command"];

export function classifier(messages: ClassifiedMessage[]): HTMLElement & {value: {answered: number; correct: number}} {
  const answers = new Map<string, MessageKind>();
  const score = html`<p class="classifier-score"></p>` as HTMLElement;
  const root = html`<div class="classifier">${score}${messages.map((m) => card(m))}</div>` as HTMLElement & {value: {answered: number; correct: number}};
  const update = () => {
    const correct = messages.filter((m) => answers.get(m.name) === m.kind).length;
    root.value = {answered: answers.size, correct};
    score.textContent = `${answers.size} of ${messages.length} sorted · ${correct} right`;
  };

  function card(m: ClassifiedMessage): HTMLElement {
    const feedback = html`<p class="classifier-feedback" aria-live="polite"></p>` as HTMLElement;
    const buttons = messageKinds.map((kind) => {
      const b = html`<button type="button">${kind}</button>` as HTMLButtonElement;
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
    return html`<div class="card classifier-card" data-message=${m.name}>
      <h3><code>${m.name}</code></h3>
      <p class="classifier-route">from ${m.from}${m.to ? html` · <strong>to ${m.to}</strong>` : ""}</p>
      <pre>${JSON.stringify(m.payload, null, 2)}</pre>
      <div class="classifier-choices">${buttons}</div>
      ${feedback}
    </div>` as HTMLElement;
  }

  update();
  return root;
}
