// Exchange routing rules: topic patterns, headers matching and a trie for many topic bindings.
// Semantics follow RabbitMQ 3.10 (rabbit_exchange_type_topic / rabbit_exchange_type_headers).

/**
 * The words of a topic key. As RabbitMQ's split_topic_key: the empty key has no words, while
 * every `.` separates words, so "a..b" has an empty middle word and ".a" an empty first one.
 */
export function topicWords(key: string): string[] {
  return key === "" ? [] : key.split(".");
}

/** True when a topic binding key (`*` = exactly one word, `#` = zero or more) matches a routing key. */
export function topicMatches(bindingKey: string, routingKey: string): boolean {
  const pattern = topicWords(bindingKey);
  return matchWords(pattern, 0, topicWords(routingKey), 0, pattern.map(() => Infinity));
}

/** `failedFrom[p]`: the rest of the pattern after the "#" at p matched no key suffix from there on. */
function matchWords(pattern: string[], p: number, words: string[], w: number, failedFrom: number[]): boolean {
  for (;;) {
    if (p === pattern.length) return w === words.length;
    const word = pattern[p];
    if (word === "#") {
      // Collapse "#.#": a run of hashes matches like one hash.
      while (p + 1 < pattern.length && pattern[p + 1] === "#") p++;
      if (p + 1 === pattern.length) return true;
      // Starts tried before are not tried again: "#.a.#.a. ... .#.b" would try every split of the
      // key among its hashes, exponential in their number.
      for (let skip = w; skip <= Math.min(words.length, failedFrom[p] - 1); skip++) if (matchWords(pattern, p + 1, words, skip, failedFrom)) return true;
      failedFrom[p] = Math.min(failedFrom[p], w);
      return false;
    }
    if (w === words.length || (word !== "*" && word !== words[w])) return false;
    p++;
    w++;
  }
}

const X_MATCH_MODES = ["all", "any", "all-with-x", "any-with-x"] as const;
type XMatch = (typeof X_MATCH_MODES)[number];

/** The x-match mode of a headers binding, or an error message in RabbitMQ's words when it is invalid. */
export function xMatchOf(bindingArguments: Record<string, unknown>): XMatch | {error: string} {
  const mode = bindingArguments["x-match"];
  if (mode === undefined) return "all";
  if (typeof mode !== "string") {
    return {error: `Invalid x-match field type ${amqpType(mode)} (value ${String(mode)}); expected longstr`};
  }
  if (!(X_MATCH_MODES as readonly string[]).includes(mode)) {
    return {error: `Invalid x-match field value <<"${mode}">>; expected all, any, all-with-x, or any-with-x`};
  }
  return mode as XMatch;
}

/**
 * The headers exchange rule. `all`: every binding argument is present in the headers with an equal
 * value; `any`: at least one is. Arguments whose name starts with `x-` take part only in the
 * `-with-x` modes (and `x-match` itself never does). An argument without a value (null) only asks
 * that the header be present. With `all`, a binding with no other arguments matches every message.
 * Equality is RabbitMQ 3.10's `==`: 1 equals 1.0 (3.13+ compares types too).
 */
export function headersMatch(bindingArguments: Record<string, unknown>, headers: Record<string, unknown> | undefined): boolean {
  checkTable(bindingArguments, "binding arguments");
  if (headers !== undefined) checkTable(headers, "message headers");
  const mode = xMatchOf(bindingArguments);
  if (typeof mode !== "string") throw new RangeError(mode.error);
  const all = mode === "all" || mode === "all-with-x";
  const withX = mode.endsWith("-with-x");
  const data = headers ?? {};
  for (const key of Object.keys(bindingArguments)) {
    if (key === "x-match" || (!withX && key.startsWith("x-"))) continue;
    const expected = bindingArguments[key];
    const matched = Object.hasOwn(data, key) && data[key] !== undefined && (expected === null || expected === undefined || sameValue(expected, data[key]));
    if (all && !matched) return false;
    if (!all && matched) return true;
  }
  return all;
}

const TABLE_EXAMPLES: Record<string, string> = {
  "binding arguments": `{"x-match": "any", "format": "pdf"}`,
  "message headers": `{"format": "pdf"}`,
  "options.headers": `{"format": "pdf"}`
};

