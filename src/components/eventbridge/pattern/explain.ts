// "Why didn't my rule match?": the interpreter run with a context that records, for every field
// of the pattern, what the event holds there and which condition matched or why none did.

import {displayPath, interpretDescend, type ExplainContext} from "./match.js";
import {parsePattern} from "./parse.js";
import type {EventInput, FieldExplanation, MatchExplanation, Scalar} from "./types.js";
import {describeType, fmt, foldCase, isPlainObject, NUMERIC_LIMIT, parseEvent, parseIpv4, parseIpv6} from "./values.js";

/** Field by field: which condition matched or failed for `event`, and why. */
export function explainMatch(pattern: unknown, event: EventInput): MatchExplanation {
  const raw = parsePattern(pattern).pattern;
  const fields: FieldExplanation[] = [];
  const matched = interpretDescend(raw, parseEvent(event), [], {rows: fields, display: [], branch: "", leafRow: explainLeafRow});
  const failed = fields.filter((f) => !f.matched && !f.branch);
  const summary = matched
    ? `The event matches: every field of the pattern is satisfied.`
    : failed.length > 0
      ? `The event does not match: ${failed.map((f) => (f.condition.startsWith("$or") ? `the $or at ${f.path}` : f.path)).join(", ")} ${failed.length === 1 ? "fails" : "fail"} (every field must match).`
      : `The event does not match.`;
  return {matched, summary, fields};
}

function explainLeafRow(
  conditions: unknown[],
  value: unknown,
  values: Scalar[],
  matchedBy: {condition: unknown; value: unknown} | null,
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
    reason = !present
      ? `the event has no field "${dotted}"`
      : Array.isArray(value)
        ? `the event's "${dotted}" is ${value.length === 0 ? "an empty array" : "an array of objects"}, so there is no value to compare`
        : isPlainObject(value)
          ? `the event's "${dotted}" is an object; patterns compare leaf values only, so nest the pattern to look inside it`
          : `the event's "${dotted}" holds no JSON value`;
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


