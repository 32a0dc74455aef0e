// The EventBridge event-pattern language: validation, matching, compilation and "why didn't my
// rule match?" explanations.
//
// Sources (read for every rule below):
// - EventBridge User Guide, "Creating event patterns", "Arrays in event patterns", "Matching null
//   values and empty strings", "Comparison operators for use in event patterns" (content filtering):
//   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
// - aws/event-ruler (the library EventBridge matches with): README.md, JsonRuleCompiler.java (the
//   validation messages), ComparableNumber.java (numeric precision and limits).
//
// Three walkers share the scalar helpers at the bottom of this file:
// - parse (validatePattern) turns raw JSON into a typed tree or throws InvalidEventPatternError;
// - interpret (matchesPattern, explainMatch) walks the raw pattern JSON for every event;
// - compile (compilePattern) turns the parsed tree into closures with the work done once: sets of
//   exact values, lower-cased operands, tokenised wildcards, parsed CIDR blocks, numeric bounds.

// ---------------------------------------------------------------------------------------------
// Errors and public types

/** Thrown for a pattern EventBridge would refuse (the API's InvalidEventPatternException). */
export class InvalidEventPatternError extends Error {
  override name = "InvalidEventPatternError";
  /** Where in the pattern, as a JSON path ("detail.state[0].numeric"); "" for the pattern itself. */
  readonly path: string;
  /** What is wrong, without the location. */
  readonly reason: string;
  constructor(reason: string, path: string) {
    super(`Event pattern is not valid${path ? ` at ${path}` : ""}: ${reason}`);
    this.path = path;
    this.reason = reason;
  }
}

/** Thrown when an event given as text is not JSON (EventBridge events are always JSON objects). */
export class InvalidEventError extends Error {
  override name = "InvalidEventError";
}

export type EventPattern = Record<string, unknown>;
export type EventInput = unknown;

/** A compiled pattern: call it with an event (object or JSON text). */
export interface EventMatcher {
  (event: EventInput): boolean;
  /** The pattern it was compiled from (parsed, if it was given as text). */
  readonly pattern: EventPattern;
}

/** One row of an explanation: one pattern field (leaf), or one `$or`. */
export interface FieldExplanation {
  /** Dotted path of the field in the event, with array indexes where one element was chosen. */
  path: string;
  /** The pattern's condition for this field, as JSON (`["running","pending"]`, `$or (2 branches)`). */
  condition: string;
  /** The event's value at `path` (undefined when the field is missing). */
  eventValue: unknown;
  /** Whether the field is present in the event. */
  present: boolean;
  matched: boolean;
  /** Why it matched or failed, in a sentence. */
  reason: string;
  /** The `$or` branches this row sits in, outermost first ("$or[1]", "$or[1] › $or[0]"). */
  branch?: string;
}

export interface MatchExplanation {
  matched: boolean;
  /** One sentence for the whole pattern. */
  summary: string;
  fields: FieldExplanation[];
}

// ---------------------------------------------------------------------------------------------
// Constants from the docs

/** Operators of a match expression (`{"prefix": "us-"}`); also the names `$or` branches may not use. */
const OPERATORS = ["prefix", "suffix", "equals-ignore-case", "wildcard", "anything-but", "numeric", "exists", "cidr"] as const;
type Operator = (typeof OPERATORS)[number];
const OPERATOR_SET: ReadonlySet<string> = new Set(OPERATORS);
const OR = "$or";
/** ComparableNumber: numbers are compared within ±5.0e9, to 6 digits after the decimal point. */
export const NUMERIC_LIMIT = 5e9;
const NUMERIC_OPERATORS = ["=", "<", "<=", ">", ">="];

// ---------------------------------------------------------------------------------------------
// Parsed tree

type Scalar = string | number | boolean | null;

interface Bound {
  value: number;
  inclusive: boolean;
}

type Condition =
  | {op: "exact"; value: Scalar}
  | {op: "prefix" | "suffix"; value: string; ignoreCase: boolean}
  | {op: "equals-ignore-case"; value: string}
  | {op: "wildcard"; value: string; tokens: string[]}
  | {op: "anything-but"; kind: "values"; values: Array<string | number>}
  | {op: "anything-but"; kind: "prefix" | "suffix"; value: string}
  | {op: "anything-but"; kind: "equals-ignore-case"; values: string[]}
  | {op: "anything-but"; kind: "wildcard"; values: string[]; tokens: string[][]}
  | {op: "numeric"; lower: Bound | null; upper: Bound | null}
  | {op: "exists"; value: boolean}
  | {op: "cidr"; value: string; block: CidrBlock};

interface LeafNode {
  kind: "leaf";
  path: string[];
  conditions: Condition[];
}

interface ObjectNode {
  kind: "object";
  path: string[];
  fields: Array<{key: string; node: LeafNode | ObjectNode}>;
  or: ObjectNode[] | null;
}

// ---------------------------------------------------------------------------------------------
// Validation (parse)

/** Throws InvalidEventPatternError unless `pattern` is a pattern EventBridge accepts. */
export function validatePattern(pattern: unknown): void {
  parsePattern(pattern);
}

function parsePattern(pattern: unknown): {pattern: EventPattern; tree: ObjectNode} {
  const raw = typeof pattern === "string" ? parsePatternText(pattern) : pattern;
  if (!isPlainObject(raw)) {
    throw new InvalidEventPatternError(`the pattern must be a JSON object like {"source": ["my.app"]}, got ${describeType(raw)}`, "");
  }
  return {pattern: raw, tree: parseObject(raw, [], "", false)};
}

function parsePatternText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidEventPatternError(`the pattern is not valid JSON (${(error as Error).message})`, "");
  }
}

