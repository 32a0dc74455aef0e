import {describe, expect, it} from "vitest";
import fc from "fast-check";
import {headersMatch, topicMatches, topicWords, TopicRouter, xMatchOf} from "../../src/components/rabbitmq/routing.js";

describe("topicMatches", () => {
  it.each([
    ["a.*.c", "a.b.c", true],
    ["a.*.c", "a.c", false],
    ["a.#.c", "a.c", true],
    ["a.#.c", "a.b.b.c", true],
    ["#", "", true],
    ["#", "a.b", true],
    ["*", "", false], // the empty key has no words
    ["*", ".", false], // "." is two empty words
    ["*.*", ".", true],
    ["", "", true],
    ["", "a", false],
    ["a.", "a.", true],
    ["a.*", "a.", true], // an empty word is a word
    [".a", "a", false],
    ["#.#", "", true],
    ["#.#", "a.b.c", true],
    ["a.#.#.b", "a.b", true],
    ["*.#.*", "a", false],
    ["*.#.*", "a.b", true],
    ["#.a", "b.a.a", true],
    ["a..b", "a..b", true],
    ["a..b", "a.b", false]
  ])("%j matches %j: %s", (binding, key, expected) => {
    expect(topicMatches(binding, key)).toBe(expected);
  });

  it("splits like RabbitMQ's split_topic_key", () => {
    expect(topicWords("")).toEqual([]);
    expect(topicWords(".")).toEqual(["", ""]);
    expect(topicWords("a..b")).toEqual(["a", "", "b"]);
  });
});

/**
 * The reference: RabbitMQ's topic semantics as a table over (binding word, key word) positions,
 * with nothing remembered between calls, so that the memoised topicMatches and TopicRouter are
 * checked against something other than each other. Words split as split_topic_key does: the empty
 * key has none, and "a..b" has an empty one.
 */
function referenceMatches(bindingKey: string, routingKey: string): boolean {
  const split = (k: string) => (k === "" ? [] : k.split("."));
  const pattern = split(bindingKey);
  const words = split(routingKey);
  // rest[w]: pattern[p..] matches words[w..], filled from the last pattern word back.
  let rest = words.map(() => false).concat(true);
  for (let p = pattern.length - 1; p >= 0; p--) {
    const next: boolean[] = [];
    for (let w = words.length; w >= 0; w--) {
      if (pattern[p] === "#") next[w] = rest[w] || (w < words.length && next[w + 1]);
      else next[w] = w < words.length && (pattern[p] === "*" || pattern[p] === words[w]) && rest[w + 1];
    }
    rest = next;
  }
  return rest[0];
}

describe("topicMatches and TopicRouter against an unmemoised reference", () => {
  it("the reference agrees with the table of cases above", () => {
    expect(referenceMatches("a.#.c", "a.b.b.c")).toBe(true);
    expect(referenceMatches("*.#.*", "a")).toBe(false);
    expect(referenceMatches("a..b", "a.b")).toBe(false);
    expect(referenceMatches("*", "")).toBe(false);
    expect(referenceMatches("#.#", "")).toBe(true);
  });

  it("both agree with the reference over keys of a few words, many of them '#' and '*' (1,000 runs)", () => {
    // Few letters, so literal words often agree; many wildcards, so a key can be split many ways.
    const bindingWord = fc.oneof({weight: 3, arbitrary: fc.constant("#")}, {weight: 2, arbitrary: fc.constant("*")}, {weight: 3, arbitrary: fc.constantFrom("a", "b", "")});
    const bindingKey = fc.array(bindingWord, {maxLength: 7}).map((w) => w.join("."));
    // A routing key's "*" and "#" are plain words.
    const routingKey = fc.array(fc.constantFrom("a", "b", "", "a", "b", "*", "#"), {maxLength: 7}).map((w) => w.join("."));
    let matched = 0;
    let missed = 0;
    fc.assert(
      fc.property(fc.array(bindingKey, {minLength: 1, maxLength: 10}), fc.array(routingKey, {minLength: 1, maxLength: 4}), (bindingKeys, routingKeys) => {
        const router = new TopicRouter<number>();
        bindingKeys.forEach((k, i) => router.add(k, i));
        for (const key of routingKeys) {
          const expected = bindingKeys.flatMap((k, i) => (referenceMatches(k, key) ? [i] : []));
          matched += expected.length;
          missed += bindingKeys.length - expected.length;
          for (const [i, k] of bindingKeys.entries()) expect(topicMatches(k, key), `${JSON.stringify(k)} against ${JSON.stringify(key)}`).toBe(expected.includes(i));
          expect(router.match(key).sort((a, b) => a - b)).toEqual(expected);
        }
      }),
      {numRuns: 1000}
    );
    // Typically some 2,800 matches among 13,000 binding-key pairs: both outcomes, many times over.
    expect(matched).toBeGreaterThan(1000);
    expect(missed).toBeGreaterThan(1000);
  });
});

const word = fc.constantFrom("a", "b", "", "*", "#");
const key = fc.array(word, {maxLength: 5}).map((w) => w.join("."));

