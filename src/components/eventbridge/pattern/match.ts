// The interpreter: walks the raw pattern JSON for every event. Slow but direct; explain.ts runs it
// with a context that records one row per field, and the property tests hold compile.ts to it.

import {OR, type EventInput, type EventPattern, type FieldExplanation, type Scalar} from "./types.js";
import {isOrRelationship, parsePattern} from "./parse.js";
import {comparableNumber, cidrContains, exactEquals, foldCase, isPlainObject, leafValues, numbersEqual, NUMERIC_LIMIT, objectElements, parseCidr, parseEvent, tokenizeWildcard, wildcardMatches} from "./values.js";

interface MatchOptions {
  /**
   * Skip validation: only for a pattern `validatePattern` has accepted (benchmarks, hot loops).
   * An invalid pattern then gives an unspecified answer instead of an error.
   */
  trusted?: boolean;
}

/** Does `event` match `pattern`? Throws InvalidEventPatternError for an invalid pattern. */
export function matchesPattern(pattern: unknown, event: EventInput, options: MatchOptions = {}): boolean {
  const raw = options.trusted ? (typeof pattern === "string" ? (JSON.parse(pattern) as EventPattern) : (pattern as EventPattern)) : parsePattern(pattern).pattern;
  return interpretDescend(raw, parseEvent(event), [], null);
}

export interface ExplainContext {
  rows: FieldExplanation[];
  /** Display path (with [i] for chosen array elements). */
  display: string[];
  branch: string;
  /** Makes the row of one leaf (explain.ts). */
  leafRow: LeafRow;
}

type LeafRow = (conditions: unknown[], value: unknown, values: Scalar[], matchedBy: {condition: unknown; value: unknown} | null, path: string[], ctx: ExplainContext) => FieldExplanation;

export function displayPath(display: string[]): string {
  return display.join(".");
}

/**
 * Descend into an object pattern from an event value. An array of objects means "one element
 * satisfies every field of the pattern" (event-ruler README, "JSON Array Matching": no match may use
 * fields from different elements of one array), `exists: false` included.
 */
export function interpretDescend(pattern: EventPattern, value: unknown, path: string[], ctx: ExplainContext | null): boolean {
  if (!Array.isArray(value)) return interpretObject(pattern, value, path, ctx);
  const elements = objectElements(value);
  if (elements.length === 0) return interpretObject(pattern, undefined, path, ctx);
  if (!ctx) return elements.some(([element]) => interpretObject(pattern, element, path, null));
  // Explain the first element that matches, or else the one that comes closest.
  let best = -1;
  let bestScore = -1;
  for (let i = 0; i < elements.length; i++) {
    const rows: FieldExplanation[] = [];
    const ok = interpretObject(pattern, elements[i][0], path, {...ctx, rows, display: []});
    const score = ok ? Infinity : rows.filter((r) => r.matched).length;
    if (score > bestScore) (best = i), (bestScore = score);
    if (ok) break;
  }
  const [element, index] = elements[best];
  const display = ctx.display.length > 0 ? [...ctx.display.slice(0, -1), ctx.display[ctx.display.length - 1] + index] : [index];
  return interpretObject(pattern, element, path, {...ctx, display});
}

function interpretObject(pattern: EventPattern, value: unknown, path: string[], ctx: ExplainContext | null): boolean {
  const object = isPlainObject(value) ? value : undefined;
  let all = true;
  for (const key of Object.keys(pattern)) {
    const sub = pattern[key];
    if (key === OR && isOrRelationship(sub)) continue;
    const child = object && Object.hasOwn(object, key) ? object[key] : undefined;
    const childPath = [...path, key];
    const childCtx = ctx && {...ctx, display: [...ctx.display, key]};
    const ok = Array.isArray(sub)
      ? interpretLeaf(sub, child, childPath, childCtx)
      : interpretDescend(sub as EventPattern, child, childPath, childCtx);
    if (!ok) {
      all = false;
      if (!ctx) return false;
    }
  }
  const branches = pattern[OR];
  if (Array.isArray(branches) && isOrRelationship(branches)) {
    const winners: number[] = [];
    for (let i = 0; i < branches.length; i++) {
      const branchCtx = ctx && {...ctx, branch: ctx.branch ? `${ctx.branch} › $or[${i}]` : `$or[${i}]`};
      if (interpretObject(branches[i] as EventPattern, value, path, branchCtx)) {
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

function interpretLeaf(conditions: unknown[], value: unknown, path: string[], ctx: ExplainContext | null): boolean {
  const values = leafValues(value);
  let matchedBy: {condition: unknown; value: unknown} | null = null;
  for (const condition of conditions) {
    if (isPlainObject(condition) && Object.hasOwn(condition, "exists")) {
      const ok = condition.exists === true ? values.length > 0 : values.length === 0;
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
  if (ctx) ctx.rows.push(ctx.leafRow(conditions, value, values, matchedBy, path, ctx));
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
  const list = (typeof inner === "string" ? [inner] : inner) as string[];
  if (kind === "prefix") return list.some((p) => v.startsWith(p));
  if (kind === "suffix") return list.some((s) => v.endsWith(s));
  if (kind === "equals-ignore-case") return list.some((x) => foldCase(x) === foldCase(v));
  return list.some((w) => wildcardMatches(tokenizeWildcard(w) as string[], v));
}

/** anything-but excludes only equal strings, or numbers equal as ComparableNumbers. */
function excludedValue(x: string | number, v: Scalar): boolean {
  if (typeof x === "string") return v === x;
  return typeof v === "number" && numbersEqual(x, v);
}