/**
 * Binding arguments and message headers are AMQP field tables: a JS object of names and values.
 * amqplib would quietly encode null, [] or a string as some table; here they are a TypeError
 * that says what was expected.
 */
export function checkTable(value: unknown, what: keyof typeof TABLE_EXAMPLES): Record<string, unknown> {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  const got = value === null ? "null" : Array.isArray(value) ? `an array (${JSON.stringify(value)})` : `${typeof value} ${JSON.stringify(value) ?? String(value)}`;
  throw new TypeError(`${what} must be an object of header names and values (an AMQP table), like ${TABLE_EXAMPLES[what]}; got ${got}`);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The AMQP 0-9-1 field type amqplib gives a JS value, as RabbitMQ names it in error messages. */
export function amqpType(value: unknown): string {
  if (typeof value === "string") return "longstr";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") {
    if (!Number.isInteger(value)) return "double";
    if (value >= -128 && value < 128) return "byte";
    if (value >= -32768 && value < 32768) return "short";
    if (value >= -2147483648 && value < 2147483648) return "signedint";
    return "long";
  }
  if (value === null || value === undefined) return "void";
  if (Array.isArray(value)) return "array";
  return "table";
}

interface TrieNode<D> {
  /**
   * Children by word number (words are interned when bound, so a routing key hashes each word
   * once): an array indexed by the number, a bounds check where a Map would hash again.
   */
  children: Array<TrieNode<D> | undefined> | null;
  star: TrieNode<D> | null;
  hash: TrieNode<D> | null;
  destinations: D[];
  /** The match() call that last collected this node: "#.#" can reach a node by several paths. */
  seen: number;
  /** The match() call that last walked on from this "#" node, and the lowest key word it walked from (it only decreases within a call). */
  walked: number;
  walkedFrom: number;
}

const node = <D>(): TrieNode<D> => ({children: null, star: null, hash: null, destinations: [], seen: 0, walked: 0, walkedFrom: 0});

/** A routing-key word no binding names: it can only match "*" or "#". */
const UNKNOWN = -1;

/**
 * Many topic bindings in a trie of words, as RabbitMQ's topic exchange keeps them: a routing key
 * walks the trie once instead of being tested against every binding key. Words are interned to
 * numbers, and a routing key is split into a reused array of word numbers, so that matching
 * allocates nothing but its result.
 */
export class TopicRouter<D> {
  #root: TrieNode<D> = node();
  #size = 0;
  #matches = 0;
  #words = new WordTable();
  #key: number[] = [];

  /** Bindings held (pairs of binding key and destination). */
  get size(): number {
    return this.#size;
  }

