// The CodeMirror 6 editor of a code cell, loaded with import() when the reader comes to its cell
// (index.ts): until then the cell shows its code as a plain <pre>.
// Colours come from Framework's CSS variables (--syntax-*, --theme-*), so the editor follows the
// page between light and dark with no second theme.
import {basicSetup} from "codemirror";
import {Decoration, EditorView, keymap, type DecorationSet} from "@codemirror/view";
import {EditorState, Prec, StateEffect, StateField} from "@codemirror/state";
import {javascript, javascriptLanguage} from "@codemirror/lang-javascript";
import {defaultHighlightStyle, HighlightStyle, syntaxHighlighting} from "@codemirror/language";
import type {Completion, CompletionContext, CompletionResult} from "@codemirror/autocomplete";
import {scopeDocs, type ScopeDoc} from "./scope-docs.js";

/** CodeMirror's default highlight colours, each replaced by the page's variable for that role. */
const roleByColor: Record<string, string> = {
  "#708": "var(--syntax-keyword)",
  "#219": "var(--syntax-constant)",
  "#164": "var(--syntax-constant)",
  "#a11": "var(--syntax-string)",
  "#e40": "var(--syntax-string)",
  "#00f": "var(--syntax-variable)",
  "#30a": "var(--theme-foreground)",
  "#085": "var(--syntax-entity-tag)",
  "#167": "var(--syntax-entity)",
  "#256": "var(--syntax-constant)",
  "#00c": "var(--syntax-entity)",
  "#940": "var(--syntax-comment)",
  "#404740": "var(--syntax-comment)",
  "#f00": "var(--workbook-bad, red)"
};
const pageHighlightStyle = HighlightStyle.define(
  defaultHighlightStyle.specs.map((spec) => (typeof spec.color === "string" && spec.color in roleByColor ? {...spec, color: roleByColor[spec.color]} : spec))
);

const pageTheme = EditorView.theme({
  "&": {color: "var(--theme-foreground)", backgroundColor: "var(--theme-background-alt)", fontSize: "13px", borderRadius: "4px 4px 0 0"},
  "&.cm-focused": {outline: "1px solid var(--theme-foreground-focus)"},
  ".cm-content": {fontFamily: "var(--monospace)", caretColor: "var(--theme-foreground)"},
  ".cm-cursor, .cm-dropCursor": {borderLeftColor: "var(--theme-foreground)"},
  ".cm-gutters": {backgroundColor: "transparent", color: "var(--theme-foreground-faint)", border: "none"},
  ".cm-activeLine, .cm-activeLineGutter": {backgroundColor: "color-mix(in srgb, var(--theme-foreground) 5%, transparent)"},
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection": {
    backgroundColor: "color-mix(in srgb, var(--theme-foreground-focus) 25%, transparent)"
  },
  ".cm-tooltip": {backgroundColor: "var(--theme-background)", color: "var(--theme-foreground)", border: "1px solid var(--theme-foreground-faint)"},
  ".cm-tooltip-autocomplete > ul > li[aria-selected]": {backgroundColor: "var(--theme-foreground-focus)", color: "var(--theme-background)"},
  ".cm-completionInfo": {maxWidth: "320px"},
  ".cm-error-line": {backgroundColor: "color-mix(in srgb, var(--workbook-bad, red) 14%, transparent)"}
});

const toCompletion = ({name, kind, detail, info}: ScopeDoc): Completion => ({label: name, type: kind, detail, info});
const topLevel = scopeDocs.map(toCompletion);
const membersOf = new Map(scopeDocs.filter((d) => d.members).map((d) => [d.name, d.members!.map(toCompletion)]));

/** Completes the scope's names, and `sim.` members, alongside the language's own completions. */
function scopeCompletions(context: CompletionContext): CompletionResult | null {
  const member = context.matchBefore(/[A-Za-z_$][\w$]*\.[\w$]*/);
  if (member) {
    const [object] = member.text.split(".");
    const options = membersOf.get(object);
    return options ? {from: member.from + object.length + 1, options, validFor: /^[\w$]*$/} : null;
  }
  const word = context.matchBefore(/[A-Za-z_$][\w$]*/);
  if (!word && !context.explicit) return null;
  return {from: word?.from ?? context.pos, options: topLevel, validFor: /^[\w$]*$/};
}

export interface EditorOptions {
  parent: HTMLElement;
  doc: string;
  onRun: () => void;
  onChange: (code: string) => void;
  label: string;
}

export function createEditor({parent, doc, onRun, onChange, label}: EditorOptions): EditorView {
  const run = () => (onRun(), true);
  return new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        basicSetup,
        javascript({typescript: true}),
        javascriptLanguage.data.of({autocomplete: scopeCompletions}),
        syntaxHighlighting(pageHighlightStyle),
        pageTheme,
        errorLineField,
        Prec.highest(keymap.of([{key: "Shift-Enter", run}, {key: "Mod-s", run, preventDefault: true}, {key: "Mod-Enter", run}])),
        // Long lines wrap rather than scroll: a scroller a keyboard user cannot reach fails WCAG 2.1.1 (axe scrollable-region-focusable).
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({"aria-label": label}),
        EditorView.updateListener.of((update) => update.docChanged && onChange(update.state.doc.toString()))
      ]
    })
  });
}

const setErrorLine = StateEffect.define<number | null>();
const errorLineMark = Decoration.line({class: "cm-error-line"});
const errorLineField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, transaction) {
    if (transaction.docChanged) return Decoration.none; // the error is stale once the code changes
    for (const effect of transaction.effects) {
      if (!effect.is(setErrorLine)) continue;
      const line = effect.value;
      if (line === null || line < 1 || line > transaction.state.doc.lines) return Decoration.none;
      return Decoration.set([errorLineMark.range(transaction.state.doc.line(line).from)]);
    }
    return marks;
  },
  provide: (field) => EditorView.decorations.from(field)
});

/** Highlights the line (1-based) an error points at; null clears it. */
export function showErrorLine(view: EditorView, line: number | null): void {
  view.dispatch({effects: setErrorLine.of(line)});
}

/** Focuses the editor, with the caret where the reader pressed on the plain code (if anywhere). */
export function focusAt(view: EditorView, point?: {x: number; y: number}): void {
  view.focus();
  const pos = point ? view.posAtCoords(point) : null;
  if (pos !== null) view.dispatch({selection: {anchor: pos}});
}
