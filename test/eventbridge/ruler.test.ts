// Cases taken from aws/event-ruler's own tests and README (the library EventBridge matches with),
// each citing its file: anything-but sets, "$or" as an ordinary field name, array consistency
// (exists: false included), and the limits on a pattern's depth and wildcard complexity.
import {describe, expect, it} from "vitest";
import {compilePattern, compileRuleSet, explainMatch, InvalidEventPatternError, matchesPattern, validatePattern} from "../../src/components/eventbridge/pattern.js";
import {MAX_COMPLEXITY, wildcardComplexity} from "../../src/components/eventbridge/pattern/complexity.js";
import {MAX_DEPTH} from "../../src/components/eventbridge/pattern/parse.js";
import {createEventBridge, EventBridgeError} from "../../src/components/eventbridge/bus.js";
import {createSimulation} from "../../src/components/sim/index.js";
import {thrown} from "../thrown.js";

/** Interpreter, compiled matcher, rule set and explanation must all give the same answer. */
function match(pattern: unknown, event: unknown): boolean {
  const interpreted = matchesPattern(pattern, event);
  expect(compilePattern(pattern)(event), "compiled matcher disagrees with matchesPattern").toBe(interpreted);
  expect(compileRuleSet([pattern])(event), "compileRuleSet disagrees with matchesPattern").toEqual(interpreted ? [0] : []);
  expect(explainMatch(pattern, event).matched, "explainMatch disagrees with matchesPattern").toBe(interpreted);
  return interpreted;
}

function refused(pattern: unknown): InvalidEventPatternError {
  const error = thrown(() => validatePattern(pattern));
  expect(error, `expected ${typeof pattern === "string" ? pattern.slice(0, 80) : "the pattern"} to be refused`).toBeInstanceOf(InvalidEventPatternError);
  return error as InvalidEventPatternError;
}

/** A pattern `depth` objects deep around a leaf, built without recursion. */
function nested(depth: number, leaf: unknown): Record<string, unknown> {
  let pattern: Record<string, unknown> = {a: leaf};
  for (let i = 1; i < depth; i++) pattern = {a: pattern};
  return pattern;
}

describe("anything-but with a set of prefixes, suffixes, ignore-case values or wildcards", () => {
  // ACMachineTest.java, testAnythingButPrefixSet / testAnythingButSuffixSet.
  it("prefix set: excludes values starting with any of them", () => {
    const rule = {a: [{"anything-but": {prefix: ["$", "%"]}}]};
    expect(match(rule, {a: "value$"})).toBe(true);
    expect(match(rule, {a: "notvalue%"})).toBe(true);
    expect(match(rule, {a: "$notvalue"})).toBe(false);
    expect(match(rule, {a: "%notvalue"})).toBe(false);
  });

  it("suffix set: excludes values ending with any of them", () => {
    const rule = {a: [{"anything-but": {suffix: ["$", "%"]}}]};
    expect(match(rule, {a: "value$"})).toBe(false);
    expect(match(rule, {a: "notvalue%"})).toBe(false);
    expect(match(rule, {a: "$notvalue"})).toBe(true);
    expect(match(rule, {a: "%notvalue"})).toBe(true);
  });

  // ACMachineTest.java, testAnythingButEqualsIgnoreCase.
  it("equals-ignore-case set", () => {
    const rule = {a: [{"anything-but": {"equals-ignore-case": ["yes", "please"]}}], b: [{"anything-but": {"equals-ignore-case": "no"}}]};
    expect(match(rule, {a: "value", b: "nothing"})).toBe(true);
    expect(match(rule, {a: "YES", b: "nothing"})).toBe(false);
    expect(match(rule, {a: "value", b: "No"})).toBe(false);
  });

  it("a prefix set in an array of values: one value outside every prefix is enough", () => {
    const rule = {a: [{"anything-but": {prefix: ["us-", "eu-"]}}]};
    expect(match(rule, {a: ["us-east-1", "ap-south-1"]})).toBe(true);
    expect(match(rule, {a: ["us-east-1", "eu-west-1"]})).toBe(false);
    expect(match(rule, {a: 5})).toBe(true); // prefixes exclude strings only
  });

  // JsonRuleCompilerTest.java, testVariousPatternTypes: the good ones...
  it("accepts what JsonRuleCompiler accepts", () => {
    for (const operand of [
      {prefix: ["abc", "123"]},
      {suffix: ["abc", "123"]},
      {"equals-ignore-case": ""},
      {"equals-ignore-case": ["abc", ""]},
      {wildcard: ""},
      {wildcard: ["foo*bar", "*foobar*"]},
      {wildcard: ["foo*bar", ""]}
    ]) {
      expect(() => validatePattern({a: [{"anything-but": operand}]}), JSON.stringify(operand)).not.toThrow();
    }
  });

  // ...and the bad ones, with JsonRuleCompiler's wording.
  it("refuses what JsonRuleCompiler refuses, in its words", () => {
    const cases: Array<[unknown, string, RegExp]> = [
      [{prefix: [1, 2, 3]}, "a[0].anything-but.prefix[0]", /prefix\/suffix match pattern must be a string/],
      [{suffix: [1, 2, 3]}, "a[0].anything-but.suffix[0]", /prefix\/suffix match pattern must be a string/],
      [{prefix: 27}, "a[0].anything-but.prefix", /prefix\/suffix match pattern must be a string/],
      [{prefix: ["1", ""]}, "a[0].anything-but.prefix[1]", /Null prefix\/suffix not allowed/],
      [{suffix: ""}, "a[0].anything-but.suffix", /Null prefix\/suffix not allowed/],
      [{"equals-ignore-case": [1, 2, 3]}, "a[0].anything-but.equals-ignore-case[0]", /Inside anything-but\/equals-ignore-case list, number\|start\|null\|boolean is not supported/],
      [{wildcard: 27}, "a[0].anything-but.wildcard", /wildcard match pattern must be a string/],
      [{wildcard: [1, 2, 3]}, "a[0].anything-but.wildcard[0]", /wildcard match pattern must be a string/],
      [{wildcard: ["1", "foo**bar"]}, "a[0].anything-but.wildcard[1]", /consecutive wildcard characters/],
      [{foo: 3}, "a[0].anything-but", /Unsupported anything-but pattern: foo/],
      [["child0", 111, "child2"], "a[0].anything-but", /either all values are number or string, mixed type is not supported/],
      [[true], "a[0].anything-but", /start\|null\|boolean is not supported/]
    ];
    for (const [operand, path, words] of cases) {
      const error = refused({a: [{"anything-but": operand}]});
      expect(error.path, JSON.stringify(operand)).toBe(path);
      expect(error.message, JSON.stringify(operand)).toMatch(words);
    }
  });
});

