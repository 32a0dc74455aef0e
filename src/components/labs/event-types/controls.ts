// A text input holding JSON, as a control for an object parameter (the translator's domain
// event), so that the experiment's form holds the object and a claim's "Try it" can set it. The
// value is the parsed JSON, or the text as typed while it does not parse (the experiment then
// says why).
import {el} from "../../ui/dom.js";

export function jsonInput(text: HTMLElement & {value: string}): HTMLElement & {value: unknown} {
  const node: HTMLElement = el("div", {class: "json-input"}, text);
  return Object.defineProperty(node as HTMLElement & {value: unknown}, "value", {
    get() {
      try {
        return JSON.parse(text.value);
      } catch {
        return text.value;
      }
    },
    set(v: unknown) {
      text.value = typeof v === "string" ? v : JSON.stringify(v, null, 2);
    }
  });
}
