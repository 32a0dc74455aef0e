// Validation: raw pattern JSON (or text) to the typed tree of types.ts, or InvalidEventPatternError
// with the path of the first problem. Messages follow JsonRuleCompiler.java where it has one.

import {InvalidEventPatternError, OR, type Bound, type Condition, type EventPattern, type LeafNode, type ObjectNode} from "./types.js";
import {describeType, isPlainObject, joinPath, NUMERIC_LIMIT, parseCidr, tokenizeWildcard} from "./values.js";
import {MAX_COMPLEXITY, wildcardComplexity} from "./complexity.js";

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
  checkDepth(raw);
  const tree = parseObject(raw, [], "", false);
  checkComplexity(tree);
  return {pattern: raw, tree};
}

/**
 * event-ruler parses rules with Jackson, whose StreamReadConstraints refuse a document nested
 * deeper than 1,000 levels (DEFAULT_MAX_DEPTH). Checked without recursion, before the recursive
 * walkers see the pattern, so that a deep pattern gets this message and not a stack overflow.
 */
export const MAX_DEPTH = 1000;

function checkDepth(raw: unknown): void {
  const stack: Array<[unknown, number]> = [[raw, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== "object" || value === null) continue;
    if (depth > MAX_DEPTH) {
      throw new InvalidEventPatternError(`the pattern is nested deeper than ${MAX_DEPTH} levels (objects and arrays inside one another); event-ruler's JSON parser refuses deeper documents`, "");
    }
    for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push([child, depth + 1]);
  }
}

/** "Rule is too complex" (event-ruler README, "Matching with a Machine"): the wildcards of one field, $or branches included. */
function checkComplexity(tree: ObjectNode): void {
  const wildcards = new Map<string, string[]>();
  const visit = (node: ObjectNode): void => {
    for (const {node: child} of node.fields) {
      if (child.kind === "object") {
        visit(child);
        continue;
      }
      for (const c of child.conditions) {
        const values = c.op === "wildcard" ? [c.value] : c.op === "anything-but" && c.kind === "wildcard" ? c.values : [];
        if (values.length === 0) continue;
        // Ruler names a field by its dotted path, so one machine holds every pattern on it.
        const field = child.path.join(".");
        wildcards.set(field, [...(wildcards.get(field) ?? []), ...values]);
      }
    }
    for (const branch of node.or ?? []) visit(branch);
  };
  visit(tree);
  for (const [field, values] of wildcards) {
    const complexity = wildcardComplexity(values, MAX_COMPLEXITY);
    if (complexity > MAX_COMPLEXITY) {
      throw new InvalidEventPatternError(
        `Rule is too complex: the wildcards on "${field}" have a complexity over ${MAX_COMPLEXITY} (one value could be matching more than ${MAX_COMPLEXITY} wildcard prefixes at once); use fewer wildcard characters, or fewer repeated characters after a wildcard`,
        field
      );
    }
  }
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
      if (isOrRelationship(value)) {
        node.or = parseOr(value, path, at);
        continue;
      }
      // Not an OR: event-ruler falls back to its legacy compiler, which reads "$or" as an ordinary
      // field name (README, "The backward compatibility of using "$or" as field name in the rule";
      // src/test/data/normalRulesWithOrWording.json). If it is not a valid field either, the $or
      // error is the helpful one.
      try {
        node.fields.push({key, node: parseField(key, value, [...path, key], at, insideOr)});
      } catch (error) {
        if (error instanceof InvalidEventPatternError) parseOr(value, path, at);
        throw error;
      }
      continue;
    }
    // Inside $or an operator name as a field is almost surely a misplaced operator (README, "$or").
    if (insideOr && OPERATOR_SET.has(key)) {
      throw new InvalidEventPatternError(`"${key}" is an operator and cannot be used as a field name inside $or; put it in a match expression like {"field": [{"${key}": ...}]}`, at);
    }
    node.fields.push({key, node: parseField(key, value, [...path, key], at, insideOr)});
  }
  return node;
}

function parseField(key: string, value: unknown, path: string[], where: string, insideOr: boolean): LeafNode | ObjectNode {
  if (Array.isArray(value)) return parseLeaf(value, path, where);
  if (isPlainObject(value)) return parseObject(value, path, where, insideOr);
  throw new InvalidEventPatternError(
    `the value of "${key}" must be an array of values to match (like ${JSON.stringify({[key]: [value ?? null]})}) or an object of nested fields, got ${describeType(value)}`,
    where
  );
}