describe('"$or" that is not an OR is an ordinary field name', () => {
  // README.md, "The backward compatibility of using "$or" as field name in the rule".
  it("an object under $or is a nested field", () => {
    const rule = {source: ["aws.cloudwatch"], $or: {metricType: ["MetricType"], namespace: ["AWS/EC2", "AWS/ES"]}};
    expect(match(rule, {source: "aws.cloudwatch", $or: {metricType: "MetricType", namespace: "AWS/EC2"}})).toBe(true);
    expect(match(rule, {source: "aws.cloudwatch", $or: {metricType: "MetricType", namespace: "AWS/S3"}})).toBe(false);
    expect(match(rule, {source: "aws.cloudwatch", metricType: "MetricType", namespace: "AWS/EC2"})).toBe(false);
  });

  // src/test/data/normalRulesWithOrWording.json: arrays that are not 2+ objects of fields.
  it("an array of match expressions under $or is a leaf", () => {
    const one = {$or: [{cidr: "10.0.0.0/24"}]};
    expect(match(one, {$or: "10.0.0.5"})).toBe(true);
    expect(match(one, {$or: "10.0.1.5"})).toBe(false);
    const two = {time: [{prefix: "2017-10-02"}], detail: {$or: [{numeric: [">", 0, "<=", 5]}, {cidr: "10.0.0.0/8"}]}};
    expect(match(two, {time: "2017-10-02T00:00:00Z", detail: {$or: 3}})).toBe(true);
    expect(match(two, {time: "2017-10-02T00:00:00Z", detail: {$or: "10.1.2.3"}})).toBe(true);
    expect(match(two, {time: "2017-10-02T00:00:00Z", detail: {$or: 7}})).toBe(false);
    expect(match(two, {time: "2017-10-02T00:00:00Z", detail: {x: 3}})).toBe(false);
    const ranges = {detail: {$or: [{numeric: [">", 0, "<=", 5]}, {numeric: [">", 10]}]}};
    expect(match(ranges, {detail: {$or: 11}})).toBe(true);
    expect(match(ranges, {detail: {$or: 7}})).toBe(false);
  });

  // src/test/data/wrongOrRelationshipRules.json: neither an OR nor a field.
  it("still refuses what is neither", () => {
    expect(refused({$or: [{metricName: ["CPUUtilization", "ReadLatency"]}]}).message).toMatch(/at least 2/);
    const error = refused({detail: {$or: [{source: ["aws.cloudwatch"]}, {"detail-type": ["CloudWatch Alarm State Change"]}, [{foo: ["wrong"]}]]}});
    expect(error.path).toBe("detail.$or[2]");
    expect(error.message).toMatch(/must be an object/);
  });

  it("explains a $or field as a field", () => {
    const rows = explainMatch({$or: {a: ["x"]}}, {$or: {a: "y"}}).fields;
    expect(rows.map((r) => [r.path, r.matched])).toEqual([["$or.a", false]]);
  });
});

