// Editable, runnable TypeScript experiments for the workbook's pages.
//
//   ```js
//   import {codeCell, renderResult} from "./components/cells/index.js";
//   ```
//   ```js
//   const result = view(codeCell({
//     id: "consumer-lag",                 // unique on the page: keys localStorage and share links
//     code: `const client = new EventBridgeClient({sim});
//   await client.send(new PutRuleCommand({Name: "r", EventPattern: JSON.stringify({source: ["shop"]})}));
//   sim.trace.events`,                    // the last expression is the result (or `return` one)
//     timeout: 2000,                      // ms before the worker is terminated (shown to the reader)
//     parameters: {seed: 42}              // `params` in the code; `params.seed` seeds `sim`
//   }));
//   ```
//   ```js
//   display(renderResult(result, {width})); // a table for arrays of records, JSON otherwise
//   Plot.lineY(result.value ?? [], {x: "time", y: "lag"}).plot({width}) // or draw it yourself
//   ```
//
// codeCell returns an element (a Framework view): its `value` is an ExperimentResult
// {status: "idle" | "ok" | "error" | "timeout", logs, value, error, durationMs}, replaced and
// announced with an "input" event each time a run ends. Run (or Shift-Enter, Mod-S, Mod-Enter)
// starts a run only when none is going; Stop ends one at once. The cell runs its code once by
// itself when its editor has loaded (autorun, default true, and only if it has not run yet), except:
// - on a page opened from a share link, nothing runs until the reader presses Run somewhere;
// - code that came from a share link (in this visit, or saved in this browser after an edit of
//   shared code) never runs until the reader presses Run on that cell in this visit.
// sharedExperiment() gives the link's {id, code, parameters}, to set a page's inputs from it.
// The code runs in a sandboxed frame's worker (runner.ts) with the scope of scope.ts plus `sim`
// and `params`.
// The editor (CodeMirror, about 550 KB) and the first run's worker (about 550 KB) wait for the
// reader (issue 15 §2: at most 600 KB of script before the reader interacts): a cell's editor
// loads when the cell comes near the viewport once the reader has scrolled or otherwise used the
// page, or at once when the reader points at, focuses, clicks or runs the cell. Until then its
// code shows as a plain, focusable <pre> of the same size, and Run runs the code as shown.
import * as Inputs from "@observablehq/inputs";
import {formatError, formatStatus, idleResult, isRecordArray} from "./outcome.js";
import type {ExperimentResult, LogLine} from "./protocol.js";
import {startRun, type Run} from "./runner.js";
import {decodeShare, encodeShare, type Parameters, type SharedExperiment} from "./share.js";
import {forget, onReader, whenNear} from "../ui/near.js";
import type {EditorView} from "@codemirror/view";
import type {GradeRequest} from "../exercises/models.js";

export type {ExperimentResult, ExperimentError, LogLine} from "./protocol.js";
export {formatSeed, parseSeed} from "./share.js";

export interface CodeCellOptions {
  /** Unique on the page; letters, digits, "-" and "_". */
  id: string;
  /** The original code (TypeScript). */
  code: string;
  /** Most wall-clock ms a run may take (default 2000). */
  timeout?: number;
  /** JSON values the code reads as `params`; `params.seed` seeds `sim`. Shared with the code. */
  parameters?: Parameters;
  /** Run once when the editor has loaded (default true; never for code from a share link). */
  autorun?: boolean;
  /** Accessible name of the editor (default "Code of experiment <id>"). */
  label?: string;
  /** An exercise's cell: its Run grades the code's value (exercise.ts), and is labelled `runLabel`. */
  grade?: GradeRequest;
  /** The Run button's text (default "▶ Run"). */
  runLabel?: string;
}

/** `code`: what the editor holds now (the reader's draft). */
export type CodeCell = HTMLElement & {value: ExperimentResult; readonly code: string};

export class CodeCellOptionError extends TypeError {
  override name = "CodeCellOptionError";
}

const STORAGE_PREFIX = "eda-workbook:cell:";
const storageKey = (id: string) => `${STORAGE_PREFIX}${location.pathname}:${id}`;
/** Beside a saved edit: the edited code came from a share link, so it must not run by itself. */
const FROM_LINK = ":from-link";