  /** Adds a binding; adding the same (key, destination) twice keeps one, as a broker does. */
  add(bindingKey: string, destination: D): void {
    let at = this.#root;
    for (const word of topicWords(bindingKey)) {
      if (word === "#") at = at.hash ??= node();
      else if (word === "*") at = at.star ??= node();
      else {
        at = (at.children ??= [])[this.#words.add(word)] ??= node();
      }
    }
    if (!at.destinations.includes(destination)) {
      at.destinations.push(destination);
      this.#size++;
    }
  }

  /** Removes a binding; true if it was there. Empty branches stay (they cost a lookup, not a match). */
  remove(bindingKey: string, destination: D): boolean {
    let at: TrieNode<D> | null | undefined = this.#root;
    for (const word of topicWords(bindingKey)) {
      if (!at) return false;
      at = word === "#" ? at.hash : word === "*" ? at.star : at.children?.[this.#words.id(word)];
    }
    const i = at ? at.destinations.indexOf(destination) : -1;
    if (!at || i < 0) return false;
    at.destinations.splice(i, 1);
    this.#size--;
    return true;
  }

  /**
   * The destination of every binding whose key matches the routing key, once per binding (a
   * destination bound by two matching keys comes twice: an exchange delivers one copy anyway).
   * Results are appended to `into` (a fresh array by default), so a hot loop can reuse one array.
   */
  match(routingKey: string, into: D[] = []): D[] {
    const key = this.#key;
    const n = this.#split(routingKey);
    walk(this.#root, key, n, 0, into, ++this.#matches);
    return into;
  }

  /**
   * topicWords, as word numbers in the reused #key array; returns the number of words. Each
   * word is hashed while the key is scanned for dots, never cut out as a string of its own.
   */
  #split(routingKey: string): number {
    if (routingKey === "") return 0;
    const key = this.#key;
    const words = this.#words;
    const length = routingKey.length;
    let n = 0;
    let from = 0;
    let hash = 0;
    for (let i = 0; i <= length; i++) {
      const c = i === length ? DOT : routingKey.charCodeAt(i);
      if (c !== DOT) hash = step(hash, c);
      else {
        key[n++] = words.find(routingKey, from, i, hash);
        from = i + 1;
        hash = 0;
      }
    }
    return n;
  }
}

const DOT = 46;

const step = (hash: number, c: number): number => (Math.imul(hash, 31) + c) | 0;

function hashWord(text: string, from: number, to: number): number {
  let hash = 0;
  for (let i = from; i < to; i++) hash = step(hash, text.charCodeAt(i));
  return hash;
}

/**
 * The words bindings name, numbered, in an open-addressing table keyed by a hash of their
 * characters: a routing key's word is found from its place in the key (compared in place with
 * startsWith), so that matching cuts no strings out of the key.
 */
class WordTable {
  #words: string[] = [];
  #slots = new Int32Array(16); // word number + 1; 0 is empty

  /** The word's number, or UNKNOWN. */
  id(word: string): number {
    return this.find(word, 0, word.length, hashWord(word, 0, word.length));
  }

  /** The word's number, numbering it if it is new. */
  add(word: string): number {
    const found = this.id(word);
    if (found !== UNKNOWN) return found;
    const id = this.#words.push(word) - 1;
    if (this.#words.length * 2 > this.#slots.length) {
      this.#slots = new Int32Array(this.#slots.length * 2);
      this.#words.forEach((w, i) => this.#place(hashWord(w, 0, w.length), i));
    } else this.#place(hashWord(word, 0, word.length), id);
    return id;
  }

  /** The number of the word at text[from, to) whose hash is `hash`, or UNKNOWN. */
  find(text: string, from: number, to: number, hash: number): number {
    const slots = this.#slots;
    const mask = slots.length - 1;
    for (let i = mix(hash) & mask; ; i = (i + 1) & mask) {
      const slot = slots[i];
      if (slot === 0) return UNKNOWN;
      const word = this.#words[slot - 1];
      if (word.length === to - from && text.startsWith(word, from)) return slot - 1;
    }
  }

  #place(hash: number, id: number): void {
    const mask = this.#slots.length - 1;
    let i = mix(hash) & mask;
    while (this.#slots[i] !== 0) i = (i + 1) & mask;
    this.#slots[i] = id + 1;
  }
}

/** Spreads a hash's high bits into the low ones the table's mask keeps. */
const mix = (hash: number): number => hash ^ (hash >>> 15) ^ (hash >>> 7);

function walk<D>(at: TrieNode<D>, key: number[], n: number, i: number, out: D[], call: number): void {
  for (;;) {
    const hash = at.hash;
    if (hash !== null) {
      // A trailing "#" (nothing bound below it) matches whatever is left: collect it once
      // instead of trying every remaining length.
      if (hash.children === null && hash.star === null && hash.hash === null) collect(hash, out, call);
      else {
        // A "#" node walked on from word k in this call has collected all it can from k on: only
        // earlier words are new ("#.a.#.a. ... .#.b" would otherwise walk every split of the key).
        const to = hash.walked === call ? hash.walkedFrom - 1 : n;
        if (i <= to) {
          hash.walked = call;
          hash.walkedFrom = i;
          for (let j = i; j <= to; j++) walk(hash, key, n, j, out, call);
        }
      }
    }
    if (i === n) return collect(at, out, call);
    const word = key[i];
    const next = at.children === null || word === UNKNOWN ? undefined : at.children[word];
    const star = at.star;
    // Follow the word's child by recursion and "*" by the loop (the usual case has one of them).
    if (next === undefined) {
      if (star === null) return;
      at = star;
    } else {
      if (star !== null) walk(star, key, n, i + 1, out, call);
      at = next;
    }
    i++;
  }
}

function collect<D>(at: TrieNode<D>, out: D[], call: number): void {
  const destinations = at.destinations;
  const n = destinations.length;
  if (n === 0 || at.seen === call) return;
  at.seen = call;
  out.push(destinations[0]);
  for (let i = 1; i < n; i++) out.push(destinations[i]);
}
