// The schema editor of 11.5: one textarea per version (v1, v2, v3), each with a live status line
// (valid, or the JSON position / Avro reason of the error), and the lesson of the example in use.
// The example is the `example` field of the evolution experiment's form: when the form changes it,
// the editor loads that example's versions, and the reader's edits stand until the next change.
// A Framework view: its value is the versions' texts, announced with an "input" event.
import {el, prose} from "../../ui/dom.js";
import {parseVersions, versionStatus} from "./model.js";
import {versionTexts, type SchemaFiles} from "./files.js";

export type SchemaEditor = HTMLElement & {value: string[]};

/** What the original versions teach; an example's lesson comes from data/schemas/examples.json. */
const ORIGINAL_LESSON = "The original versions: v2 adds `deliveryType` with a default, v3 drops that default.";

export function lessonOf(files: SchemaFiles, example: string): string {
  const change = files.examples.find((e) => e.id === example);
  return change ? `**${change.label}**: ${change.lesson}` : ORIGINAL_LESSON;
}

export function schemaEditor(files: SchemaFiles, {input}: {input: HTMLElement & {value: {example: string}}}): SchemaEditor {
  const areas = files.versions.map((v) => el("textarea", {"aria-label": `Schema ${v.name}`, spellcheck: "false", rows: 16, "data-version": v.name}));
  const statuses = files.versions.map(() => el("p", {class: "schema-status", "aria-live": "polite"}));
  const lesson = el("p", {class: "schema-lesson", "aria-live": "polite"});
  const root = el("div", {class: "schema-editor"},
    lesson,
    el("div", {class: "schema-versions"}, files.versions.map((v, i) => el("label", {class: "schema-version"}, el("strong", {}, v.name), areas[i], statuses[i])))
  ) as unknown as SchemaEditor;

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
  let loaded: string | undefined;
  const load = () => {
    const {example} = input.value;
    if (example === loaded) return false;
    loaded = example;
    versionTexts(files, example).forEach((text, i) => (areas[i].value = text));
    lesson.replaceChildren(prose(lessonOf(files, example)));
    refresh();
    return true;
  };
  const announce = () => root.dispatchEvent(new Event("input", {bubbles: true}));
  for (const area of areas) area.addEventListener("input", () => (refresh(), announce()));
  input.addEventListener("input", () => load() && announce());
  load();
  return root;
}
