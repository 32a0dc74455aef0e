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
// announced with an "input" event each time the reader presses Run (or Shift-Enter, Mod-S,
// Mod-Enter). The cell runs its code once by itself when its editor has loaded (autorun, default
// true), except on a page opened from a share link, where nothing runs until the reader asks.
// sharedExperiment() gives the link's {id, code, parameters}, to set a page's inputs from it.
// The code runs in a worker (runner.ts) with the scope of scope.ts plus `sim` and `params`.
// The editor (CodeMirror) loads after first paint; until then the code shows as plain text.
import * as Inputs from "@observablehq/inputs";
import {formatError, formatStatus, idleResult, isRecordArray} from "./outcome.js";
import type {ExperimentResult, LogLine} from "./protocol.js";
import {runExperiment} from "./runner.js";
import {decodeShare, encodeShare, type Parameters, type SharedExperiment} from "./share.js";
import type {EditorView} from "@codemirror/view";

export type {ExperimentResult, ExperimentError, LogLine} from "./protocol.js";

export interface CodeCellOptions {
  /** Unique on the page; letters, digits, "-" and "_". */
  id: string;
  /** The original code (TypeScript). */
  code: string;
  /** Most wall-clock ms a run may take (default 2000). */
  timeout?: number;
  /** JSON values the code reads as `params`; `params.seed` seeds `sim`. Shared with the code. */
  parameters?: Parameters;
  /** Run once when the editor has loaded (default true; never on a page opened from a share link). */
  autorun?: boolean;
  /** Accessible name of the editor (default "Code of experiment <id>"). */
  label?: string;
}

export type CodeCell = HTMLElement & {value: ExperimentResult};

export class CodeCellOptionError extends TypeError {
  override name = "CodeCellOptionError";
}

const STORAGE_PREFIX = "eda-workbook:cell:";
const storageKey = (id: string) => `${STORAGE_PREFIX}${location.pathname}:${id}`;

