// The compiler: parse once, then closures with the work done up front (sets of exact values,
// lower-cased operands, tokenised wildcards, parsed CIDR blocks, numeric bounds).

import {parsePattern} from "./parse.js";
import type {Condition, EventInput, EventMatcher, LeafNode, ObjectNode, Scalar} from "./types.js";
import {cidrContains, comparableNumber, foldCase, inNumericRange, isPlainObject, isScalar, leafValues, NUMERIC_LIMIT, parseEvent, wildcardMatches} from "./values.js";

type ValueMatcher = (value: unknown) => boolean;

/** Validates `pattern` once and returns a fast matcher for repeated use. */
export function compilePattern(pattern: unknown): EventMatcher {
  const parsed = parsePattern(pattern);
  const match = compileDescend(parsed.tree);
  const matcher = ((event: EventInput) => {
    return match(parseEvent(event));
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
    for (const i of unindexed) if (matchers[i](root)) out.push(i);
    if (!isPlainObject(root)) return out;
    const seen = new Set<number>();
    for (const [field, byValue] of fields) {
      if (!Object.hasOwn(root, field)) continue;
      for (const value of leafValues(root[field])) {
        if (typeof value !== "string") continue;
        for (const i of byValue.get(value) ?? []) {
          if (!seen.has(i) && matchers[i](root)) out.push(i);
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

/** The matcher of one parsed pattern (the rule machine verifies with it where arrays of objects make counting ambiguous). */
export function compileDescend(node: ObjectNode): ValueMatcher {
  const object = compileObject(node);
  return (value) => {
    if (!Array.isArray(value)) return object(value);
    let sawObject = false;
    const stack: unknown[] = [value];
    while (stack.length > 0) {
      const item = stack.pop();
      if (Array.isArray(item)) for (let i = item.length - 1; i >= 0; i--) stack.push(item[i]);
      else if (isPlainObject(item)) {
        sawObject = true;
        if (object(item)) return true;
      }
    }
    return !sawObject && object(undefined);
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
  return (value) => {
    const object = isPlainObject(value) ? value : undefined;
    for (let i = 0; i < n; i++) {
      const key = keys[i];
      const child = object === undefined ? undefined : inherited[i] && !Object.hasOwn(object, key) ? undefined : object[key];
      if (!children[i](child)) return false;
    }
    if (branches) {
      for (const branch of branches) if (branch(value)) return true;
      return false;
    }
    return true;
  };
}

function compileLeaf(node: LeafNode): ValueMatcher {
  const {test, existsTrue, existsFalse} = compileLeafTest(node.conditions);
  return (value) => {
    if (isScalar(value)) return test(value) || existsTrue;
    const values = leafValues(value);
    for (let i = 0; i < values.length; i++) if (test(values[i])) return true;
    if (values.length > 0) return existsTrue;
    return existsFalse;
  };
}

/**
 * A leaf's conditions as one test of a scalar value (any condition may accept it) and its
 * `exists` conditions; shared with the rule machine, which tests the values it collected.
 */
export function compileLeafTest(conditions: Condition[]): {test: (v: Scalar) => boolean; existsTrue: boolean; existsFalse: boolean} {
  const strings = new Set<string>();
  const numbers = new Set<number>(); // ComparableNumber keys of numbers within ±5e9
  const bigNumbers = new Set<number>(); // numbers outside it, matched literally (account ids)
  let matchNull = false;
  let matchTrue = false;
  let matchFalse = false;
  let existsTrue = false;
  let existsFalse = false;
  const predicates: Array<(v: Scalar) => boolean> = [];
  for (const c of conditions) {
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
  // One exact string (the usual "source": ["my.app"]) is a comparison, not a hash lookup; one
  // predicate and nothing else (the usual single operator) is called directly.
  const only = strings.size === 1 ? [...strings][0] : null;
  const exactless = strings.size === 0 && numbers.size === 0 && bigNumbers.size === 0 && !matchNull && !matchTrue && !matchFalse;
  if (exactless && predicates.length === 1) return {test: predicates[0], existsTrue, existsFalse};
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
  return {test, existsTrue, existsFalse};
}

/** One condition as a predicate on one scalar (the rule machine's fallback for the rarer operators). */
export function compileCondition(c: Exclude<Condition, {op: "exact" | "exists"}>): (v: Scalar) => boolean {
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
      const prefixes = c.values;
      if (prefixes.length === 1) {
        const p = prefixes[0];
        return (v) => typeof v !== "string" || !v.startsWith(p);
      }
      return (v) => typeof v !== "string" || !prefixes.some((p) => v.startsWith(p));
    }
    case "suffix": {
      const suffixes = c.values;
      if (suffixes.length === 1) {
        const s = suffixes[0];
        return (v) => typeof v !== "string" || !v.endsWith(s);
      }
      return (v) => typeof v !== "string" || !suffixes.some((s) => v.endsWith(s));
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