describe("TopicRouter", () => {
  it("agrees with topicMatches for any bindings and routing key (1,000 runs)", () => {
    fc.assert(
      fc.property(fc.array(key, {maxLength: 12}), key, (bindingKeys, routingKey) => {
        const router = new TopicRouter<number>();
        bindingKeys.forEach((k, i) => router.add(k, i));
        const expected = bindingKeys.flatMap((k, i) => (topicMatches(k, routingKey) ? [i] : []));
        expect(router.match(routingKey).sort((a, b) => a - b)).toEqual(expected);
      }),
      {numRuns: 1000}
    );
  });

  it("agrees with topicMatches over many words, the router's word table growing as they are bound (500 runs)", () => {
    // Dozens of words (some alike: "ab"/"ba", "a"/"aa"; "Aa", "BB" and their pairs share one hash), and
    // routing keys with words no binding names.
    const alike = ["Aa", "BB", "AaAa", "BBBB", "AaBB", "BBAa"];
    const many = fc.constantFrom(...Array.from({length: 60}, (_, i) => ["a", "b", "ab", "ba", "aa", "w"][i % 6] + (i < 6 ? "" : String(i))), ...alike, "*", "#", "");
    const manyKey = fc.array(many, {maxLength: 5}).map((w) => w.join("."));
    fc.assert(
      fc.property(fc.array(manyKey, {maxLength: 40}), fc.array(manyKey, {minLength: 1, maxLength: 5}), (bindingKeys, routingKeys) => {
        const router = new TopicRouter<number>();
        bindingKeys.forEach((k, i) => router.add(k, i));
        for (const routingKey of routingKeys) {
          const expected = bindingKeys.flatMap((k, i) => (topicMatches(k, routingKey) ? [i] : []));
          expect(router.match(routingKey).sort((a, b) => a - b)).toEqual(expected);
        }
        if (bindingKeys.length > 0) {
          expect(router.remove(bindingKeys[0], 0)).toBe(true);
          expect(router.match(routingKeys[0])).not.toContain(0);
        }
      }),
      {numRuns: 500}
    );
  });

  it("gives each matching binding once, and removes bindings", () => {
    const router = new TopicRouter<string>();
    router.add("#", "q");
    router.add("a.*", "q");
    router.add("a.*", "q");
    router.add("#.#", "r");
    expect(router.size).toBe(3);
    expect(router.match("a.b").sort()).toEqual(["q", "q", "r"]); // "#.#" reaches its node by many paths: once
    expect(router.remove("#", "q")).toBe(true);
    expect(router.remove("#", "q")).toBe(false);
    expect(router.match("a")).toEqual(["r"]);
  });

  it("a binding of many '#' between words matches in time linear in its hashes, not exponential (11.3's bindings box)", () => {
    // "#.a.#.a. ... .#.b" against 60 a's tried every split of the key among the hashes: 8 hashes took 36 s, 20 never ended.
    const binding = `${Array.from({length: 20}, () => "#.a").join(".")}.b`;
    const key = Array.from({length: 60}, () => "a").join(".");
    const router = new TopicRouter<string>();
    router.add(binding, "q");
    router.add(`${binding.slice(0, -2)}.#`, "r");
    const start = performance.now();
    expect(router.match(key)).toEqual(["r"]);
    expect(topicMatches(binding, key)).toBe(false);
    expect(topicMatches(binding, `${key}.b`)).toBe(true);
    expect(performance.now() - start).toBeLessThan(500);
  });
});

describe("headersMatch", () => {
  it("x-match all (the default) needs every non-x argument", () => {
    expect(headersMatch({a: 1, b: "x"}, {a: 1, b: "x", c: 3})).toBe(true);
    expect(headersMatch({a: 1, b: "x"}, {a: 1})).toBe(false);
    expect(headersMatch({"x-match": "all", a: 1}, {a: 2})).toBe(false);
  });

  it("x-match any needs one", () => {
    expect(headersMatch({"x-match": "any", a: 1, b: 2}, {b: 2})).toBe(true);
    expect(headersMatch({"x-match": "any", a: 1}, {})).toBe(false);
    expect(headersMatch({"x-match": "any"}, {a: 1})).toBe(false); // nothing to match
  });

  it("all with no arguments matches every message, even one without headers", () => {
    expect(headersMatch({}, undefined)).toBe(true);
    expect(headersMatch({"x-match": "all", "x-k": 1}, {})).toBe(true);
  });

  it("ignores x- arguments except in the -with-x modes", () => {
    expect(headersMatch({"x-match": "all", "x-k": 1, a: 1}, {a: 1})).toBe(true);
    expect(headersMatch({"x-match": "all-with-x", "x-k": 1, a: 1}, {a: 1})).toBe(false);
    expect(headersMatch({"x-match": "any-with-x", "x-k": 1}, {"x-k": 1})).toBe(true);
  });

  it("an argument without a value only asks for the header to be present", () => {
    expect(headersMatch({a: null}, {a: "anything"})).toBe(true);
    expect(headersMatch({a: null}, {b: 1})).toBe(false);
  });

  it("compares values as RabbitMQ 3.10 does: 1 == 1.0, but 1 != '1' != true", () => {
    expect(headersMatch({a: 1}, {a: 1.0})).toBe(true);
    expect(headersMatch({a: 1}, {a: "1"})).toBe(false);
    expect(headersMatch({a: 1}, {a: true})).toBe(false);
  });

  it("refuses binding arguments or headers that are not an object, naming what it expected", () => {
    for (const bad of [null, [], "format=pdf", 5]) {
      expect(() => headersMatch(bad as never, {}), JSON.stringify(bad)).toThrow(/binding arguments must be an object of header names and values/);
      expect(() => headersMatch({a: 1}, bad as never), JSON.stringify(bad)).toThrow(/message headers must be an object of header names and values/);
    }
    expect(() => headersMatch({}, undefined)).not.toThrow(); // a message without headers is fine
  });

  it("refuses an invalid x-match with RabbitMQ's text", () => {
    expect(xMatchOf({"x-match": "some"})).toEqual({error: `Invalid x-match field value <<"some">>; expected all, any, all-with-x, or any-with-x`});
    expect(() => headersMatch({"x-match": 1}, {})).toThrow(/expected longstr/);
  });
});