/** Whether this page was opened from a share link: if so, no cell runs until asked. */
const sharedHash = /(^#|&)cell=/.test(location.hash) && /(^#|&)code=/.test(location.hash);
let sharedExperimentPromise: Promise<SharedExperiment | null> | undefined;

/**
 * This page load's state across cell instances: Framework re-creates a cell when an input it
 * reads changes (a seed slider), and the new instance must keep the reader's code.
 */
const session = {
  /** The reader has pressed Run somewhere: from then on, a shared page's own cells may autorun. */
  readerRan: false,
  /** The share link's code went into its cell (once per page load). */
  shareApplied: false,
  /** The cell whose code came from the share link, until its Reset. */
  sharedCell: null as string | null,
  /** Code of each cell id as last edited or shared on this page. */
  code: new Map<string, string>(),
  /** Cells whose code came from a share link (this visit's, or a saved edit of shared code). */
  fromLink: new Set<string>(),
  /** Cells the reader ran by pressing Run in this visit: their code from a link may run again. */
  approved: new Set<string>(),
  /** The run going on in each cell id, whichever instance started it. */
  running: new Map<string, Run>()
};
const waitingForReader = () => sharedHash && !session.readerRan;
const untrusted = (id: string) => session.fromLink.has(id) && !session.approved.has(id);
const SHARED_NOTICE = "Opened from a shared link: this code may differ from the page's. Reset restores the page's original.";

/** The experiment the page's share link carries (null if none). Rejects with ShareLinkError when the link is damaged. */
export function sharedExperiment(): Promise<SharedExperiment | null> {
  return (sharedExperimentPromise ??= sharedHash ? decodeShare(location.hash) : Promise.resolve(null));
}

function readStored(id: string): {code: string; fromLink: boolean} | null {
  try {
    const code = localStorage.getItem(storageKey(id));
    return code === null ? null : {code, fromLink: localStorage.getItem(storageKey(id) + FROM_LINK) !== null};
  } catch {
    return null; // storage disabled (private mode, sandboxed frame): edits just do not persist
  }
}

function writeStored(id: string, code: string | null, fromLink = false): void {
  try {
    if (code === null) localStorage.removeItem(storageKey(id));
    else localStorage.setItem(storageKey(id), code);
    if (code !== null && fromLink) localStorage.setItem(storageKey(id) + FROM_LINK, "1");
    else localStorage.removeItem(storageKey(id) + FROM_LINK);
  } catch {
    // as above
  }
}

function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> & {className?: string} = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const element = Object.assign(document.createElement(tag), props);
  element.append(...children);
  return element;
}

const formatParameters = (parameters: Parameters) =>
  Object.entries(parameters)
    .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
    .join(", ");

const logLine = ({level, text}: LogLine) => h("div", {className: `code-cell-log-${level}`}, text);