function parseObject(raw: Record<string, unknown>, path: string[], where: string, insideOr: boolean): ObjectNode {
  const keys = Object.keys(raw);
  // JsonRuleCompiler: "Empty objects are not allowed".
  if (keys.length === 0) throw new InvalidEventPatternError("empty objects are not allowed: name at least one field", where);
  const node: ObjectNode = {kind: "object", path, fields: [], or: null};
  for (const key of keys) {
    const value = raw[key];
    const at = joinPath(where, key);
    if (key === OR) {
      node.or = parseOr(value, path, at);
      continue;
    }
    // Inside $or an operator name as a field is almost surely a misplaced operator (README, "$or").
    if (insideOr && OPERATOR_SET.has(key)) {
      throw new InvalidEventPatternError(`"${key}" is an operator and cannot be used as a field name inside $or; put it in a match expression like {"field": [{"${key}": ...}]}`, at);
    }
    if (Array.isArray(value)) node.fields.push({key, node: parseLeaf(value, [...path, key], at)});
    else if (isPlainObject(value)) node.fields.push({key, node: parseObject(value, [...path, key], at, insideOr)});
    else {
      throw new InvalidEventPatternError(
        `the value of "${key}" must be an array of values to match (like ${JSON.stringify({[key]: [value ?? null]})}) or an object of nested fields, got ${describeType(value)}`,
        at
      );
    }
  }
  return node;
}

function parseOr(value: unknown, path: string[], where: string): ObjectNode[] {
  if (!Array.isArray(value)) throw new InvalidEventPatternError(`$or must be an array of at least 2 objects, like {"$or": [{"a": [1]}, {"b": [2]}]}, got ${describeType(value)}`, where);
  if (value.length < 2) throw new InvalidEventPatternError(`$or needs at least 2 objects, got ${value.length}`, where);
  return value.map((branch, i) => {
    const at = `${where}[${i}]`;
    if (!isPlainObject(branch)) throw new InvalidEventPatternError(`each $or branch must be an object of fields, got ${describeType(branch)}`, at);
    return parseObject(branch, path, at, true);
  });
}

function parseLeaf(values: unknown[], path: string[], where: string): LeafNode {
  // JsonRuleCompiler: "Empty arrays are not allowed".
  if (values.length === 0) throw new InvalidEventPatternError("empty arrays are not allowed: list at least one value or match expression", where);
  const conditions = values.map((value, i): Condition => {
    const at = `${where}[${i}]`;
    if (value === null || typeof value === "string" || typeof value === "boolean") return {op: "exact", value};
    if (typeof value === "number") {
      if (!Number.isFinite(value)) throw new InvalidEventPatternError(`${value} is not a JSON number`, at);
      return {op: "exact", value};
    }
    if (isPlainObject(value)) return parseExpression(value, at);
    throw new InvalidEventPatternError(`a value to match must be a string, number, true, false, null or a match expression object, got ${describeType(value)}`, at);
  });
  return {kind: "leaf", path, conditions};
}

function parseExpression(raw: Record<string, unknown>, where: string): Condition {
  const keys = Object.keys(raw);
  if (keys.length !== 1) {
    throw new InvalidEventPatternError(
      keys.length === 0
        ? `a match expression needs one operator (${OPERATORS.join(", ")})`
        : `a match expression has exactly one operator, got ${keys.length} (${keys.join(", ")}); list them as separate array elements to OR them`,
      where
    );
  }
  const op = keys[0];
  const value = raw[op];
  const at = joinPath(where, op);
  if (!OPERATOR_SET.has(op)) {
    throw new InvalidEventPatternError(`unknown operator "${op}"; the operators are ${OPERATORS.join(", ")}${op === OR ? " ($or belongs among fields, not inside a value array)" : ""}`, at);
  }
  switch (op as Operator) {
    case "prefix":
    case "suffix":
      return parsePrefixSuffix(op as "prefix" | "suffix", value, at);
    case "equals-ignore-case":
      return {op: "equals-ignore-case", value: requireString(value, op, at)};
    case "wildcard":
      return {op: "wildcard", value: requireString(value, op, at), tokens: tokenizeWildcardOrThrow(value as string, at)};
    case "anything-but":
      return parseAnythingBut(value, at);
    case "numeric":
      return parseNumeric(value, at);
    case "exists":
      if (typeof value !== "boolean") throw new InvalidEventPatternError(`exists must be true or false, got ${describeType(value)}`, at);
      return {op: "exists", value};
    case "cidr": {
      const text = requireString(value, op, at);
      const block = parseCidr(text);
      if (!block) throw new InvalidEventPatternError(`"${text}" is not a CIDR block; write an address, a slash and a prefix length, like "10.0.0.0/24" or "2001:db8::/32"`, at);
      return {op: "cidr", value: text, block};
    }
  }
}

function parsePrefixSuffix(op: "prefix" | "suffix", value: unknown, where: string): Condition {
  if (typeof value === "string") return {op, value, ignoreCase: false};
  // {"prefix": {"equals-ignore-case": "eventb"}} (User Guide, "Prefix matching while ignoring case").
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === "equals-ignore-case") {
      return {op, value: requireString(value[keys[0]], "equals-ignore-case", joinPath(where, keys[0])), ignoreCase: true};
    }
    throw new InvalidEventPatternError(`${op} takes a string, or {"equals-ignore-case": "..."} and nothing else, got keys ${keys.join(", ") || "(none)"}`, where);
  }
  throw new InvalidEventPatternError(`${op} must be a string, got ${describeType(value)}`, where);
}