/** Whether this page was opened from a share link: if so, no cell runs until asked. */
const sharedHash = /(^#|&)cell=/.test(location.hash) && /(^#|&)code=/.test(location.hash);
let sharedExperimentPromise: Promise<SharedExperiment | null> | undefined;

/**
 * This page load's state across cell instances: Framework re-creates a cell when an input it
 * reads changes (a seed slider), and the new instance must keep the reader's code.
 */
const session = {
  /** The reader has pressed Run somewhere: from then on, a shared page's cells may autorun. */
  readerRan: false,
  /** The share link's code went into its cell (once per page load). */
  shareApplied: false,
  /** The cell whose code came from the share link, until its Reset. */
  sharedCell: null as string | null,
  /** Code of each cell id as last edited or shared on this page. */
  code: new Map<string, string>()
};
const waitingForReader = () => sharedHash && !session.readerRan;
const SHARED_NOTICE = "Opened from a shared link: this code may differ from the page's. Reset restores the page's original.";

/** The experiment the page's share link carries (null if none). Rejects with ShareLinkError when the link is damaged. */
export function sharedExperiment(): Promise<SharedExperiment | null> {
  return (sharedExperimentPromise ??= sharedHash ? decodeShare(location.hash) : Promise.resolve(null));
}

function readStored(id: string): string | null {
  try {
    return localStorage.getItem(storageKey(id));
  } catch {
    return null; // storage disabled (private mode, sandboxed frame): edits just do not persist
  }
}

function writeStored(id: string, code: string | null): void {
  try {
    if (code === null) localStorage.removeItem(storageKey(id));
    else localStorage.setItem(storageKey(id), code);
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

export function codeCell({id, code: original, timeout = 2000, parameters: pageParameters = {}, autorun = true, label}: CodeCellOptions): CodeCell {
  if (typeof id !== "string" || !/^[\w-]+$/.test(id)) throw new CodeCellOptionError(`codeCell id must be letters, digits, "-" or "_", got ${JSON.stringify(id)}`);
  if (typeof original !== "string") throw new CodeCellOptionError(`codeCell code must be a string, got ${typeof original}`);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new CodeCellOptionError(`codeCell timeout must be a positive number of ms, got ${timeout}`);
  injectStyle();

  const stored = readStored(id);
  let code = session.code.get(id) ?? stored ?? original;
  let parameters = pageParameters;
  let view: EditorView | undefined;
  let editorModule: typeof import("./editor.js") | undefined;
  let runs = 0;

  const notice = h("div", {className: "code-cell-notice", hidden: true});
  const placeholder = h("pre", {className: "code-cell-placeholder"}, code);
  const editorHost = h("div", {className: "code-cell-editor"}, placeholder);
  const runButton = h("button", {type: "button", className: "code-cell-run", title: "Run (Shift-Enter)"}, "▶ Run");
  const resetButton = h("button", {type: "button", className: "code-cell-reset", title: "Restore the page's original code"}, "Reset");
  const shareButton = h("button", {type: "button", className: "code-cell-share", title: "Put this code in a link"}, "Share");
  const limit = h("span", {className: "code-cell-limit"}, `time limit ${timeout / 1000} s`);
  const params = h("span", {className: "code-cell-params"});
  const status = h("span", {className: "code-cell-status", role: "status"});
  const shareLink = h("input", {className: "code-cell-link", readOnly: true, hidden: true, ariaLabel: "Share link"});
  const logs = h("pre", {className: "code-cell-logs", hidden: true});
  const error = h("div", {className: "code-cell-error workbook-error", hidden: true});
  const root = h(
    "div",
    {className: "code-cell"},
    notice,
    editorHost,
    h("div", {className: "code-cell-bar"}, runButton, resetButton, shareButton, limit, params, status),
    shareLink,
    logs,
    error
  ) as unknown as CodeCell;
  root.dataset.cellId = id;
  root.value = idleResult;

  const showNotice = (text: string) => {
    notice.textContent = text;
    notice.hidden = !text;
  };
  const showParameters = () => {
    params.textContent = Object.keys(parameters).length ? `params: ${formatParameters(parameters)}` : "";
  };
  const showLogs = (lines: LogLine[]) => {
    logs.hidden = lines.length === 0;
    logs.replaceChildren(...lines.map(({level, text}) => h("div", {className: `code-cell-log-${level}`}, text)));
  };
  const show = (result: ExperimentResult) => {
    status.textContent = formatStatus(result, {shared: waitingForReader()});
    status.dataset.status = result.status;
    showLogs(result.logs);
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
    if (byReader) session.readerRan = true;
    const runId = ++runs;
    runButton.disabled = true;
    status.textContent = "Running…";
    status.dataset.status = "running";
    showLogs([]);
    const live: LogLine[] = [];
    let result: ExperimentResult;
    try {
      const onLog = (lines: LogLine[]) => {
        live.push(...lines);
        if (runId === runs) showLogs(live);
      };
      result = await runExperiment(code, {timeout, parameters, onLog});
    } catch (caught) {
      result = {...idleResult, status: "error", error: {kind: "runtime", name: "Error", message: String((caught as Error)?.message ?? caught), location: null}};
    }
    if (runId !== runs) return; // a newer run started meanwhile
    runButton.disabled = false;
    root.value = result;
    show(result);
    root.dispatchEvent(new Event("input", {bubbles: true}));
  }

  runButton.addEventListener("click", () => void run({byReader: true}));
  resetButton.addEventListener("click", () => {
    setCode(original);
    writeStored(id, null);
    session.code.delete(id);
    parameters = pageParameters;
    showParameters();
    shareLink.hidden = true;
    if (session.sharedCell === id) {
      session.sharedCell = null;
      history.replaceState(history.state, "", location.pathname + location.search);
    }
    showNotice("");
  });
  shareButton.addEventListener("click", async () => {
    const hash = await encodeShare({id, code, parameters});
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
  else if (code !== original) showNotice("Your edited version, saved in this browser. Reset restores the original.");
  show(idleResult);

  // Shared link first (it decides whether anything may run), then the editor after first paint.
  // The link's parameters go to the first instance only; a page that wants its inputs to match
  // reads them with sharedExperiment() (as the playground's seed slider does).
  const ready = sharedExperiment().then(
    (experiment) => {
      if (experiment?.id !== id || session.shareApplied) return;
      session.shareApplied = true;
      session.sharedCell = id;
      session.code.set(id, experiment.code);
      setCode(experiment.code);
      parameters = experiment.parameters;
      showParameters();
      showNotice(`${SHARED_NOTICE} Nothing has run: press Run to run it.`);
      show(idleResult);
      requestAnimationFrame(() => root.scrollIntoView({block: "center"}));
    },
    (linkError: Error) => {
      if (new URLSearchParams(location.hash.slice(1)).get("cell") === id) showNotice(`This share link could not be read (${linkError.message}); showing the page's code.`);
    }
  );
  afterFirstPaint(async () => {
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
        writeStored(id, next === original ? null : next);
      }
    });
    placeholder.remove();
    root.classList.add("code-cell-ready");
    if (autorun && !waitingForReader()) void run({byReader: false});
  });
  return root;
}

function afterFirstPaint(task: () => Promise<void>): void {
  requestAnimationFrame(() => setTimeout(() => void task().catch((error) => console.warn("code cell:", error)), 0));
}

export interface RenderOptions {
  /** Most width of a table, in px. */
  width?: number;
}

/** The result's value, drawn: a table for an array of records, JSON for anything else. */
export function renderResult(result: ExperimentResult, {width}: RenderOptions = {}): HTMLElement {
  if (result.status === "idle" || result.status === "running") return h("p", {className: "code-cell-empty"}, formatStatus(result, {shared: waitingForReader()}));
  if (result.error) return h("div", {className: "workbook-error"}, formatError(result.error));
  const {value} = result;
  if (value === undefined) return h("p", {className: "code-cell-empty"}, "The code returned nothing: end it with an expression (such as rows) or return a value.");
  if (isRecordArray(value)) return Inputs.table(value, {maxWidth: width, rows: 12, select: false});
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `${v}n` : ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v), 2) ?? String(value);
  return h("pre", {className: "code-cell-value"}, text.length > 20_000 ? `${text.slice(0, 20_000)}\n…` : text);
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
.code-cell-empty{color:var(--theme-foreground-muted);font-style:italic}
.code-cell-value{max-height:24em;overflow:auto}`
    )
  );
}