describe("array consistency: one element of an array of objects satisfies every field", () => {
  // RulerTest.java, JSON_WITH_COMPLEX_ARRAYS and WHEN_JSONContainsArrays_THEN_RulerNoCompileMatchesWork.
  const event = {
    employees: [
      [
        {firstName: "John", lastName: "Doe", ids: [1234, 1000, 9999]},
        {firstName: "Anna", lastName: "Smith"}
      ],
      [{firstName: "Peter", lastName: "Jones", ids: []}]
    ]
  };

  it("matches the rules RulerTest expects to match", () => {
    expect(match({employees: {firstName: ["Anna"]}}, event)).toBe(true);
    expect(match({employees: {firstName: ["John"], ids: [1000]}}, event)).toBe(true);
    // John has ids, Anna has none: exists: false is judged within Anna's element.
    expect(match({employees: {firstName: ["Anna"], ids: [{exists: false}]}}, event)).toBe(true);
  });

  it("does not match the rules RulerTest expects not to match", () => {
    expect(match({employees: {firstName: ["Alice"]}}, event)).toBe(false);
    expect(match({employees: {firstName: ["Anna"], lastName: ["Jones"]}}, event)).toBe(false); // README, "JSON Array Matching"
    expect(match({employees: {firstName: ["Alice"], lastName: ["Bob"]}}, event)).toBe(false);
    expect(match({a: ["b"]}, event)).toBe(false);
    expect(match({employees: ["b"]}, event)).toBe(false);
    expect(match({employees: {firstName: ["Anna"], ids: [1000]}}, event)).toBe(false);
    expect(match({employees: {firstName: ["Anna"], ids: [{exists: true}]}}, event)).toBe(false);
  });

  // src/test/resources/correctness-cases.json (StructuredFinderTest.java), "exists-false" cases.
  it("exists: false with another field, inside one element", () => {
    const rule = {d: {a: [{exists: true}], b: [{exists: false}]}};
    expect(match(rule, {d: [{a: 1}]})).toBe(true);
    expect(match(rule, {d: [{a: 1, b: 2}]})).toBe(false);
    expect(match(rule, {d: [{a: 1, b: 2}, {a: 3}]})).toBe(true);
    expect(match(rule, {d: [{b: 2}, {c: 3}]})).toBe(false);
  });

  it("nested arrays: the inner fields must share an inner element too", () => {
    const rule = {o: {i: {x: [1], y: [{exists: false}]}}};
    expect(match(rule, {o: [{i: [{x: 1, y: 2}, {x: 1}]}]})).toBe(true);
    expect(match(rule, {o: [{i: [{x: 1, y: 2}, {z: 1}]}]})).toBe(false);
  });
});

