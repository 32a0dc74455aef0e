// The rule machine's value classes (machine.ts, Dictionary.classOf): one machine, compiled once,
// answers many values of one field in turn, so each answer also exercises the targets it cached
// for the classes of earlier values. Vectors from aws/event-ruler's ByteMachineTest.java (each
// case cites its test), and the cases the classes must tell apart: nested prefixes and suffixes
// (a longest prefix stands for the shorter ones), numbers equal as ComparableNumbers, numbers
// outside ±5e9, and ranges beside exact and anything-but numbers.
import {describe, expect, it} from "vitest";
import {compileRuleMachine, matchesPattern} from "../../src/components/eventbridge/pattern.js";

/**
 * Ruler's testPatternPermutations: each pattern on field `a` matches exactly the values listed
 * with it, and none matches `noMatches`. Every value is tried three times, in two orders, on one
 * machine; the interpreter must agree with the listed answers too.
 */
function permutations(noMatches: unknown[], ...cases: Array<{pattern: unknown; matches: unknown[]}>): void {
  const rules = cases.map((c) => ({a: [c.pattern]}));
  const machine = compileRuleMachine(rules);
  const values = [...noMatches, ...cases.flatMap((c) => c.matches)];
  const expected = (v: unknown) => cases.map((c, i) => (c.matches.some((m) => Object.is(m, v)) ? i : -1)).filter((i) => i >= 0);
  expect(values.length).toBeGreaterThan(0);
  for (const v of [...values, ...[...values].reverse(), ...values]) {
    expect(machine({a: v}), `value ${JSON.stringify(v)}`).toEqual(expected(v));
    expect(rules.map((r, i) => (matchesPattern(r, {a: v}) ? i : -1)).filter((i) => i >= 0), `interpreter on ${JSON.stringify(v)}`).toEqual(expected(v));
  }
}

