// What every walker shares: reading JSON events, naming values in messages, and the scalar rules
// (case folding, ComparableNumber, wildcards, CIDR blocks).

import {InvalidEventError, type CidrBlock, type EventInput, type Scalar} from "./types.js";

/** ComparableNumber: numbers are compared within ±5.0e9, to 6 digits after the decimal point. */
export const NUMERIC_LIMIT = 5e9;

// ---------------------------------------------------------------------------------------------
// Event access

export function parseEvent(event: EventInput): unknown {
  if (typeof event !== "string") return event;
  try {
    return JSON.parse(event);
  } catch (error) {
    throw new InvalidEventError(`the event is not valid JSON (${(error as Error).message})`);
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A JSON leaf value; non-finite numbers (never in JSON text) count as no value. */
export function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));
}

/**
 * Every item of a nested array that is not itself an array, in order, with its index path
 * ("[1][0]"). Iterative, so that an event nested 20,000 arrays deep cannot overflow the stack.
 */
function eachNested(items: unknown[], visit: (item: unknown, path: () => string) => void): void {
  const stack: Array<{items: unknown[]; next: number}> = [{items, next: 0}];
  const path = () => stack.map((frame) => `[${frame.next - 1}]`).join("");
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.next === top.items.length) {
      stack.pop();
      continue;
    }
    const item = top.items[top.next++];
    if (Array.isArray(item)) stack.push({items: item, next: 0});
    else visit(item, path);
  }
}

/** The leaf values at a field: an array is flattened (any element may match); objects are not leaves. */
export function leafValues(value: unknown): Scalar[] {
  if (isScalar(value)) return [value];
  const out: Scalar[] = [];
  if (Array.isArray(value)) eachNested(value, (item) => isScalar(item) && out.push(item));
  return out;
}

/** The objects in an array (nested arrays flattened), each with its index path ("[1][0]"). */
export function objectElements(items: unknown[]): Array<[Record<string, unknown>, string]> {
  const out: Array<[Record<string, unknown>, string]> = [];
  eachNested(items, (item, path) => isPlainObject(item) && out.push([item, path()]));
  return out;
}

export function joinPath(where: string, key: string): string {
  return where ? `${where}.${key}` : key;
}

export function fmt(value: unknown): string {
  if (value === undefined) return "(missing)";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    return Array.isArray(value) ? "[...] (too deeply nested to show)" : "{...} (too deeply nested to show)";
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function describeType(value: unknown): string {
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

export function foldCase(s: string): string {
  return s.toLowerCase();
}

/**
 * ComparableNumber.generate: (long) (1e6 * (5e9 + x)). Numbers are equal when they agree to 6
 * digits after the decimal point. JS doubles compute the same product as Java's, so the key is exact.
 */
export function comparableNumber(x: number): number {
  return Math.trunc(1e6 * (NUMERIC_LIMIT + x));
}

/** Exact match of numbers: equal as ComparableNumbers, or literally equal outside ±5e9 (account ids). */
export function numbersEqual(a: number, b: number): boolean {
  return inNumericRange(a) && inNumericRange(b) ? comparableNumber(a) === comparableNumber(b) : a === b;
}

export function inNumericRange(x: number): boolean {
  return x >= -NUMERIC_LIMIT && x <= NUMERIC_LIMIT;
}

export function exactEquals(want: Scalar, got: Scalar): boolean {
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
export function wildcardMatches(tokens: string[], s: string): boolean {
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

export function parseCidr(text: string): CidrBlock | null {
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

/** The last IPv4 text parsed and its value: a rule set's cidr blocks on one field test the same event value in turn. */
let lastIpv4Text: string | null = null;
let lastIpv4: number | null = null;

export function cidrContains(block: CidrBlock, text: string): boolean {
  if (block.version === 4) {
    if (text.includes(":")) return false;
    if (text !== lastIpv4Text) (lastIpv4Text = text), (lastIpv4 = parseIpv4(text));
    const ip = lastIpv4;
    return ip !== null && ((ip & block.mask) >>> 0) === block.network;
  }
  if (!text.includes(":")) return false;
  const ip = parseIpv6(text);
  return ip !== null && (ip & block.mask) === block.network;
}

export function parseIpv4(text: string): number | null {
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

export function parseIpv6(text: string): bigint | null {
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