export function codeCell({id, code: original, timeout = 2000, parameters: pageParameters = {}, autorun = true, label, grade, runLabel = "▶ Run"}: CodeCellOptions): CodeCell {
  if (typeof id !== "string" || !/^[\w-]+$/.test(id)) throw new CodeCellOptionError(`codeCell id must be letters, digits, "-" or "_", got ${JSON.stringify(id)}`);
  if (typeof original !== "string") throw new CodeCellOptionError(`codeCell code must be a string, got ${typeof original}`);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new CodeCellOptionError(`codeCell timeout must be a positive number of ms, got ${timeout}`);
  injectStyle();
  session.running.get(id)?.stop(); // a previous instance of this cell (Framework re-created it) ends its run

  const stored = readStored(id);
  if (stored?.fromLink && !session.code.has(id)) session.fromLink.add(id);
  let code = session.code.get(id) ?? stored?.code ?? original;
  let parameters = pageParameters;
  let view: EditorView | undefined;
  let editorModule: typeof import("./editor.js") | undefined;
  let current: Run | null = null;
  let ran = false;

  const notice = h("div", {className: "code-cell-notice", hidden: true});
  const placeholder = h("pre", {className: "code-cell-placeholder", tabIndex: 0, ariaLabel: label ?? `Code of experiment ${id}`}, code);
  const editorHost = h("div", {className: "code-cell-editor"}, placeholder);
  const runButton = h("button", {type: "button", className: "code-cell-run", title: `${runLabel.replace(/^\W+/, "")} (Shift-Enter)`}, runLabel);
  const stopButton = h("button", {type: "button", className: "code-cell-stop", title: "End the run now", disabled: true}, "■ Stop");
  const resetButton = h("button", {type: "button", className: "code-cell-reset", title: "Restore the page's original code"}, "Reset");
  const shareButton = h("button", {type: "button", className: "code-cell-share", title: "Put this code in a link"}, "Share");
  const limit = h("span", {className: "code-cell-limit"}, `time limit ${timeout / 1000} s`);
  const params = h("span", {className: "code-cell-params"});
  const status = h("span", {className: "code-cell-status", role: "status"});
  const shareLink = h("input", {className: "code-cell-link", readOnly: true, hidden: true, ariaLabel: "Share link"});
  const logs = h("pre", {className: "code-cell-logs", hidden: true});
  const cut = h("ul", {className: "code-cell-cut", hidden: true});
  const error = h("div", {className: "code-cell-error workbook-error", hidden: true});
  const root = h(
    "div",
    {className: "code-cell"},
    notice,
    editorHost,
    h("div", {className: "code-cell-bar"}, runButton, stopButton, resetButton, shareButton, limit, params, status),
    shareLink,
    logs,
    cut,
    error
  ) as unknown as CodeCell;
  root.dataset.cellId = id;
  root.value = idleResult;
  Object.defineProperty(root, "code", {get: () => code});

  const showNotice = (text: string) => {
    notice.textContent = text;
    notice.hidden = !text;
  };
  const showParameters = () => {
    params.textContent = Object.keys(parameters).length ? `params: ${formatParameters(parameters)}` : "";
  };
  /** Console lines as they arrive: appended, never redrawn (the inbox caps how many). */
  const appendLogs = (lines: LogLine[]) => {
    logs.hidden = false;
    logs.append(...lines.map(logLine));
  };
  const show = (result: ExperimentResult) => {
    status.textContent = formatStatus(result, {shared: waitingForReader() || untrusted(id), grading: grade !== undefined});
    status.dataset.status = result.status;
    logs.replaceChildren(...result.logs.map(logLine));
    logs.hidden = result.logs.length === 0;
    cut.replaceChildren(...(result.cut ?? []).map((text) => h("li", {}, text)));
    cut.hidden = !result.cut?.length;
    error.hidden = !result.error;
    error.textContent = result.error ? formatError(result.error) : "";
    if (view && editorModule) editorModule.showErrorLine(view, result.error?.location?.line ?? null);
  };
  const setCode = (next: string) => {
    code = next;
    if (view) view.dispatch({changes: {from: 0, to: view.state.doc.length, insert: next}});
    else placeholder.textContent = next;
  };

  async function run({byReader}: {byReader: boolean}) {
    if (current) return; // one run at a time: Stop ends it first
    if (byReader) activate();
    if (byReader) {
      session.readerRan = true;
      session.approved.add(id);
    } else if (untrusted(id) || waitingForReader()) return;
    session.running.get(id)?.stop();
    ran = true;
    const started = startRun(code, {timeout, parameters, grade, onLog: appendLogs});
    current = started;
    session.running.set(id, started);
    runButton.disabled = true;
    stopButton.disabled = false;
    status.textContent = formatStatus({...idleResult, status: "running"}, {grading: grade !== undefined});
    status.dataset.status = "running";
    logs.replaceChildren();
    logs.hidden = true;
    const result = await started.result;
    current = null;
    if (session.running.get(id) === started) session.running.delete(id);
    runButton.disabled = false;
    stopButton.disabled = true;
    root.value = result;
    show(result);
    root.dispatchEvent(new Event("input", {bubbles: true}));
  }

  runButton.addEventListener("click", () => void run({byReader: true}));
  stopButton.addEventListener("click", () => current?.stop());
  resetButton.addEventListener("click", () => {
    setCode(original);
    writeStored(id, null);
    session.code.delete(id);
    session.fromLink.delete(id);
    parameters = pageParameters;
    showParameters();
    shareLink.hidden = true;
    if (session.sharedCell === id) {
      session.sharedCell = null;
      history.replaceState(history.state, "", location.pathname + location.search);
    }
    showNotice("");
    if (!current) show(idleResult);
  });
  shareButton.addEventListener("click", async () => {
    let hash: string;
    try {
      hash = await encodeShare({id, code, parameters});
    } catch (shareError) {
      status.textContent = (shareError as Error).message;
      return;
    }
    const url = new URL(location.href);
    url.hash = hash;
    shareLink.value = url.href;
    shareLink.hidden = false;
    shareLink.select();
    try {
      await navigator.clipboard.writeText(url.href);
      status.textContent = "Link copied: it carries the code and its parameters.";
    } catch {
      status.textContent = "Copy this link: it carries the code and its parameters.";
    }
  });

  showParameters();
  if (session.sharedCell === id) showNotice(SHARED_NOTICE);
  else if (untrusted(id)) showNotice("Your edit of code from a shared link, saved in this browser: it has not run. Press Run to run it; Reset restores the page's original.");
  else if (code !== original) showNotice("Your edited version, saved in this browser. Reset restores the original.");
  show(idleResult);

  // Shared link first (it decides whether anything may run), then the editor when the reader comes.
  // The link's parameters go to the first instance only; a page that wants its inputs to match
  // reads them with sharedExperiment() (as the playground's seed control does).
  const ready = sharedExperiment().then(
    (experiment) => {
      if (experiment?.id !== id || session.shareApplied) return;
      session.shareApplied = true;
      session.sharedCell = id;
      session.fromLink.add(id);
      session.code.set(id, experiment.code);
      setCode(experiment.code);
      parameters = experiment.parameters;
      showParameters();
      showNotice(`${SHARED_NOTICE} Nothing has run: press Run to run it.`);
      show(idleResult);
      requestAnimationFrame(() => root.scrollIntoView({block: "center"}));
    },
    (linkError: Error) => {
      if (new URLSearchParams(location.hash.slice(1, 1000)).get("cell") === id) showNotice(`This share link could not be read (${linkError.message}); showing the page's code.`);
    }
  );
  /** Where the reader pressed on the plain code, to put the caret there once the editor is in. */
  let pressedAt: {x: number; y: number} | undefined;
  async function loadEditor() {
    await ready;
    editorModule = await import("./editor.js");
    view = editorModule.createEditor({
      parent: editorHost,
      doc: code,
      label: label ?? `Code of experiment ${id}`,
      onRun: () => void run({byReader: true}),
      onChange: (next) => {
        code = next;
        session.code.set(id, next);
        writeStored(id, next === original ? null : next, session.fromLink.has(id));
      }
    });
    const focused = document.activeElement === placeholder;
    placeholder.remove();
    root.classList.add("code-cell-ready");
    if (focused) editorModule.focusAt(view, pressedAt);
    if (autorun && !ran) void run({byReader: false});
  }
  let activated = false;
  function activate() {
    if (activated) return;
    activated = true;
    forget(root);
    onReader(); // the reader came to this cell: the page is in use, so cells near it load too (a re-created cell at once)
    void loadEditor().catch((loadError) => console.warn("code cell:", loadError)); // the <pre> stays, Run still works
  }
  placeholder.addEventListener("pointerdown", (event) => (pressedAt = {x: event.clientX, y: event.clientY}));
  for (const type of ["pointerenter", "pointerdown", "focus"]) placeholder.addEventListener(type, activate, {once: true});
  // The editor's run keys work on the plain code too (the status line names Shift-Enter).
  placeholder.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !(event.shiftKey || event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    void run({byReader: true});
  });
  whenNear(root, activate);
  return root;
}