describe("rule machine value classes", () => {
  // ByteMachineTest.java, testEqualsIgnoreCaseWhereLowerAndUpperCaseAlreadyExist.
  it("prefixes and equals-ignore-case on one field", () => {
    permutations(["", "a", "b"], {pattern: {prefix: "ab"}, matches: ["ab", "abc", "abC"]}, {pattern: {prefix: "AB"}, matches: ["AB", "ABC", "ABc"]}, {pattern: {"equals-ignore-case": "ab"}, matches: ["ab", "AB", "Ab", "aB"]});
  });

  // ByteMachineTest.java, testEqualsIgnoreCasePatternMultipleWithMultipleExactMatch.
  it("equals-ignore-case beside exact values", () => {
    permutations(
      ["", "he", "HEL", "hell", "HELL", "helloxx"],
      {pattern: {"equals-ignore-case": "hElLo"}, matches: ["hello", "HELLO", "HeLlO", "hElLo"]},
      {pattern: {"equals-ignore-case": "HeLlOX"}, matches: ["hellox", "HELLOX", "HeLlOx", "hElLoX"]},
      {pattern: "hello", matches: ["hello"]},
      {pattern: "HELLO", matches: ["HELLO"]},
      {pattern: "hel", matches: ["hel"]}
    );
  });

  // ByteMachineTest.java, testSuffixPattern.
  it("a suffix", () => {
    permutations(["vav", "javaa", "xjavax", "foo", "foojaoova"], {pattern: {suffix: "java"}, matches: ["java", ".java", "abc.java", "jjjava", "123java"]});
  });

  it("nested prefixes and suffixes: a value's longest one stands for every shorter one", () => {
    permutations(
      ["", "b", "xa"],
      {pattern: {prefix: "a"}, matches: ["a", "ab", "abc", "abcd", "ax", "abx", "a.c"]},
      {pattern: {prefix: "ab"}, matches: ["ab", "abc", "abcd", "abx"]},
      {pattern: {prefix: "abc"}, matches: ["abc", "abcd"]}
    );
    permutations(
      ["", "b", "cx"],
      {pattern: {suffix: "c"}, matches: ["c", "bc", "abc", "xabc", "xc", "xbc", "a.c"]},
      {pattern: {suffix: "bc"}, matches: ["bc", "abc", "xabc", "xbc"]},
      {pattern: {suffix: "abc"}, matches: ["abc", "xabc"]}
    );
  });

  // README, "Numeric matching": numbers compare as ComparableNumbers (6 decimal places); outside
  // ±5e9 only exact values match, literally.
  it("numbers: exact, anything-but and ranges, equal as ComparableNumbers, and beyond ±5e9", () => {
    permutations(
      ["5", null, true, 6e9 + 1],
      {pattern: 5, matches: [5, 5.0000001]},
      {pattern: {numeric: [">", 0, "<=", 5]}, matches: [5, 5.0000001, 1, 0.5]},
      {pattern: {numeric: [">=", 5]}, matches: [5, 5.0000001, 300]},
      {pattern: 6e9, matches: [6e9]}
    );
    permutations([5, 5.0000001, 300], {pattern: {"anything-but": [5, 300]}, matches: [1, 300.5, 6e9, "y", null, true, "5"]});
  });

  // A block's ranges on one field are a bitset per elementary interval of their bounds, or, past
  // INTERVAL_BUDGET ints (columns × intervals), a RangeIndex: both against the interpreter, on
  // every bound, beside it and between bounds, with each kind of end.
  it("many ranges on one field: bitsets by interval, and a range index past the budget", () => {
    for (const count of [20, 400]) {
      const ops = [[">", "<"], [">=", "<="], [">", "<="], [">=", "<"]];
      const rules = Array.from({length: count}, (_, i) => ({a: [{numeric: [ops[i % 4][0], i, ops[i % 4][1], i + (i % 7) * 3 + 1]}]}));
      const machine = compileRuleMachine(rules);
      const values = Array.from({length: 4 * (count + 25)}, (_, k) => k / 4 - 2);
      let matched = 0;
      for (const v of values) {
        const expected = rules.map((r, i) => (matchesPattern(r, {a: v}) ? i : -1)).filter((i) => i >= 0);
        matched += expected.length;
        expect(machine({a: v}), `${count} rules, value ${v}`).toEqual(expected);
      }
      expect(matched).toBeGreaterThan(count);
    }
  });

  // A block slot keeps the bitsets of its field's first ROW (16) value classes in its record and
  // the others past the records: 40 prefixes (and exact values beside them) make some 80 classes,
  // over two words of columns, each value tried twice (the second time from the stored bitset).
  it("a block slot on a field of many value classes", () => {
    const rules = Array.from({length: 40}, (_, i) => ({a: i % 3 === 0 ? [`e${i}`, {prefix: `p${i}`}] : [{prefix: `p${i}`}], b: [{exists: i % 2 === 0}]}));
    const machine = compileRuleMachine(rules);
    const events = Array.from({length: 45}, (_, i) => [{a: `p${i}x`, b: 1}, {a: `p${i}`}, {a: `e${i}`, b: "y"}, {a: [`e${i}`, `p${i + 1}`]}]).flat();
    let matched = 0;
    let unmatched = 0;
    for (const event of [...events, ...events]) {
      const expected = rules.map((r, i) => (matchesPattern(r, event) ? i : -1)).filter((i) => i >= 0);
      if (expected.length > 0) matched++;
      else unmatched++;
      expect(machine(event), JSON.stringify(event)).toEqual(expected);
    }
    expect(matched).toBeGreaterThan(40);
    expect(unmatched).toBeGreaterThan(10);
  });

  // A field of few values (here `kind`, 3) is matched in the blocks, not by states, when that at
  // most doubles the largest block (machine.ts, fewValued): its exact leaves, lists of them, and
  // rules left with no exact leaf on other fields, against the interpreter.
  it("exact leaves of a few-valued field matched in blocks", () => {
    const kinds = ["a", "b", "c"];
    const rules: unknown[] = [
      ...Array.from({length: 60}, (_, i) => ({source: [`s${i % 20}`], kind: i % 4 === 0 ? ["a", "b"] : [kinds[i % 3]], n: [{numeric: [">", i % 10]}]})),
      ...Array.from({length: 20}, (_, i) => ({n: [{numeric: ["<", i]}]})),
      {kind: ["c"]},
      {kind: ["a"], n: [{exists: false}]},
      {source: ["s3"], kind: ["b"]}
    ];
    const machine = compileRuleMachine(rules);
    let matched = 0;
    let unmatched = 0;
    for (let i = 0; i < 400; i++) {
      const kind = [...kinds, "d", undefined, ["a", "c"]][i % 6];
      const event = {source: `s${i % 22}`, ...(kind === undefined ? {} : {kind}), ...(i % 7 === 0 ? {} : {n: i % 13})};
      const expected = rules.map((r, j) => (matchesPattern(r, event) ? j : -1)).filter((j) => j >= 0);
      if (expected.some((j) => j < 60 || j >= 80)) matched++;
      else unmatched++;
      expect(machine(event), JSON.stringify(event)).toEqual(expected);
    }
    expect(matched).toBeGreaterThan(50);
    expect(unmatched).toBeGreaterThan(50);
  });
});
