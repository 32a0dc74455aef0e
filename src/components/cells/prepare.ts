// Turns the reader's TypeScript into the body of an async function the worker can run, and maps
// errors back to editor lines. Pure (no DOM, no worker globals): unit-tested in Node.
//
// Line numbers survive every step: sucrase strips types without moving lines (that is one of its
// stated goals), the last expression is rewritten in place, and import lines are blanked, not
// removed. So an error's line in the transformed code is its line in the editor.
import {transform} from "sucrase";
import {parse, type Node, type Options} from "acorn";

/** The name the runner gives the code (`//# sourceURL`), so its frames can be found in a stack. */
export const EXPERIMENT_FILE = "experiment.ts";

export interface SourceLocation {
  /** 1-based, as in the editor's gutter. */
  line: number;
  /** 1-based. */
  column: number;
}

export class ExperimentSyntaxError extends SyntaxError {
  override name = "SyntaxError";
  constructor(
    message: string,
    readonly location: SourceLocation
  ) {
    super(message);
  }
}

/** Line and column (both 1-based) of a character offset. */
export function locate(source: string, offset: number): SourceLocation {
  const before = source.slice(0, Math.max(0, Math.min(offset, source.length)));
  const lineStart = before.lastIndexOf("\n") + 1;
  return {line: before.split("\n").length, column: before.length - lineStart + 1};
}

const acornOptions: Options = {
  ecmaVersion: "latest",
  sourceType: "module",
  allowReturnOutsideFunction: true,
  allowAwaitOutsideFunction: true
};

/** Parser errors end in "(line:column)"; the location is reported separately. */
const withoutPosition = (message: string) => message.replace(/\s*\(\d+:\d+\)$/, "");

/**
 * The body of an async function that runs `code`: TypeScript stripped, `import` declarations
 * blanked (every name they could bring is already in scope), and a final expression statement
 * turned into `return`, so `rows` on the last line is the result, as in a notebook.
 */
export function prepare(code: string): string {
  let js: string;
  try {
    js = transform(code, {transforms: ["typescript"], disableESTransforms: true}).code;
  } catch (error) {
    const {message, pos} = error as {message: string; pos?: number};
    throw new ExperimentSyntaxError(withoutPosition(message), locate(code, pos ?? 0));
  }
  let program: Node & {body: Node[]};
  try {
    program = parse(js, acornOptions) as Node & {body: Node[]};
  } catch (error) {
    const {message, pos} = error as {message: string; pos?: number};
    throw new ExperimentSyntaxError(withoutPosition(message), locate(js, pos ?? 0));
  }
  const edits: {start: number; end: number; text: string}[] = [];
  for (const statement of program.body) {
    if (statement.type === "ImportDeclaration") {
      edits.push({start: statement.start, end: statement.end, text: js.slice(statement.start, statement.end).replace(/[^\n]/g, " ")});
    } else if (statement.type.startsWith("Export")) {
      throw new ExperimentSyntaxError("an experiment cannot export: return the value instead (or leave it as the last expression)", locate(js, statement.start));
    }
  }
  const last = program.body.at(-1) as (Node & {expression?: Node; directive?: string}) | undefined;
  if (last?.type === "ExpressionStatement" && last.expression && last.directive === undefined) {
    const {start, end} = last.expression;
    edits.push({start: last.start, end: last.end, text: `return (${js.slice(start, end)});`});
  }
  let body = js;
  for (const {start, end, text} of edits.sort((a, b) => b.start - a.start)) body = body.slice(0, start) + text + body.slice(end);
  return body;
}

/**
 * Where in the experiment a stack points: the first frame in EXPERIMENT_FILE, minus the lines the
 * engine's function wrapper adds before the body (`headerLines`, measured once per worker).
 * V8 writes "at f (experiment.ts:5:3)", Firefox and Safari "f@experiment.ts:5:3".
 */
export function stackLocation(stack: string | undefined, headerLines: number): SourceLocation | null {
  if (!stack) return null;
  const escaped = EXPERIMENT_FILE.replace(/\./g, "\\.");
  const match = new RegExp(`${escaped}:(\\d+):(\\d+)`).exec(stack);
  if (!match) return null;
  const line = Number(match[1]) - headerLines;
  return line >= 1 ? {line, column: Number(match[2])} : null;
}
