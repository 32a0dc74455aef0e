// What crosses from the worker to the page: postMessage copies with the structured-clone
// algorithm (HTML §2.7), which refuses functions and drops class prototypes. So results are first
// reduced to plain data, and console arguments to text. Pure: unit-tested in Node.

const MAX_DEPTH = 8;
const MAX_ITEMS = 10_000;
const MAX_NOTES = 20;

const count = (n: number) => n.toLocaleString("en-US");
const note = (cut: string[], text: string) => void (cut.length < MAX_NOTES && !cut.includes(text) && cut.push(text));

/**
 * Plain, structured-clone-safe data for a value: records stay records (so arrays of them can be
 * drawn as a table), Maps become objects (or entry pairs when keys are not strings), Sets become
 * arrays, class instances keep their own enumerable fields, functions become their name, cycles
 * become "[Circular]". Bytes, Dates and bigints clone as they are. What is cut (items past
 * MAX_ITEMS, levels past MAX_DEPTH) is said in words in `cut`.
 */
export function toCloneable(value: unknown, depth = 0, seen = new Set<object>(), cut: string[] = []): unknown {
  if (typeof value === "function") return `ƒ ${value.name || "anonymous"}()`;
  if (typeof value === "symbol") return value.toString();
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Date || ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof RegExp) return value;
  if (seen.has(value)) return "[Circular]";
  if (depth >= MAX_DEPTH) {
    note(cut, `levels nested deeper than ${MAX_DEPTH} are shown as [Object] or [Array(n)]`);
    return Array.isArray(value) ? `[Array(${value.length})]` : "[Object]";
  }
  seen.add(value);
  try {
    const next = (v: unknown) => toCloneable(v, depth + 1, seen, cut);
    const first = <T>(items: T[], what: string): T[] => {
      if (items.length > MAX_ITEMS) note(cut, `showing ${count(MAX_ITEMS)} of ${count(items.length)} ${depth === 0 ? what : `${what} of a nested value`}`);
      return items.slice(0, MAX_ITEMS);
    };
    if (value instanceof Error) return {name: value.name, message: value.message};
    if (Array.isArray(value) || value instanceof Set) return first(Array.from(value), depth === 0 && Array.isArray(value) ? "rows" : "items").map(next);
    if (value instanceof Map) {
      const entries = first(Array.from(value), "entries");
      return entries.every(([k]) => typeof k === "string") ? Object.fromEntries(entries.map(([k, v]) => [k, next(v)])) : entries.map(([k, v]) => [next(k), next(v)]);
    }
    const record: Record<string, unknown> = {};
    for (const key of first(Object.keys(value), "keys")) record[key] = next((value as Record<string, unknown>)[key]);
    return record;
  } finally {
    seen.delete(value);
  }
}

/** One console argument as text, like a browser console prints it (compact JSON for data). */
export function inspect(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "bigint") return `${value}n`;
  if (value === undefined || typeof value !== "object" || value === null) return String(toCloneable(value));
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    const hex = Array.from(bytes.subarray(0, 64), (b) => b.toString(16).padStart(2, "0")).join(" ");
    return `<${value.constructor.name} ${hex}${bytes.length > 64 ? " …" : ""}>`;
  }
  return JSON.stringify(toCloneable(value), (_key, v: unknown) => (typeof v === "bigint" ? `${v}n` : v === undefined ? "undefined" : v));
}
