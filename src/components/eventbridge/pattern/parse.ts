// Validation: raw pattern JSON (or text) to the typed tree of types.ts, or InvalidEventPatternError
// with the path of the first problem. Messages follow JsonRuleCompiler.java where it has one.

import {InvalidEventPatternError, OR, type Bound, type Condition, type EventPattern, type LeafNode, type ObjectNode} from "./types.js";
import {describeType, isPlainObject, joinPath, NUMERIC_LIMIT, parseCidr, tokenizeWildcard} from "./values.js";

/** Operators of a match expression (`{"prefix": "us-"}`); also the names `$or` branches may not use. */
const OPERATORS = ["prefix", "suffix", "equals-ignore-case", "wildcard", "anything-but", "numeric", "exists", "cidr"] as const;
type Operator = (typeof OPERATORS)[number];
const OPERATOR_SET: ReadonlySet<string> = new Set(OPERATORS);
const NUMERIC_OPERATORS = ["=", "<", "<=", ">", ">="];

/** Throws InvalidEventPatternError unless `pattern` is a pattern EventBridge accepts. */
export function validatePattern(pattern: unknown): void {
  parsePattern(pattern);
}

export function parsePattern(pattern: unknown): {pattern: EventPattern; tree: ObjectNode} {
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