function parseAnythingBut(value: unknown, where: string): Condition {
  if (typeof value === "string") return {op: "anything-but", kind: "values", values: [value]};
  if (typeof value === "number") return {op: "anything-but", kind: "values", values: [requireNumericLimit(value, where)]};
  if (Array.isArray(value)) {
    // "Inside anything but list, either all values are number or string, mixed type is not supported".
    if (value.length === 0) throw new InvalidEventPatternError("anything-but needs at least one value", where);
    const strings = value.every((v) => typeof v === "string");
    const numbers = value.every((v) => typeof v === "number");
    if (!strings && !numbers) {
      throw new InvalidEventPatternError(`an anything-but list holds only strings or only numbers (not null, booleans, objects or a mix), got ${JSON.stringify(value)}`, where);
    }
    if (numbers) value.forEach((v, i) => requireNumericLimit(v as number, `${where}[${i}]`));
    return {op: "anything-but", kind: "values", values: value as Array<string | number>};
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    const allowed = ["prefix", "suffix", "equals-ignore-case", "wildcard"];
    if (keys.length !== 1 || !allowed.includes(keys[0])) {
      throw new InvalidEventPatternError(`anything-but takes a value, a list, or one of {"prefix": ...}, {"suffix": ...}, {"equals-ignore-case": ...}, {"wildcard": ...}; got keys ${keys.join(", ") || "(none)"}`, where);
    }
    const kind = keys[0] as "prefix" | "suffix" | "equals-ignore-case" | "wildcard";
    const inner = value[kind];
    const at = joinPath(where, kind);
    if (kind === "prefix" || kind === "suffix") {
      const text = requireString(inner, `anything-but ${kind}`, at);
      // "Null prefix/suffix not allowed".
      if (text === "") throw new InvalidEventPatternError(`anything-but ${kind} cannot be empty`, at);
      return {op: "anything-but", kind, value: text};
    }
    const list = typeof inner === "string" ? [inner] : inner;
    if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === "string")) {
      throw new InvalidEventPatternError(`anything-but ${kind} takes a string or a non-empty list of strings, got ${describeType(inner)}`, at);
    }
    if (kind === "equals-ignore-case") return {op: "anything-but", kind, values: list as string[]};
    const tokens = (list as string[]).map((w, i) => tokenizeWildcardOrThrow(w, Array.isArray(inner) ? `${at}[${i}]` : at));
    return {op: "anything-but", kind, values: list as string[], tokens};
  }
  throw new InvalidEventPatternError(`anything-but must be a string, a number, a list, or an object like {"prefix": "init"}, got ${describeType(value)}`, where);
}

function parseNumeric(value: unknown, where: string): Condition {
  const example = `like [">", 0, "<=", 5] or ["=", 3.018e2]`;
  if (!Array.isArray(value)) throw new InvalidEventPatternError(`numeric must be an array ${example}, got ${describeType(value)}`, where);
  const operand = (i: number, op: string): number => {
    const v = value[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new InvalidEventPatternError(`the value after "${op}" must be a number, got ${i < value.length ? describeType(v) : "nothing"}`, `${where}[${i}]`);
    }
    return requireNumericLimit(v, `${where}[${i}]`);
  };
  const first = value[0];
  if (typeof first !== "string" || !NUMERIC_OPERATORS.includes(first)) {
    throw new InvalidEventPatternError(`numeric starts with one of ${NUMERIC_OPERATORS.map((o) => `"${o}"`).join(", ")} (${example}), got ${value.length ? describeType(first) : "an empty array"}`, `${where}[0]`);
  }
  const n = operand(1, first);
  let lower: Bound | null = null;
  let upper: Bound | null = null;
  let end = 2;
  if (first === "=") (lower = {value: n, inclusive: true}), (upper = {value: n, inclusive: true});
  else if (first === "<" || first === "<=") upper = {value: n, inclusive: first === "<="};
  else {
    lower = {value: n, inclusive: first === ">="};
    // A lower bound may be followed by an upper bound, never the other way round (JsonRuleCompiler).
    if (value.length > 2) {
      const second = value[2];
      if (second !== "<" && second !== "<=") {
        throw new InvalidEventPatternError(`after a lower bound only "<" or "<=" may follow, got ${describeType(second)}`, `${where}[2]`);
      }
      upper = {value: operand(3, second), inclusive: second === "<="};
      end = 4;
      if (!(lower.value < upper.value)) {
        throw new InvalidEventPatternError(`the lower bound ${lower.value} must be less than the upper bound ${upper.value}`, where);
      }
    }
  }
  if (value.length > end) {
    const upperFirst = (first === "<" || first === "<=") && (value[2] === ">" || value[2] === ">=");
    throw new InvalidEventPatternError(
      upperFirst ? `a numeric range names its lower bound first: write ["${value[2]}", ${JSON.stringify(value[3])}, "${first}", ${n}]` : `too many elements in numeric expression (${example})`,
      `${where}[${end}]`
    );
  }
  return {op: "numeric", lower, upper};
}

function requireString(value: unknown, op: string, where: string): string {
  if (typeof value !== "string") throw new InvalidEventPatternError(`${op} must be a string, got ${describeType(value)}`, where);
  return value;
}

function requireNumericLimit(value: number, where: string): number {
  if (!Number.isFinite(value) || value < -NUMERIC_LIMIT || value > NUMERIC_LIMIT) {
    throw new InvalidEventPatternError(`${value} is out of range: numeric matching works for numbers from -5.0e9 to 5.0e9 inclusive`, where);
  }
  return value;
}