/**
 * A section whose code waits for the reader, as a cell's editor does: a placeholder (with `id`, so
 * links to it work) that becomes what `load` makes once the reader comes near it or points at it.
 * Keeps code only that section needs (an exercise's grader view) off the page's first load.
 */
export function nearReader(load: () => Promise<Node>, {id, label}: {id: string; label: string}): HTMLElement {
  const placeholder = h("section", {id, className: "code-cell-deferred", ariaLabel: label, tabIndex: 0}, h("p", {className: "code-cell-empty"}, `${label}: loading…`));
  let started = false;
  const activate = () => {
    if (started) return;
    started = true;
    forget(placeholder);
    load().then(
      (node) => placeholder.replaceWith(node),
      (error: Error) => placeholder.replaceChildren(h("p", {className: "workbook-error", role: "alert"}, `${label} could not be loaded (${error?.message ?? error}); reload the page to try again.`))
    );
  };
  for (const type of ["pointerenter", "focus"]) placeholder.addEventListener(type, activate, {once: true});
  whenNear(placeholder, activate);
  return placeholder;
}

export interface RenderOptions {
  /** Most width of a table, in px. */
  width?: number;
}

const MAX_VALUE_TEXT = 20_000;

/** The value as JSON text, cut at MAX_VALUE_TEXT characters; a value JSON cannot hold (a cycle) says so. */
function valueText(value: unknown): string {
  try {
    const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `${v}n` : ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v), 2) ?? String(value);
    return text.length > MAX_VALUE_TEXT ? `${text.slice(0, MAX_VALUE_TEXT)}\n… (showing ${MAX_VALUE_TEXT.toLocaleString("en-US")} of ${text.length.toLocaleString("en-US")} characters)` : text;
  } catch (error) {
    return `(the value cannot be shown as JSON: ${(error as Error).message})`;
  }
}