/**
 * Ruler reads "$or" as an OR only when its value is an array of at least 2 objects, none of which
 * uses an operator name as a field name, at any depth (README, "The "$or" Primitive"). The
 * interpreter asks too, so the answer for an array is kept.
 */
const orRelationships = new WeakMap<object, boolean>();

export function isOrRelationship(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  let answer = orRelationships.get(value);
  if (answer === undefined) {
    answer = value.length >= 2 && value.every((branch) => isPlainObject(branch) && !usesOperatorName(branch));
    orRelationships.set(value, answer);
  }
  return answer;
}

function usesOperatorName(object: Record<string, unknown>): boolean {
  return Object.entries(object).some(([key, value]) => {
    if (key === OR && Array.isArray(value)) return value.some((branch) => isPlainObject(branch) && usesOperatorName(branch));
    return OPERATOR_SET.has(key) || (isPlainObject(value) && usesOperatorName(value));
  });
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

// The messages start with JsonRuleCompiler's own wording (processAnythingBut*MatchExpression).
function parseAnythingBut(value: unknown, where: string): Condition {
  if (typeof value === "string") return {op: "anything-but", kind: "values", values: [value]};
  if (typeof value === "number") return {op: "anything-but", kind: "values", values: [requireNumericLimit(value, where)]};
  if (Array.isArray(value)) {
    if (value.length === 0) throw new InvalidEventPatternError("anything-but needs at least one value", where);
    const strings = value.every((v) => typeof v === "string");
    const numbers = value.every((v) => typeof v === "number");
    if (!strings && !numbers) {
      const scalarsOnly = value.every((v) => typeof v === "string" || typeof v === "number");
      const ruler = scalarsOnly ? "Inside anything but list, either all values are number or string, mixed type is not supported" : "Inside anything but list, start|null|boolean is not supported";
      throw new InvalidEventPatternError(`${ruler}: an anything-but list holds only strings or only numbers (not null, booleans, objects or a mix), got ${JSON.stringify(value)}`, where);
    }
    if (numbers) value.forEach((v, i) => requireNumericLimit(v as number, `${where}[${i}]`));
    return {op: "anything-but", kind: "values", values: value as Array<string | number>};
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    const allowed = ["prefix", "suffix", "equals-ignore-case", "wildcard"];
    if (keys.length !== 1 || !allowed.includes(keys[0])) {
      const unsupported = keys.find((k) => !allowed.includes(k));
      throw new InvalidEventPatternError(
        `${unsupported ? `Unsupported anything-but pattern: ${unsupported}; ` : ""}anything-but takes a value, a list, or one of {"prefix": ...}, {"suffix": ...}, {"equals-ignore-case": ...}, {"wildcard": ...}; got keys ${keys.join(", ") || "(none)"}`,
        where
      );
    }
    const kind = keys[0] as "prefix" | "suffix" | "equals-ignore-case" | "wildcard";
    const inner = value[kind];
    const at = joinPath(where, kind);
    // Each of the four takes one string or a list of them (ACMachineTest.java, testAnythingButPrefixSet).
    const many = Array.isArray(inner);
    const list: unknown[] = many ? (inner as unknown[]) : [inner];
    if (list.length === 0) throw new InvalidEventPatternError(`anything-but ${kind} needs at least one string`, at);
    const values = list.map((v, i) => {
      const atValue = many ? `${at}[${i}]` : at;
      if (typeof v !== "string") {
        const ruler =
          kind === "equals-ignore-case" ? "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported" : kind === "wildcard" ? "wildcard match pattern must be a string" : "prefix/suffix match pattern must be a string";
        throw new InvalidEventPatternError(`${ruler}: anything-but ${kind} takes a string or a list of strings, got ${describeType(v)}`, atValue);
      }
      if ((kind === "prefix" || kind === "suffix") && v === "") throw new InvalidEventPatternError(`Null prefix/suffix not allowed: anything-but ${kind} cannot be empty`, atValue);
      return v;
    });
    if (kind !== "wildcard") return {op: "anything-but", kind, values};
    return {op: "anything-but", kind, values, tokens: values.map((w, i) => tokenizeWildcardOrThrow(w, many ? `${at}[${i}]` : at))};
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
