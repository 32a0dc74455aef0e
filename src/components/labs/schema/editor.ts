// The schema editor of 11.5: one textarea per version (v1, v2, v3), each with a live status line
// (valid, or the JSON position / Avro reason of the error), and one-click examples that load v1
// and a v2 making one kind of change. A Framework view: its value is the versions' texts, and it
// announces every edit with an "input" event.
import type {SchemaExample, SchemaFile} from "./model.js";
import {parseVersions, versionStatus} from "./model.js";

export type SchemaEditor = HTMLElement & {value: string[]};

type Child = Node | string | null | undefined;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

/** Text with `backtick` spans as <code> (never parsed as HTML). */
export function withCode(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  text.split("`").forEach((part, i) => fragment.append(i % 2 ? el("code", {}, part) : part));
  return fragment;
}

export interface SchemaEditorOptions {
  versions: readonly SchemaFile[];
  examples: readonly SchemaExample[];
}

export function schemaEditor({versions, examples}: SchemaEditorOptions): SchemaEditor {
  const areas = versions.map((v) =>
    Object.assign(el("textarea", {"aria-label": `Schema ${v.name}`, spellcheck: "false", rows: "16", "data-version": v.name}), {value: v.text})
  );
  const statuses = versions.map(() => el("p", {class: "schema-status", "aria-live": "polite"}));
  const lesson = el("p", {class: "schema-lesson", "aria-live": "polite"});
  const root = el("div", {class: "schema-editor"}) as unknown as SchemaEditor;

  const refresh = () => {
    const texts = areas.map((a) => a.value);
    parseVersions(texts).forEach((version, i) => {
      const {ok, message} = versionStatus(version);
      statuses[i].textContent = `${ok ? "✓" : "✗"} ${message}`;
      statuses[i].className = `schema-status ${ok ? "workbook-ok" : "workbook-error"}`;
      areas[i].setAttribute("aria-invalid", String(!ok));
    });
    root.value = texts;
  };
  const announce = () => {
    refresh();
    root.dispatchEvent(new Event("input", {bubbles: true}));
  };
  const load = (texts: string[], text: string) => {
    texts.forEach((t, i) => (areas[i].value = t));
    lesson.replaceChildren(withCode(text));
    announce();
  };

  const original = el("button", {type: "button", class: "schema-example"}, "Original v1 → v2 → v3");
  original.addEventListener("click", () => load(versions.map((v) => v.text), "The original versions: v2 adds `deliveryType` with a default, v3 drops that default."));
  const buttons = examples.map((example) => {
    const button = el("button", {type: "button", class: "schema-example", "data-example": example.id}, example.label);
    button.addEventListener("click", () => load([versions[0].text, example.text, ...versions.slice(2).map(() => "")], `${example.label}: ${example.lesson}`));
    return button;
  });
  for (const area of areas) area.addEventListener("input", announce);

  root.append(
    el("div", {class: "schema-examples", role: "group", "aria-label": "Load an example"}, el("span", {}, "Load an example:"), original, ...buttons),
    lesson,
    el(
      "div",
      {class: "schema-versions"},
      ...versions.map((v, i) => el("label", {class: "schema-version"}, el("strong", {}, v.name), areas[i], statuses[i]))
    )
  );
  refresh();
  return root;
}