describe("limits", () => {
  it(`a pattern nested deeper than ${MAX_DEPTH} levels gets a clear error, not a stack overflow (issue 16 item 11)`, () => {
    const deep = nested(20_000, [1]);
    const text = '{"a":'.repeat(20_000) + "[1]" + "}".repeat(20_000); // JSON.stringify(deep) would overflow
    for (const input of [deep, text]) {
      const error = refused(input);
      expect(error.message).toMatch(new RegExp(`nested deeper than ${MAX_DEPTH} levels`));
      expect(thrown(() => matchesPattern(input, {}))).toBeInstanceOf(InvalidEventPatternError);
      expect(thrown(() => compilePattern(input))).toBeInstanceOf(InvalidEventPatternError);
      expect(thrown(() => compileRuleSet([input]))).toBeInstanceOf(InvalidEventPatternError);
      expect(thrown(() => explainMatch(input, {}))).toBeInstanceOf(InvalidEventPatternError);
    }
  });

  it(`${MAX_DEPTH} levels of JSON nesting are accepted, one more is not`, () => {
    // MAX_DEPTH - 1 objects around the leaf array: MAX_DEPTH containers in all.
    const deepest = nested(MAX_DEPTH - 1, [1]);
    expect(() => validatePattern(deepest)).not.toThrow();
    let event: unknown = 1;
    for (let i = 0; i < MAX_DEPTH - 1; i++) event = {a: event};
    expect(match(deepest, event)).toBe(true);
    expect(refused(nested(MAX_DEPTH, [1])).message).toMatch(/nested deeper than/);
  });

  it("an event nested 20,000 deep is matched, not a stack overflow", () => {
    let deep: unknown = "x";
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(match({a: ["x"]}, {a: deep})).toBe(true);
    expect(match({a: ["y"]}, {a: deep})).toBe(false);
    expect(match({a: {b: [{exists: false}]}}, {a: deep})).toBe(true);
    expect(explainMatch({a: ["y"]}, {a: deep}).fields[0].reason.length).toBeGreaterThan(0);
  });

  it("the bus answers a 20,000-deep pattern with InvalidEventPatternException", () => {
    const eb = createEventBridge(createSimulation({seed: 1}));
    const error = thrown(() => eb.putRule({Name: "deep", EventPattern: nested(20_000, [1])}));
    expect(error).toBeInstanceOf(EventBridgeError);
    expect(error.name).toBe("InvalidEventPatternException");
  });

  // PutRule, EventPattern: "Length Constraints: Maximum length of 4096" (EventBridge API Reference).
  it("the bus holds a pattern to 4,096 characters, and its wildcards to the complexity limit", () => {
    const eb = createEventBridge(createSimulation({seed: 1}));
    const text = (n: number) => `{"source":["${"x".repeat(n - 15)}"]}`;
    expect(text(4096)).toHaveLength(4096);
    expect(() => eb.putRule({Name: "longest", EventPattern: text(4096)})).not.toThrow();
    const long = thrown(() => eb.putRule({Name: "too-long", EventPattern: text(4097)}));
    expect(long.name).toBe("ValidationException");
    expect(long.message).toMatch(/4097 characters long; the limit is 4096/);
    const complex = thrown(() => eb.putRule({Name: "complex", EventPattern: {detail: {path: [{wildcard: "*" + "a*".repeat(60)}]}}}));
    expect(complex.name).toBe("InvalidEventPatternException");
    expect(complex.message).toMatch(/Rule is too complex/);
  });

  // MachineComplexityEvaluatorTest.java: the number of wildcard rule prefixes a worst-case value matches at once.
  it("wildcard complexity as MachineComplexityEvaluator counts it", () => {
    const cases: Array<[string[], number]> = [
      [["*"], 1],
      [["*", "ab*c"], 3],
      [["abc"], 1],
      [["*ab"], 2],
      [["*aa"], 3],
      [["a*b"], 2],
      [["aa*"], 2],
      [["a*bc"], 2],
      [["a*bb"], 3],
      [["a*bcb"], 3],
      [["a*bbb"], 4],
      [["*ab*ad"], 4],
      [["*ab*d"], 3],
      [["*aba*"], 4],
      [["a*b*bb"], 5],
      [["a*b*cb"], 4],
      [["a*b*cd"], 3],
      [["a*b*b"], 4],
      [["a*bb*"], 4],
      [["ab*b*"], 3],
      // ByteMachineTest.java: the same rule added ten times counts once.
      [Array(10).fill("1*2345"), 2],
      [Array(10).fill("12*3*"), 3]
    ];
    for (const [wildcards, expected] of cases) expect(wildcardComplexity(wildcards), wildcards.join(" ")).toBe(expected);
  });

  it(`refuses a pattern whose wildcards are more complex than ${MAX_COMPLEXITY}: "Rule is too complex" (README)`, () => {
    const tooComplex = "*" + "a*".repeat(60);
    expect(wildcardComplexity([tooComplex])).toBe(121); // on "aaa...": every state at once
    const error = refused({detail: {path: [{wildcard: tooComplex}]}});
    expect(error.message).toMatch(/Rule is too complex/);
    expect(error.path).toBe("detail.path");
    // anything-but wildcards count too, and wildcards on one field add up across $or branches.
    expect(refused({p: [{"anything-but": {wildcard: [tooComplex]}}]}).message).toMatch(/Rule is too complex/);
    // On "abab...", "*a*a*..." holds its star states and its last a-state, "*b*b*..." its star states.
    const as = "*" + "a*".repeat(40);
    const bs = "*" + "b*".repeat(40);
    expect(wildcardComplexity([as])).toBeLessThanOrEqual(MAX_COMPLEXITY);
    expect(wildcardComplexity([as, bs], MAX_COMPLEXITY)).toBeGreaterThan(MAX_COMPLEXITY);
    expect(() => validatePattern({p: [{wildcard: as}]})).not.toThrow();
    expect(refused({$or: [{p: [{wildcard: as}]}, {p: [{wildcard: bs}]}]}).message).toMatch(/Rule is too complex/);
    // Different fields are different machines: their complexities do not add up.
    expect(() => validatePattern({p: [{wildcard: as}], q: [{wildcard: bs}]})).not.toThrow();
  });
});