function tokenizeWildcardOrThrow(value: string, where: string): string[] {
  const result = tokenizeWildcard(value);
  if (typeof result === "string") throw new InvalidEventPatternError(`wildcard "${value}": ${result}`, where);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Interpretation: walk the raw pattern JSON for every event

export interface MatchOptions {
  /**
   * Skip validation: only for a pattern `validatePattern` has accepted (benchmarks, hot loops).
   * An invalid pattern then gives an unspecified answer instead of an error.
   */
  trusted?: boolean;
}

/** Does `event` match `pattern`? Throws InvalidEventPatternError for an invalid pattern. */
export function matchesPattern(pattern: unknown, event: EventInput, options: MatchOptions = {}): boolean {
  const raw = options.trusted ? (typeof pattern === "string" ? (JSON.parse(pattern) as EventPattern) : (pattern as EventPattern)) : parsePattern(pattern).pattern;
  const root = parseEvent(event);
  return interpretDescend(raw, root, root, [], null);
}

/** Field by field: which condition matched or failed for `event`, and why. */
export function explainMatch(pattern: unknown, event: EventInput): MatchExplanation {
  const raw = parsePattern(pattern).pattern;
  const root = parseEvent(event);
  const fields: FieldExplanation[] = [];
  const matched = interpretDescend(raw, root, root, [], {rows: fields, display: [], branch: ""});
  const failed = fields.filter((f) => !f.matched && !f.branch);
  const summary = matched
    ? `The event matches: every field of the pattern is satisfied.`
    : failed.length > 0
      ? `The event does not match: ${failed.map((f) => (f.condition.startsWith("$or") ? `the $or at ${f.path}` : f.path)).join(", ")} ${failed.length === 1 ? "fails" : "fail"} (every field must match).`
      : `The event does not match.`;
  return {matched, summary, fields};
}

interface ExplainContext {
  rows: FieldExplanation[];
  /** Display path (with [i] for chosen array elements). */
  display: string[];
  branch: string;
}

/** Descend into an object pattern from an event value: an array means "any element" (array-consistent). */
function interpretDescend(pattern: EventPattern, value: unknown, root: unknown, path: string[], ctx: ExplainContext | null): boolean {
  if (!Array.isArray(value)) return interpretObject(pattern, value, root, path, ctx);
  const elements = objectElements(value);
  if (elements.length === 0) return interpretObject(pattern, undefined, root, path, ctx);
  if (!ctx) return elements.some(([element]) => interpretObject(pattern, element, root, path, null));
  // Explain the first element that matches, or else the one that comes closest.
  let best = -1;
  let bestScore = -1;
  for (let i = 0; i < elements.length; i++) {
    const rows: FieldExplanation[] = [];
    const ok = interpretObject(pattern, elements[i][0], root, path, {rows, display: [], branch: ctx.branch});
    const score = ok ? Infinity : rows.filter((r) => r.matched).length;
    if (score > bestScore) (best = i), (bestScore = score);
    if (ok) break;
  }
  const [element, index] = elements[best];
  const display = ctx.display.length > 0 ? [...ctx.display.slice(0, -1), ctx.display[ctx.display.length - 1] + index] : [index];
  return interpretObject(pattern, element, root, path, {...ctx, display});
}

function interpretObject(pattern: EventPattern, value: unknown, root: unknown, path: string[], ctx: ExplainContext | null): boolean {
  const object = isPlainObject(value) ? value : undefined;
  let all = true;
  for (const key of Object.keys(pattern)) {
    if (key === OR) continue;
    const sub = pattern[key];
    const child = object && Object.hasOwn(object, key) ? object[key] : undefined;
    const childPath = [...path, key];
    const childCtx = ctx && {...ctx, display: [...ctx.display, key]};
    const ok = Array.isArray(sub)
      ? interpretLeaf(sub, child, root, childPath, childCtx)
      : interpretDescend(sub as EventPattern, child, root, childPath, childCtx);
    if (!ok) {
      all = false;
      if (!ctx) return false;
    }
  }
  const branches = pattern[OR];
  if (Array.isArray(branches)) {
    const winners: number[] = [];
    for (let i = 0; i < branches.length; i++) {
      const branchCtx = ctx && {...ctx, branch: ctx.branch ? `${ctx.branch} › $or[${i}]` : `$or[${i}]`};
      if (interpretObject(branches[i] as EventPattern, value, root, path, branchCtx)) {
        winners.push(i);
        if (!ctx) break;
      }
    }
    const any = winners.length > 0;
    if (ctx) {
      ctx.rows.push({
        path: ctx.display.length > 0 ? displayPath(ctx.display) : "(top level)",
        condition: `$or (${branches.length} branches)`,
        eventValue: undefined,
        present: true,
        matched: any,
        reason: any
          ? `${winners.map((i) => `$or[${i}]`).join(" and ")} matched; one branch is enough`
          : `none of the ${branches.length} branches matched; at least one must`,
        ...(ctx.branch ? {branch: ctx.branch} : {})
      });
    }
    if (!any) all = false;
  }
  return all;
}

function interpretLeaf(conditions: unknown[], value: unknown, root: unknown, path: string[], ctx: ExplainContext | null): boolean {
  const values = leafValues(value);
  let matchedBy: {condition: unknown; value: unknown} | null = null;
  for (const condition of conditions) {
    if (isPlainObject(condition) && Object.hasOwn(condition, "exists")) {
      const ok = condition.exists === true ? values.length > 0 : values.length === 0 && !hasLeafAt(root, path);
      if (ok) {
        matchedBy = {condition, value};
        break;
      }
      continue;
    }
    const hit = values.find((v) => interpretCondition(condition, v));
    if (hit !== undefined) {
      matchedBy = {condition, value: hit};
      break;
    }
  }
  if (ctx) ctx.rows.push(explainLeafRow(conditions, value, values, matchedBy, root, path, ctx));
  return matchedBy !== null;
}

function interpretCondition(condition: unknown, v: Scalar): boolean {
  if (!isPlainObject(condition)) return exactEquals(condition as Scalar, v);
  const op = Object.keys(condition)[0];
  const operand = condition[op];
  switch (op) {
    case "prefix":
    case "suffix": {
      if (typeof v !== "string") return false;
      if (typeof operand === "string") return op === "prefix" ? v.startsWith(operand) : v.endsWith(operand);
      const text = (operand as Record<string, string>)["equals-ignore-case"];
      return op === "prefix" ? foldCase(v).startsWith(foldCase(text)) : foldCase(v).endsWith(foldCase(text));
    }
    case "equals-ignore-case":
      return typeof v === "string" && foldCase(v) === foldCase(operand as string);
    case "wildcard":
      return typeof v === "string" && wildcardMatches(tokenizeWildcard(operand as string) as string[], v);
    case "numeric":
      return numericMatches(operand as unknown[], v);
    case "cidr": {
      const block = parseCidr(operand as string);
      return typeof v === "string" && block !== null && cidrContains(block, v);
    }
    case "anything-but":
      return !anythingButExcludes(operand, v);
    default:
      return false;
  }
}

function numericMatches(expression: unknown[], v: Scalar): boolean {
  if (typeof v !== "number" || v < -NUMERIC_LIMIT || v > NUMERIC_LIMIT) return false;
  const n = comparableNumber(v);
  for (let i = 0; i + 1 < expression.length; i += 2) {
    const bound = comparableNumber(expression[i + 1] as number);
    const op = expression[i];
    const ok = op === "=" ? n === bound : op === "<" ? n < bound : op === "<=" ? n <= bound : op === ">" ? n > bound : n >= bound;
    if (!ok) return false;
  }
  return true;
}

function anythingButExcludes(operand: unknown, v: Scalar): boolean {
  if (!isPlainObject(operand)) return (Array.isArray(operand) ? operand : [operand]).some((x) => excludedValue(x as string | number, v));
  const kind = Object.keys(operand)[0];
  const inner = operand[kind];
  if (typeof v !== "string") return false;
  if (kind === "prefix") return v.startsWith(inner as string);
  if (kind === "suffix") return v.endsWith(inner as string);
  const list = (typeof inner === "string" ? [inner] : inner) as string[];
  if (kind === "equals-ignore-case") return list.some((x) => foldCase(x) === foldCase(v));
  return list.some((w) => wildcardMatches(tokenizeWildcard(w) as string[], v));
}

/** anything-but excludes only equal strings, or numbers equal as ComparableNumbers. */
function excludedValue(x: string | number, v: Scalar): boolean {
  if (typeof x === "string") return v === x;
  return typeof v === "number" && numbersEqual(x, v);
}

// ---------------------------------------------------------------------------------------------
// Compilation: parse once, then closures

type ValueMatcher = (value: unknown, root: unknown) => boolean;

/** Validates `pattern` once and returns a fast matcher for repeated use. */
export function compilePattern(pattern: unknown): EventMatcher {
  const parsed = parsePattern(pattern);
  const match = compileDescend(parsed.tree);
  const matcher = ((event: EventInput) => {
    const root = parseEvent(event);
    return match(root, root);
  }) as EventMatcher;
  Object.defineProperty(matcher, "pattern", {value: parsed.pattern, enumerable: true});
  return matcher;
}

/**
 * Compiles many patterns for one event stream, as a rule bus does. Matching time barely depends
 * on the number of patterns (the property Ruler's README leads with): each pattern is filed under
 * one top-level field it requires to be one of a few exact strings ("source" first, then
 * "detail-type"), and an event is checked only against the patterns filed under its own values,
 * plus those that name no such field.
 */
export function compileRuleSet(patterns: readonly unknown[]): (event: EventInput) => number[] {
  const matchers: ValueMatcher[] = [];
  const index = new Map<string, Map<string, number[]>>(); // field → exact value → pattern numbers
  const unindexed: number[] = [];
  patterns.forEach((pattern, i) => {
    const {tree} = parsePattern(pattern);
    matchers.push(compileDescend(tree));
    const key = indexKey(tree);
    if (!key) return void unindexed.push(i);
    let byValue = index.get(key.field);
    if (!byValue) index.set(key.field, (byValue = new Map()));
    for (const value of key.values) {
      const list = byValue.get(value);
      if (list) list.push(i);
      else byValue.set(value, [i]);
    }
  });
  const fields = [...index.entries()];
  return (event) => {
    const root = parseEvent(event);
    const out: number[] = [];
    for (const i of unindexed) if (matchers[i](root, root)) out.push(i);
    if (!isPlainObject(root)) return out;
    const seen = new Set<number>();
    for (const [field, byValue] of fields) {
      if (!Object.hasOwn(root, field)) continue;
      for (const value of leafValues(root[field])) {
        if (typeof value !== "string") continue;
        for (const i of byValue.get(value) ?? []) {
          if (!seen.has(i) && matchers[i](root, root)) out.push(i);
          seen.add(i);
        }
      }
    }
    return out.length > 1 ? out.sort((a, b) => a - b) : out;
  };
}

/** A top-level field the pattern requires to equal one of some strings, preferring source, detail-type. */
function indexKey(tree: ObjectNode): {field: string; values: string[]} | null {
  const exact = tree.fields.filter(
    (f): f is {key: string; node: LeafNode} => f.node.kind === "leaf" && f.node.conditions.every((c) => c.op === "exact" && typeof c.value === "string")
  );
  const rank = (key: string) => (key === "source" ? 0 : key === "detail-type" ? 1 : 2);
  const best = exact.sort((a, b) => rank(a.key) - rank(b.key))[0];
  return best ? {field: best.key, values: best.node.conditions.map((c) => (c as {value: string}).value)} : null;
}

function compileDescend(node: ObjectNode): ValueMatcher {
  const object = compileObject(node);
  return (value, root) => {
    if (!Array.isArray(value)) return object(value, root);
    let sawObject = false;
    const stack: unknown[] = [value];
    while (stack.length > 0) {
      const item = stack.pop();
      if (Array.isArray(item)) for (let i = item.length - 1; i >= 0; i--) stack.push(item[i]);
      else if (isPlainObject(item)) {
        sawObject = true;
        if (object(item, root)) return true;
      }
    }
    return !sawObject && object(undefined, root);
  };
}

function compileObject(node: ObjectNode): ValueMatcher {
  // AND has no order, so test the cheap, selective fields first: exact-value leaves, other leaves, nested objects.
  const cost = (f: ObjectNode["fields"][number]) => (f.node.kind === "object" ? 2 : f.node.conditions.every((c) => c.op === "exact") ? 0 : 1);
  const fields = [...node.fields].sort((a, b) => cost(a) - cost(b));
  const keys = fields.map((f) => f.key);
  // Only names an object inherits ("constructor", "toString") need the own-property check.
  const inherited = keys.map((key) => key in Object.prototype);
  const children = fields.map((f) => (f.node.kind === "leaf" ? compileLeaf(f.node) : compileDescend(f.node)));
  const branches = node.or?.map(compileObject) ?? null;
  const n = keys.length;
  return (value, root) => {
    const object = isPlainObject(value) ? value : undefined;
    for (let i = 0; i < n; i++) {
      const key = keys[i];
      const child = object === undefined ? undefined : inherited[i] && !Object.hasOwn(object, key) ? undefined : object[key];
      if (!children[i](child, root)) return false;
    }
    if (branches) {
      for (const branch of branches) if (branch(value, root)) return true;
      return false;
    }
    return true;
  };
}

function compileLeaf(node: LeafNode): ValueMatcher {
  const strings = new Set<string>();
  const numbers = new Set<number>(); // ComparableNumber keys of numbers within ±5e9
  const bigNumbers = new Set<number>(); // numbers outside it, matched literally (account ids)
  let matchNull = false;
  let matchTrue = false;
  let matchFalse = false;
  let existsTrue = false;
  let existsFalse = false;
  const predicates: Array<(v: Scalar) => boolean> = [];
  for (const c of node.conditions) {
    switch (c.op) {
      case "exact":
        if (typeof c.value === "string") strings.add(c.value);
        else if (typeof c.value === "number") (inNumericRange(c.value) ? numbers : bigNumbers).add(inNumericRange(c.value) ? comparableNumber(c.value) : c.value);
        else if (c.value === null) matchNull = true;
        else if (c.value) matchTrue = true;
        else matchFalse = true;
        break;
      case "exists":
        if (c.value) existsTrue = true;
        else existsFalse = true;
        break;
      default:
        predicates.push(compileCondition(c));
    }
  }
  const path = node.path;
  // One exact string (the usual "source": ["my.app"]) is a comparison, not a hash lookup.
  const only = strings.size === 1 ? [...strings][0] : null;
  const test = (v: Scalar): boolean => {
    if (typeof v === "string") {
      if (only !== null ? v === only : strings.has(v)) return true;
    } else if (typeof v === "number") {
      if (inNumericRange(v) ? numbers.size > 0 && numbers.has(comparableNumber(v)) : bigNumbers.has(v)) return true;
    } else if (v === null) {
      if (matchNull) return true;
    } else if (v ? matchTrue : matchFalse) return true;
    for (let i = 0; i < predicates.length; i++) if (predicates[i](v)) return true;
    return false;
  };
  return (value, root) => {
    if (isScalar(value)) return test(value) || existsTrue;
    const values = leafValues(value);
    for (let i = 0; i < values.length; i++) if (test(values[i])) return true;
    if (values.length > 0) return existsTrue;
    return existsFalse && !hasLeafAt(root, path);
  };
}

function compileCondition(c: Exclude<Condition, {op: "exact" | "exists"}>): (v: Scalar) => boolean {
  switch (c.op) {
    case "prefix":
    case "suffix": {
      const operand = c.ignoreCase ? foldCase(c.value) : c.value;
      const fold = c.ignoreCase;
      return c.op === "prefix"
        ? (v) => typeof v === "string" && (fold ? foldCase(v) : v).startsWith(operand)
        : (v) => typeof v === "string" && (fold ? foldCase(v) : v).endsWith(operand);
    }
    case "equals-ignore-case": {
      const operand = foldCase(c.value);
      return (v) => typeof v === "string" && foldCase(v) === operand;
    }
    case "wildcard": {
      const tokens = c.tokens;
      return (v) => typeof v === "string" && wildcardMatches(tokens, v);
    }
    case "numeric": {
      const lo = c.lower ? comparableNumber(c.lower.value) : -Infinity;
      const hi = c.upper ? comparableNumber(c.upper.value) : Infinity;
      const loIn = c.lower?.inclusive ?? true;
      const hiIn = c.upper?.inclusive ?? true;
      return (v) => {
        if (typeof v !== "number" || v < -NUMERIC_LIMIT || v > NUMERIC_LIMIT) return false;
        const n = comparableNumber(v);
        return (loIn ? n >= lo : n > lo) && (hiIn ? n <= hi : n < hi);
      };
    }
    case "cidr": {
      const block = c.block;
      return (v) => typeof v === "string" && cidrContains(block, v);
    }
    case "anything-but":
      return compileAnythingBut(c);
  }
}

function compileAnythingBut(c: Extract<Condition, {op: "anything-but"}>): (v: Scalar) => boolean {
  switch (c.kind) {
    case "values": {
      const strings = new Set(c.values.filter((x): x is string => typeof x === "string"));
      const numbers = new Set(c.values.filter((x): x is number => typeof x === "number").map(comparableNumber));
      return (v) => (typeof v === "string" ? !strings.has(v) : typeof v === "number" ? !(v >= -NUMERIC_LIMIT && v <= NUMERIC_LIMIT && numbers.has(comparableNumber(v))) : true);
    }
    case "prefix": {
      const p = c.value;
      return (v) => typeof v !== "string" || !v.startsWith(p);
    }
    case "suffix": {
      const s = c.value;
      return (v) => typeof v !== "string" || !v.endsWith(s);
    }
    case "equals-ignore-case": {
      const folded = new Set(c.values.map(foldCase));
      return (v) => typeof v !== "string" || !folded.has(foldCase(v));
    }
    case "wildcard": {
      const tokens = c.tokens;
      return (v) => typeof v !== "string" || !tokens.some((t) => wildcardMatches(t, v));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Explanations

function explainLeafRow(
  conditions: unknown[],
  value: unknown,
  values: Scalar[],
  matchedBy: {condition: unknown; value: unknown} | null,
  root: unknown,
  path: string[],
  ctx: ExplainContext
): FieldExplanation {
  const dotted = path.join(".");
  const present = value !== undefined;
  let reason: string;
  if (matchedBy) {
    const c = matchedBy.condition;
    if (isPlainObject(c) && Object.hasOwn(c, "exists")) {
      reason = c.exists ? `exists: true, and the event has "${dotted}" (${fmt(value)})` : `exists: false, and the event has no value at "${dotted}"`;
    } else {
      reason = `${fmt(matchedBy.value)} ${describeHit(c)}`;
      if (Array.isArray(value)) reason += ` (one matching element of the event's array is enough)`;
    }
  } else if (values.length === 0) {
    const existsFalse = conditions.some((c) => isPlainObject(c) && c.exists === false);
    reason = !present
      ? `the event has no field "${dotted}"`
      : Array.isArray(value)
        ? `the event's "${dotted}" is ${value.length === 0 ? "an empty array" : "an array of objects"}, so there is no value to compare`
        : isPlainObject(value)
          ? `the event's "${dotted}" is an object; patterns compare leaf values only, so nest the pattern to look inside it`
          : `the event's "${dotted}" holds no JSON value`;
    if (existsFalse && hasLeafAt(root, path)) reason = `exists: false, but the event has a value at "${dotted}" in another element of its array`;
  } else {
    const shown = values.length === 1 ? "" : `none of the event's ${values.length} values ${fmt(values)} matches. `;
    const v = values[0];
    reason = shown + conditions.map((c) => describeMiss(c, values.length === 1 ? v : values)).join("; ");
  }
  return {
    path: displayPath(ctx.display),
    condition: JSON.stringify(conditions),
    eventValue: value,
    present,
    matched: matchedBy !== null,
    reason,
    ...(ctx.branch ? {branch: ctx.branch} : {})
  };
}

function describeHit(c: unknown): string {
  if (!isPlainObject(c)) return `equals ${fmt(c)}`;
  const op = Object.keys(c)[0];
  const operand = c[op];
  switch (op) {
    case "prefix":
    case "suffix": {
      const ic = isPlainObject(operand);
      const text = ic ? (operand as Record<string, unknown>)["equals-ignore-case"] : operand;
      return `${op === "prefix" ? "starts" : "ends"} with ${fmt(text)}${ic ? " (ignoring case)" : ""}`;
    }
    case "equals-ignore-case":
      return `equals ${fmt(operand)} ignoring case`;
    case "wildcard":
      return `matches the wildcard ${fmt(operand)}`;
    case "numeric":
      return `is ${describeNumeric(operand as unknown[])}`;
    case "cidr":
      return `is in ${operand}`;
    case "anything-but":
      return `is not excluded by anything-but ${JSON.stringify(operand)}`;
    default:
      return `matches ${JSON.stringify(c)}`;
  }
}

function describeMiss(c: unknown, v: Scalar | Scalar[]): string {
  const many = Array.isArray(v);
  const one = many ? (v as Scalar[])[0] : (v as Scalar);
  const subject = many ? "no value" : fmt(one);
  if (!isPlainObject(c)) {
    if (many) return `${fmt(c)} is not among them`;
    return `${subject} is not ${fmt(c)}${exactHint(c as Scalar, one)}`;
  }
  const op = Object.keys(c)[0];
  const operand = c[op];
  const typeNote = (want: string) => (!many && typeof one !== want ? ` (${op} compares ${want}s only; this is ${describeType(one)})` : "");
  switch (op) {
    case "prefix":
    case "suffix": {
      const ic = isPlainObject(operand);
      const text = String(ic ? (operand as Record<string, unknown>)["equals-ignore-case"] : operand);
      const hint = !ic && !many && typeof one === "string" && (op === "prefix" ? foldCase(one).startsWith(foldCase(text)) : foldCase(one).endsWith(foldCase(text)))
        ? ` (matching is case-sensitive; {"${op}": {"equals-ignore-case": ${fmt(text)}}} would match)`
        : "";
      return `${subject} does not ${op === "prefix" ? "start" : "end"} with ${fmt(text)}${ic ? " (even ignoring case)" : ""}${typeNote("string")}${hint}`;
    }
    case "equals-ignore-case":
      return `${subject} does not equal ${fmt(operand)} even ignoring case${typeNote("string")}`;
    case "wildcard":
      return `${subject} does not match the wildcard ${fmt(operand)}${typeNote("string")}`;
    case "numeric": {
      const range = describeNumeric(operand as unknown[]);
      if (!many && typeof one === "number" && (one < -NUMERIC_LIMIT || one > NUMERIC_LIMIT)) return `${one} is outside the range numeric matching compares (-5e9 to 5e9)`;
      const note = !many && typeof one === "string" && one.trim() !== "" && Number.isFinite(Number(one)) ? ` (numeric matches JSON numbers only; ${fmt(one)} is a string)` : typeNote("number");
      return `${subject} is not ${range}${note}`;
    }
    case "cidr":
      return !many && typeof one === "string" && parseIpv4(one) === null && parseIpv6(one) === null ? `${subject} is not an IP address, so it is not in ${operand}` : `${subject} is not in ${operand}${typeNote("string")}`;
    case "anything-but":
      return many ? `every value is excluded by anything-but ${JSON.stringify(operand)}` : `${subject} is excluded by anything-but ${JSON.stringify(operand)}`;
    case "exists":
      return operand ? `exists: true needs a value` : `exists: false, but the event has ${subject}`;
    default:
      return `${subject} does not match ${JSON.stringify(c)}`;
  }
}

function exactHint(want: Scalar, got: Scalar): string {
  if (typeof want === "string" && typeof got === "string" && foldCase(want) === foldCase(got)) {
    return ` (matching is case-sensitive; {"equals-ignore-case": ${fmt(want)}} would match)`;
  }
  if (typeof want === "number" && typeof got === "string" && got.trim() !== "" && Number(got) === want) return ` (the event has the string ${fmt(got)}, the pattern the number ${want})`;
  if (typeof want === "string" && typeof got === "number" && want.trim() !== "" && Number(want) === got) return ` (the event has the number ${got}, the pattern the string ${fmt(want)})`;
  if ((want === null && got === "") || (want === "" && got === null)) return ` (null and "" are different values)`;
  return "";
}

function describeNumeric(expression: unknown[]): string {
  const parts: string[] = [];
  for (let i = 0; i + 1 < expression.length; i += 2) parts.push(`${expression[i]} ${expression[i + 1]}`);
  return parts.join(" and ");
}

function displayPath(display: string[]): string {
  return display.join(".");
}

function fmt(value: unknown): string {
  if (value === undefined) return "(missing)";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

// ---------------------------------------------------------------------------------------------
// Event access shared by every walker

function parseEvent(event: EventInput): unknown {
  if (typeof event !== "string") return event;
  try {
    return JSON.parse(event);
  } catch (error) {
    throw new InvalidEventError(`the event is not valid JSON (${(error as Error).message})`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A JSON leaf value; non-finite numbers (never in JSON text) count as no value. */
function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));
}

/** The leaf values at a field: an array is flattened (any element may match); objects are not leaves. */
function leafValues(value: unknown): Scalar[] {
  if (isScalar(value)) return [value];
  if (!Array.isArray(value)) return [];
  const out: Scalar[] = [];
  const visit = (items: unknown[]) => {
    for (const item of items) {
      if (Array.isArray(item)) visit(item);
      else if (isScalar(item)) out.push(item);
    }
  };
  visit(value);
  return out;
}

function objectElements(items: unknown[]): Array<[Record<string, unknown>, string]> {
  const out: Array<[Record<string, unknown>, string]> = [];
  const visit = (list: unknown[], prefix: string) => {
    list.forEach((item, i) => {
      if (Array.isArray(item)) visit(item, `${prefix}[${i}]`);
      else if (isPlainObject(item)) out.push([item, `${prefix}[${i}]`]);
    });
  };
  visit(items, "");
  return out;
}

/**
 * Is there a leaf value anywhere at this path (through every array)? Used by `exists: false`,
 * which Ruler evaluates on the flattened event: a field present in one array element counts as
 * present (our reading of the README's "exists ... only works on the leaf nodes").
 */
function hasLeafAt(value: unknown, path: string[], depth = 0): boolean {
  if (Array.isArray(value)) return value.some((item) => hasLeafAt(item, path, depth));
  if (depth === path.length) return isScalar(value);
  if (!isPlainObject(value) || !Object.hasOwn(value, path[depth])) return false;
  return hasLeafAt(value[path[depth]], path, depth + 1);
}

function joinPath(where: string, key: string): string {
  return where ? `${where}.${key}` : key;
}

function describeType(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array (${fmt(value)})`;
  if (typeof value === "object") return `an object (${fmt(value)})`;
  if (typeof value === "string") return `the string ${fmt(value)}`;
  if (typeof value === "number") return Number.isFinite(value) ? `the number ${value}` : `${value} (not a JSON number)`;
  if (typeof value === "boolean") return `the boolean ${value}`;
  return `a ${typeof value} (not JSON)`;
}

// ---------------------------------------------------------------------------------------------
// Scalars: case folding, numbers, wildcards, IP addresses

function foldCase(s: string): string {
  return s.toLowerCase();
}

/**
 * ComparableNumber.generate: (long) (1e6 * (5e9 + x)). Numbers are equal when they agree to 6
 * digits after the decimal point. JS doubles compute the same product as Java's, so the key is exact.
 */
function comparableNumber(x: number): number {
  return Math.trunc(1e6 * (NUMERIC_LIMIT + x));
}

/** Exact match of numbers: equal as ComparableNumbers, or literally equal outside ±5e9 (account ids). */
function numbersEqual(a: number, b: number): boolean {
  return inNumericRange(a) && inNumericRange(b) ? comparableNumber(a) === comparableNumber(b) : a === b;
}

function inNumericRange(x: number): boolean {
  return x >= -NUMERIC_LIMIT && x <= NUMERIC_LIMIT;
}

function exactEquals(want: Scalar, got: Scalar): boolean {
  if (typeof want === "number") return typeof got === "number" && numbersEqual(want, got);
  return want === got;
}

/**
 * Splits a wildcard value into the literal pieces between unescaped '*', or returns an error:
 * "\*" is a literal asterisk, "\\" a backslash, any other escape and "**" are refused (README,
 * "Wildcard matching"). Tokens: [prefix, middle..., suffix]; one token means no '*'.
 */
export function tokenizeWildcard(value: string): string[] | string {
  const tokens: string[] = [];
  let current = "";
  let lastWasStar = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === "\\") {
      const next = value[i + 1];
      if (next !== "*" && next !== "\\") return `invalid escape at position ${i}: only \\* (an asterisk) and \\\\ (a backslash) may be escaped`;
      current += next;
      i++;
      lastWasStar = false;
    } else if (ch === "*") {
      if (lastWasStar) return `consecutive wildcard characters at position ${i} are not allowed`;
      tokens.push(current);
      current = "";
      lastWasStar = true;
    } else {
      current += ch;
      lastWasStar = false;
    }
  }
  tokens.push(current);
  return tokens;
}

/** '*' matches any run of characters, including none. Greedy leftmost search is exact for '*'-only globs. */
function wildcardMatches(tokens: string[], s: string): boolean {
  if (tokens.length === 1) return s === tokens[0];
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  if (s.length < first.length + last.length || !s.startsWith(first) || !s.endsWith(last)) return false;
  let at = first.length;
  const end = s.length - last.length;
  for (let i = 1; i < tokens.length - 1; i++) {
    const found = s.indexOf(tokens[i], at);
    if (found < 0 || found + tokens[i].length > end) return false;
    at = found + tokens[i].length;
  }
  return true;
}

/** IPv4 blocks compare 32-bit numbers (the common case, kept off BigInt); IPv6 blocks compare BigInts. */
type CidrBlock = {version: 4; network: number; mask: number} | {version: 6; network: bigint; mask: bigint};

function parseCidr(text: string): CidrBlock | null {
  const slash = text.indexOf("/");
  if (slash < 0) return null;
  const address = text.slice(0, slash);
  const bitsText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText)) return null;
  const bits = Number(bitsText);
  if (!address.includes(":")) {
    const ip = parseIpv4(address);
    if (ip === null || bits > 32) return null;
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return {version: 4, network: (ip & mask) >>> 0, mask};
  }
  const ip = parseIpv6(address);
  if (ip === null || bits > 128) return null;
  const all = (1n << 128n) - 1n;
  const mask = bits === 0 ? 0n : (all >> BigInt(128 - bits)) << BigInt(128 - bits);
  return {version: 6, network: ip & mask, mask};
}

function cidrContains(block: CidrBlock, text: string): boolean {
  if (block.version === 4) {
    if (text.includes(":")) return false;
    const ip = parseIpv4(text);
    return ip !== null && ((ip & block.mask) >>> 0) === block.network;
  }
  if (!text.includes(":")) return false;
  const ip = parseIpv6(text);
  return ip !== null && (ip & block.mask) === block.network;
}

function parseIpv4(text: string): number | null {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return null;
      value = value * 256 + part;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      part = part * 10 + (c - 48);
      digits++;
      if (part > 255) return null;
    } else return null;
  }
  if (dots !== 3 || digits === 0) return null;
  return value * 256 + part;
}

function parseIpv6(text: string): bigint | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const groups = (s: string): number[] | null => {
    if (s === "") return [];
    const out: number[] = [];
    const parts = s.split(":");
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (i === parts.length - 1 && part.includes(".")) {
        // An embedded IPv4 tail ("::ffff:10.0.0.1") stands for two groups.
        const v4 = parseIpv4(part);
        if (v4 === null) return null;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) out.push(parseInt(part, 16));
      else return null;
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return null;
  const count = head.length + tail.length;
  if (halves.length === 2 ? count > 7 : count !== 8) return null;
  const all = [...head, ...new Array<number>(8 - count).fill(0), ...tail];
  return all.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}