/** The result's value, drawn: a table for an array of records, JSON for anything else; what was cut is said above it. */
export function renderResult(result: ExperimentResult, {width}: RenderOptions = {}): HTMLElement {
  if (result.status === "idle" || result.status === "running") return h("p", {className: "code-cell-empty"}, formatStatus(result, {shared: waitingForReader()}));
  if (result.error) return h("div", {className: "workbook-error"}, formatError(result.error));
  const {value} = result;
  const notes = result.cut?.length ? h("p", {className: "code-cell-cut-note"}, `Cut: ${result.cut.join("; ")}.`) : "";
  if (value === undefined) return h("div", {}, notes, h("p", {className: "code-cell-empty"}, "The code returned nothing: end it with an expression (such as rows) or return a value."));
  if (isRecordArray(value)) return h("div", {}, notes, Inputs.table(value, {maxWidth: width, rows: 12, select: false}));
  return h("div", {}, notes, h("pre", {className: "code-cell-value"}, valueText(value)));
}

let styled = false;
function injectStyle(): void {
  if (styled) return;
  styled = true;
  document.head.append(
    h(
      "style",
      {},
      `.code-cell{margin:1rem 0;max-width:min(100%,960px)}
.code-cell-editor{border:1px solid var(--theme-foreground-faint);border-radius:4px 4px 0 0;min-height:3em}
.code-cell-placeholder{margin:0;padding:4px 8px 4px 36px;font:13px/1.4 var(--monospace);background:var(--theme-background-alt);white-space:pre;overflow-x:auto}
.code-cell-placeholder:focus-visible{outline:1px solid var(--theme-foreground-focus)}
.code-cell-bar{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;padding:.35rem .5rem;border:1px solid var(--theme-foreground-faint);border-top:none;border-radius:0 0 4px 4px;font-size:.85em}
.code-cell-bar button{font:inherit;padding:.15rem .6rem;cursor:pointer}
.code-cell-run{font-weight:600}
.code-cell-limit,.code-cell-params{color:var(--theme-foreground-muted)}
.code-cell-status{margin-left:auto;color:var(--theme-foreground-muted)}
.code-cell-status[data-status=ok]{color:var(--workbook-good)}
.code-cell-status[data-status=error],.code-cell-status[data-status=timeout]{color:var(--workbook-bad)}
.code-cell-notice{padding:.35rem .6rem;margin-bottom:.35rem;border-left:3px solid var(--workbook-warn);font-size:.85em}
.code-cell-link{width:100%;font:12px var(--monospace);margin-top:.35rem}
.code-cell-logs{margin:.35rem 0 0;padding:.35rem .6rem;max-height:16em;overflow:auto;font:12px/1.4 var(--monospace);background:var(--theme-background-alt);white-space:pre-wrap}
.code-cell-log-warn{color:var(--workbook-warn)}
.code-cell-log-error{color:var(--workbook-bad)}
.code-cell-error{margin-top:.35rem}
.code-cell-cut{margin:.35rem 0 0;padding-left:1.2rem;font-size:.85em;color:var(--workbook-warn)}
.code-cell-cut-note{font-size:.85em;color:var(--theme-foreground-muted)}
.code-cell-empty{color:var(--theme-foreground-muted);font-style:italic}
.code-cell-value{max-height:24em;overflow:auto}`
    )
  );
}
