// Every operator of the event-pattern language, with the examples of the EventBridge User Guide
// and the aws/event-ruler README; validation as AWS enforces it; explanations.
import {describe, expect, it} from "vitest";
import {compilePattern, explainMatch, InvalidEventPatternError, matchesPattern, validatePattern} from "../../src/components/eventbridge/pattern.js";

/** Checks the interpreter and the compiled matcher together: they must agree on every example. */
function match(pattern: unknown, event: unknown): boolean {
  const interpreted = matchesPattern(pattern, event);
  expect(compilePattern(pattern)(event), "compiled matcher disagrees with matchesPattern").toBe(interpreted);
  return interpreted;
}

function invalid(pattern: unknown, where: string, words: RegExp): void {
  let error: unknown;
  try {
    validatePattern(pattern);
  } catch (e) {
    error = e;
  }
  expect(error, `expected ${JSON.stringify(pattern)} to be refused`).toBeInstanceOf(InvalidEventPatternError);
  expect((error as InvalidEventPatternError).path).toBe(where);
  expect((error as Error).message).toMatch(words);
}

// The README's sample event.
const ec2 = {
  version: "0",
  id: "ddddd4-aaaa-7777-4444-345dd43cc333",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "012345679012",
  time: "2017-10-02T16:24:49Z",
  region: "us-east-1",
  resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],
  detail: {"c-count": 5, "d-count": 3, "x-limit": 301.8, "source-ip": "10.0.0.33", "instance-id": "i-000000aaaaaa00000", state: "running"}
};

describe("exact values, arrays and nesting", () => {
  it("matches the README's simple rule, ignoring fields the pattern does not name", () => {
    const pattern = {
      "detail-type": ["EC2 Instance State-change Notification"],
      resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],
      detail: {state: ["initializing", "running"]}
    };
    expect(match(pattern, ec2)).toBe(true);
    expect(match(pattern, {...ec2, detail: {...ec2.detail, state: "stopped"}})).toBe(false);
  });

  it("accepts the pattern and the event as JSON text", () => {
    expect(match(JSON.stringify({source: ["aws.ec2"]}), JSON.stringify(ec2))).toBe(true);
  });

  it("is case-sensitive", () => {
    expect(match({source: ["AWS.EC2"]}, ec2)).toBe(false);
  });

  it("matches an event array when the intersection is non-empty (User Guide, Arrays)", () => {
    const pattern = {
      resources: [
        "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
        "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f",
        "arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f"
      ]
    };
    const event = {
      resources: [
        "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate",
        "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"
      ]
    };
    expect(match(pattern, event)).toBe(true);
    expect(match(pattern, {resources: [event.resources[0]]})).toBe(false);
    expect(match(pattern, {resources: []})).toBe(false);
  });

  it("matches null and the empty string, which are different (User Guide, null values)", () => {
    const event = {detail: {eventVersion: "", responseElements: null}};
    expect(match({detail: {eventVersion: [""]}}, event)).toBe(true);
    expect(match({detail: {responseElements: [null]}}, event)).toBe(true);
    expect(match({detail: {eventVersion: [null]}}, event)).toBe(false);
    expect(match({detail: {responseElements: [""]}}, event)).toBe(false);
  });

  it("compares numbers as numbers, booleans as booleans, and never a string with a number", () => {
    expect(match({detail: {"x-limit": [3.018e2]}}, ec2)).toBe(true);
    expect(match({detail: {"c-count": ["5"]}}, ec2)).toBe(false);
    expect(match({a: [5]}, {a: "5"})).toBe(false);
    expect(match({a: [true]}, {a: true})).toBe(true);
    expect(match({a: [true]}, {a: "true"})).toBe(false);
    // Numbers equal to 6 decimal places are equal (ComparableNumber); beyond ±5e9 they compare literally.
    expect(match({a: [1.0000001]}, {a: 1.0000002})).toBe(true);
    expect(match({a: [1.000001]}, {a: 1.000002})).toBe(false);
    expect(match({account: [123456789012]}, {account: 123456789012})).toBe(true);
    expect(match({account: [123456789012]}, {account: 123456789013})).toBe(false);
  });

  it("needs the same nesting, and a leaf pattern never matches an object", () => {
    expect(match({detail: {state: ["running"]}}, {state: "running"})).toBe(false);
    expect(match({detail: ["running"]}, {detail: {state: "running"}})).toBe(false);
  });

  it("matches nested objects inside event arrays element by element (array-consistent, README)", () => {
    const event = {
      employees: [
        {firstName: "John", lastName: "Doe"},
        {firstName: "Anna", lastName: "Smith"},
        {firstName: "Peter", lastName: "Jones"}
      ]
    };
    expect(match({employees: {firstName: ["Anna"]}}, event)).toBe(true);
    expect(match({employees: {firstName: ["Anna"], lastName: ["Smith"]}}, event)).toBe(true);
    expect(match({employees: {firstName: ["Anna"], lastName: ["Jones"]}}, event)).toBe(false);
    const multiLevel = {employees: [[event.employees[0], event.employees[1]], [event.employees[2]]]};
    expect(match({employees: {firstName: ["Peter"]}}, multiLevel)).toBe(true);
    expect(match({employees: {firstName: ["Anna"], lastName: ["Jones"]}}, multiLevel)).toBe(false);
  });

  it("does not mistake inherited properties for fields", () => {
    expect(match({constructor: [{exists: true}]}, {})).toBe(false);
    expect(match({toString: [{exists: false}]}, {})).toBe(true);
  });
});

describe("prefix, suffix, equals-ignore-case, wildcard", () => {
  it("prefix (User Guide)", () => {
    expect(match({time: [{prefix: "2017-10-02"}]}, {time: "2017-10-02T18:43:48Z"})).toBe(true);
    expect(match({time: [{prefix: "2017-10-03"}]}, {time: "2017-10-02T18:43:48Z"})).toBe(false);
    expect(match({n: [{prefix: "1"}]}, {n: 12})).toBe(false);
  });

  it("prefix ignoring case", () => {
    const pattern = {service: [{prefix: {"equals-ignore-case": "eventb"}}]};
    for (const service of ["EventBridge", "EVENTBRIDGE", "eventbridge"]) expect(match(pattern, {service})).toBe(true);
    expect(match(pattern, {service: "Event Bridge"})).toBe(false);
  });

  it("suffix, and suffix ignoring case", () => {
    expect(match({FileName: [{suffix: ".png"}]}, {FileName: "image.png"})).toBe(true);
    expect(match({FileName: [{suffix: ".png"}]}, {FileName: "image.PNG"})).toBe(false);
    const pattern = {service: [{suffix: {"equals-ignore-case": "tbridge"}}]};
    expect(match(pattern, {service: "EventBridge"})).toBe(true);
    expect(match(pattern, {service: "EVENTTBRIDGE"})).toBe(true);
    expect(match(pattern, {service: "bridge"})).toBe(false);
  });

  it("equals-ignore-case", () => {
    expect(match({name: [{"equals-ignore-case": "alice"}]}, {name: "Alice"})).toBe(true);
    expect(match({name: [{"equals-ignore-case": "alice"}]}, {name: "Alicia"})).toBe(false);
    expect(match({source: [{"equals-ignore-case": "EC2"}]}, {source: "ec2"})).toBe(true);
  });

  it("wildcard: any run of characters, including none", () => {
    expect(match({source: [{wildcard: "Simple*Service"}]}, {source: "SimpleQueueService"})).toBe(true);
    expect(match({source: [{wildcard: "Simple*Service"}]}, {source: "SimpleService"})).toBe(true);
    expect(match({source: [{wildcard: "Simple*Service"}]}, {source: "SimpleQueue"})).toBe(false);
    const dir = {EventBusArn: [{wildcard: "arn:aws:events:us-east-1:*:event-bus/*"}]};
    expect(match(dir, {EventBusArn: "arn:aws:events:us-east-1:123456789012:event-bus/default"})).toBe(true);
    expect(match({FilePath: [{wildcard: "dir/*.png"}]}, {FilePath: "dir/a/b.png"})).toBe(true);
    expect(match({f: [{wildcard: "*"}]}, {f: ""})).toBe(true);
    expect(match({f: [{wildcard: "*a*b*"}]}, {f: "xxbxxaxx"})).toBe(false);
    expect(match({f: [{wildcard: "ab*ab"}]}, {f: "ab"})).toBe(false);
  });

  it("wildcard escapes: \\* is an asterisk, \\\\ a backslash", () => {
    expect(match({f: [{wildcard: "a\\*b"}]}, {f: "a*b"})).toBe(true);
    expect(match({f: [{wildcard: "a\\*b"}]}, {f: "axb"})).toBe(false);
    expect(match({f: [{wildcard: "a\\\\*"}]}, {f: "a\\anything"})).toBe(true);
  });
});

describe("anything-but", () => {
  it("a value, a number, a list (README)", () => {
    expect(match({detail: {state: [{"anything-but": "initializing"}]}}, ec2)).toBe(true);
    expect(match({detail: {state: [{"anything-but": "running"}]}}, ec2)).toBe(false);
    expect(match({detail: {"x-limit": [{"anything-but": 123}]}}, ec2)).toBe(true);
    expect(match({detail: {"x-limit": [{"anything-but": 301.8}]}}, ec2)).toBe(false);
    expect(match({detail: {state: [{"anything-but": ["stopped", "overloaded"]}]}}, ec2)).toBe(true);
    expect(match({detail: {"x-limit": [{"anything-but": [100, 200, 300]}]}}, ec2)).toBe(true);
  });

  it("needs the field to be present, and is satisfied by any element of an array", () => {
    expect(match({state: [{"anything-but": "x"}]}, {})).toBe(false);
    expect(match({price: [{"anything-but": [100, 500]}]}, {price: [100, 50]})).toBe(true);
    expect(match({price: [{"anything-but": [100, 500]}]}, {price: [100, 500]})).toBe(false);
  });

  it("prefix, suffix, equals-ignore-case, wildcard", () => {
    expect(match({Region: [{"anything-but": {prefix: "us-"}}]}, {Region: "eu-west-1"})).toBe(true);
    expect(match({Region: [{"anything-but": {prefix: "us-"}}]}, {Region: "us-east-1"})).toBe(false);
    expect(match({FileName: [{"anything-but": {suffix: ".png"}}]}, {FileName: "a.jpg"})).toBe(true);
    expect(match({FileName: [{"anything-but": {suffix: ".png"}}]}, {FileName: "a.png"})).toBe(false);
    const ignoreCase = {state: [{"anything-but": {"equals-ignore-case": "initializing"}}]};
    expect(match(ignoreCase, {state: "INITIALIZING"})).toBe(false);
    expect(match(ignoreCase, {state: "running"})).toBe(true);
    expect(match({state: [{"anything-but": {"equals-ignore-case": ["a", "B"]}}]}, {state: "b"})).toBe(false);
    const lib = {FilePath: [{"anything-but": {wildcard: "*/lib/*"}}]};
    expect(match(lib, {FilePath: "/usr/lib/x.so"})).toBe(false);
    expect(match(lib, {FilePath: "/usr/bin/x"})).toBe(true);
    expect(match({FilePath: [{"anything-but": {wildcard: ["*/lib/*", "*/bin/*"]}}]}, {FilePath: "/usr/bin/x"})).toBe(false);
  });

  it("excludes only strings (or numbers for a numeric list): other types pass", () => {
    expect(match({a: [{"anything-but": "x"}]}, {a: null})).toBe(true);
    expect(match({a: [{"anything-but": "5"}]}, {a: 5})).toBe(true);
    expect(match({a: [{"anything-but": 5}]}, {a: "5"})).toBe(true);
  });
});

describe("numeric", () => {
  it("ranges and = (README)", () => {
    const pattern = {detail: {"c-count": [{numeric: [">", 0, "<=", 5]}], "d-count": [{numeric: ["<", 10]}], "x-limit": [{numeric: ["=", 3.018e2]}]}};
    expect(match(pattern, ec2)).toBe(true);
    expect(match({detail: {"c-count": [{numeric: [">", 5]}]}}, ec2)).toBe(false);
    expect(match({detail: {"c-count": [{numeric: [">=", 5]}]}}, ec2)).toBe(true);
    expect(match({detail: {"c-count": [{numeric: ["<", 5]}]}}, ec2)).toBe(false);
    expect(match({detail: {"c-count": [{numeric: [">", 0, "<", 5]}]}}, ec2)).toBe(false);
  });

  it("matches only JSON numbers, within ±5e9", () => {
    expect(match({n: [{numeric: [">", 0]}]}, {n: "5"})).toBe(false);
    expect(match({n: [{numeric: [">", 0]}]}, {n: 6e9})).toBe(false);
    expect(match({n: [{numeric: [">=", -5e9, "<=", 5e9]}]}, {n: 5e9})).toBe(true);
    expect(match({n: [{numeric: ["<", 0]}]}, {n: [3, -1]})).toBe(true);
  });

  it("the User Guide's Price example: more than 10 and at most 20", () => {
    const pattern = {Price: [{numeric: [">", 10, "<=", 20]}]};
    expect(match(pattern, {Price: 10})).toBe(false);
    expect(match(pattern, {Price: 15})).toBe(true);
    expect(match(pattern, {Price: 20})).toBe(true);
  });
});

describe("exists", () => {
  it("true and false (README)", () => {
    expect(match({detail: {"c-count": [{exists: true}]}}, ec2)).toBe(true);
    expect(match({detail: {"c-count": [{exists: false}]}}, ec2)).toBe(false);
    expect(match({detail: {"c-count": [{exists: false}]}}, {detail: {state: "running"}})).toBe(true);
    expect(match({detail: {"c-count": [{exists: false}]}}, {})).toBe(true);
  });

  it("works on leaves only: an object at the path does not exist (README)", () => {
    const event = {detail: {state: "x", "c-count": {c1: 100}}};
    expect(match({detail: {"c-count": [{exists: false}]}}, event)).toBe(true);
    expect(match({detail: {"c-count": [{exists: true}]}}, event)).toBe(false);
  });

  it("null is a value; an empty array is none", () => {
    expect(match({a: [{exists: true}]}, {a: null})).toBe(true);
    expect(match({a: [{exists: true}]}, {a: []})).toBe(false);
    expect(match({a: [{exists: false}]}, {a: []})).toBe(true);
  });

  it("exists: false is judged within one element of an array of objects (array consistency, ruler.test.ts)", () => {
    const event = {items: [{sku: "a"}, {other: 1}]};
    expect(match({items: {sku: [{exists: false}]}}, event)).toBe(true); // {other: 1} has no sku
    expect(match({items: {sku: [{exists: false}]}}, {items: [{sku: "a"}, {sku: "b"}]})).toBe(false);
    expect(match({items: {missing: [{exists: false}]}}, event)).toBe(true);
  });
});

describe("cidr", () => {
  it("IPv4 (README)", () => {
    expect(match({detail: {"source-ip": [{cidr: "10.0.0.0/24"}]}}, ec2)).toBe(true);
    expect(match({detail: {"source-ip": [{cidr: "10.0.1.0/24"}]}}, ec2)).toBe(false);
    expect(match({ip: [{cidr: "0.0.0.0/0"}]}, {ip: "255.255.255.255"})).toBe(true);
    expect(match({ip: [{cidr: "10.0.0.1/32"}]}, {ip: "10.0.0.1"})).toBe(true);
    expect(match({ip: [{cidr: "10.0.0.0/8"}]}, {ip: "not an ip"})).toBe(false);
    expect(match({ip: [{cidr: "10.0.0.0/8"}]}, {ip: 10})).toBe(false);
  });

  it("IPv6", () => {
    expect(match({ip: [{cidr: "2001:db8::/32"}]}, {ip: "2001:db8:0:0:1::1"})).toBe(true);
    expect(match({ip: [{cidr: "2001:db8::/32"}]}, {ip: "2001:db9::1"})).toBe(false);
    expect(match({ip: [{cidr: "::ffff:10.0.0.0/104"}]}, {ip: "::ffff:10.1.2.3"})).toBe(true);
    expect(match({ip: [{cidr: "2001:db8::/32"}]}, {ip: "10.0.0.1"})).toBe(false);
  });
});

describe("$or", () => {
  const cloudwatch = {source: "aws.cloudwatch", metricName: "NetworkIn", namespace: "AWS/EC2", metricType: "MetricType", scope: "Other"};

  it("normal $or: source AND (metricName OR namespace) (README)", () => {
    const pattern = {source: ["aws.cloudwatch"], $or: [{metricName: ["CPUUtilization", "ReadLatency"]}, {namespace: ["AWS/EC2", "AWS/ES"]}]};
    expect(match(pattern, cloudwatch)).toBe(true);
    expect(match(pattern, {...cloudwatch, namespace: "AWS/S3"})).toBe(false);
    expect(match(pattern, {...cloudwatch, source: "x"})).toBe(false);
  });

  it("parallel $or and nested $or (README)", () => {
    const parallel = {
      $or: [{metricName: ["CPUUtilization", "ReadLatency"]}, {namespace: ["AWS/EC2", "AWS/ES"]}],
      detail: {$or: [{source: ["aws.cloudwatch"]}, {"detail-type": ["CloudWatch Alarm State Change"]}]}
    };
    expect(match(parallel, {...cloudwatch, detail: {"detail-type": "CloudWatch Alarm State Change"}})).toBe(true);
    expect(match(parallel, {...cloudwatch, detail: {source: "x"}})).toBe(false);
    const nested = {
      source: ["aws.cloudwatch"],
      $or: [
        {metricName: ["CPUUtilization", "ReadLatency"]},
        {metricType: ["MetricType"], namespace: ["AWS/EC2", "AWS/ES"], $or: [{metricId: [1234]}, {spaceId: [1000]}]},
        {scope: ["Service"]}
      ]
    };
    expect(match(nested, {...cloudwatch, spaceId: 1000})).toBe(true);
    expect(match(nested, {...cloudwatch, spaceId: 1001})).toBe(false);
    expect(match(nested, {...cloudwatch, scope: "Service"})).toBe(true);
  });
});

describe("validatePattern", () => {
  it("accepts every documented form", () => {
    for (const p of [
      {a: ["x", 1, true, false, null, {prefix: "p"}, {suffix: "s"}, {"equals-ignore-case": "e"}, {wildcard: "a*b"}]},
      {a: [{prefix: {"equals-ignore-case": "p"}}, {suffix: {"equals-ignore-case": "s"}}]},
      {a: [{"anything-but": "x"}, {"anything-but": 1}, {"anything-but": ["x", "y"]}, {"anything-but": [1, 2]}]},
      {a: [{"anything-but": {prefix: "p"}}, {"anything-but": {suffix: "s"}}, {"anything-but": {"equals-ignore-case": ["x"]}}, {"anything-but": {wildcard: "*x*"}}]},
      {a: [{numeric: ["=", 1]}, {numeric: ["<", 1]}, {numeric: [">=", 0, "<", 1]}, {exists: true}, {cidr: "10.0.0.0/8"}, {cidr: "::/0"}]},
      {$or: [{a: [1]}, {b: {c: [2]}}]}
    ]) {
      expect(() => validatePattern(p)).not.toThrow();
    }
  });

  it("refuses non-objects, empty objects, bad JSON", () => {
    invalid([], "", /JSON object/);
    invalid("nope", "", /not valid JSON/);
    invalid("[1]", "", /JSON object/);
    invalid({}, "", /empty objects/);
    invalid({detail: {}}, "detail", /empty objects/);
  });

  it("refuses leaf values that are not arrays, and empty arrays", () => {
    invalid({source: "aws.ec2"}, "source", /must be an array.*\{"source":\["aws.ec2"\]\}/);
    invalid({source: 5}, "source", /must be an array/);
    invalid({source: []}, "source", /empty arrays/);
    invalid({source: [["nested"]]}, "source[0]", /string, number, true, false, null/);
  });

  it("refuses unknown operators and expressions with several operators", () => {
    invalid({a: [{contains: "x"}]}, "a[0].contains", /unknown operator "contains"/);
    invalid({a: [{prefix: "x", suffix: "y"}]}, "a[0]", /exactly one operator/);
    invalid({a: [{}]}, "a[0]", /needs one operator/);
  });

  it("checks operand types", () => {
    invalid({a: [{prefix: 1}]}, "a[0].prefix", /prefix must be a string/);
    invalid({a: [{prefix: {"equals-ignore-case": 1}}]}, "a[0].prefix.equals-ignore-case", /must be a string/);
    invalid({a: [{prefix: {foo: "x"}}]}, "a[0].prefix", /equals-ignore-case/);
    invalid({a: [{exists: "true"}]}, "a[0].exists", /true or false/);
    invalid({a: [{"equals-ignore-case": ["x"]}]}, "a[0].equals-ignore-case", /must be a string/);
    invalid({a: [{cidr: "10.0.0.0"}]}, "a[0].cidr", /CIDR block/);
    invalid({a: [{cidr: "10.0.0.0/33"}]}, "a[0].cidr", /CIDR block/);
  });

  it("checks anything-but shapes", () => {
    invalid({a: [{"anything-but": ["x", 1]}]}, "a[0].anything-but", /only strings or only numbers/);
    invalid({a: [{"anything-but": [null]}]}, "a[0].anything-but", /only strings or only numbers/);
    invalid({a: [{"anything-but": []}]}, "a[0].anything-but", /at least one/);
    invalid({a: [{"anything-but": true}]}, "a[0].anything-but", /string, a number, a list/);
    invalid({a: [{"anything-but": {exists: true}}]}, "a[0].anything-but", /prefix/);
    invalid({a: [{"anything-but": {prefix: ""}}]}, "a[0].anything-but.prefix", /cannot be empty/);
    invalid({a: [{"anything-but": {prefix: [1]}}]}, "a[0].anything-but.prefix[0]", /must be a string/);
  });

  it("checks numeric expressions", () => {
    invalid({a: [{numeric: 5}]}, "a[0].numeric", /must be an array/);
    invalid({a: [{numeric: []}]}, "a[0].numeric[0]", /starts with one of/);
    invalid({a: [{numeric: ["!=", 5]}]}, "a[0].numeric[0]", /starts with one of/);
    invalid({a: [{numeric: [">", "5"]}]}, "a[0].numeric[1]", /must be a number/);
    invalid({a: [{numeric: ["=", 1, "<", 2]}]}, "a[0].numeric[2]", /too many/);
    invalid({a: [{numeric: [">", 5, ">", 6]}]}, "a[0].numeric[2]", /"<" or "<="/);
    invalid({a: [{numeric: ["<", 5, ">", 1]}]}, "a[0].numeric[2]", /lower bound first/);
    invalid({a: [{numeric: [">", 5, "<", 5]}]}, "a[0].numeric", /less than the upper bound/);
    invalid({a: [{numeric: [">", 5e9 + 1]}]}, "a[0].numeric[1]", /-5.0e9 to 5.0e9/);
    invalid({a: [{"anything-but": 6e9}]}, "a[0].anything-but", /-5.0e9 to 5.0e9/);
  });

  it("checks wildcard escapes and consecutive asterisks", () => {
    invalid({a: [{wildcard: "a**"}]}, "a[0].wildcard", /consecutive wildcard characters at position 2/);
    invalid({a: [{wildcard: "a\\b"}]}, "a[0].wildcard", /invalid escape at position 1/);
    invalid({a: [{wildcard: "a\\"}]}, "a[0].wildcard", /invalid escape/);
    invalid({a: [{"anything-but": {wildcard: ["ok", "x**"]}}]}, "a[0].anything-but.wildcard[1]", /consecutive/);
    expect(() => validatePattern({a: [{wildcard: "a\\**"}]})).not.toThrow(); // a literal '*' then a wildcard
  });

  it("checks the shape of $or", () => {
    invalid({$or: [{a: [1]}]}, "$or", /at least 2/);
    invalid({$or: [{a: [1]}, "b"]}, "$or[1]", /must be an object/);
    invalid({$or: [{a: [1]}, {prefix: ["x"]}]}, "$or[1].prefix", /operator and cannot be used as a field name inside \$or/);
    invalid({a: [{$or: [1, 2]}]}, "a[0].$or", /belongs among fields/);
  });

  it("refuses values that are not JSON", () => {
    invalid({a: [undefined]}, "a[0]", /undefined/);
    invalid({a: [NaN]}, "a[0]", /not a JSON number/);
    invalid({a: [() => 1]}, "a[0]", /function/);
  });
});

describe("explainMatch", () => {
  it("says which field failed and why, with hints for the classic mistakes", () => {
    const result = explainMatch({source: ["AWS.EC2"], detail: {state: ["running"], "c-count": ["5"], missing: ["x"]}}, ec2);
    expect(result.matched).toBe(false);
    const byPath = Object.fromEntries(result.fields.map((f) => [f.path, f]));
    expect(byPath["source"].reason).toMatch(/case-sensitive.*equals-ignore-case/);
    expect(byPath["detail.state"]).toMatchObject({matched: true, eventValue: "running", present: true});
    expect(byPath["detail.c-count"].reason).toMatch(/the event has the number 5, the pattern the string "5"/);
    expect(byPath["detail.missing"]).toMatchObject({matched: false, present: false, reason: 'the event has no field "detail.missing"'});
    expect(result.summary).toMatch(/source, detail.c-count, detail.missing/);
  });

  it("explains numeric, prefix, exists and object-valued fields", () => {
    const rows = explainMatch({detail: {"c-count": [{numeric: [">", 10]}], "instance-id": [{prefix: "x-"}], state: [{exists: false}]}}, ec2).fields;
    expect(rows.map((r) => r.reason)).toEqual(['5 is not > 10', '"i-000000aaaaaa00000" does not start with "x-"', 'exists: false, but the event has "running"']);
    const objectRow = explainMatch({detail: ["x"]}, ec2).fields[0];
    expect(objectRow.reason).toMatch(/is an object; patterns compare leaf values only/);
  });

  it("labels $or branches and reports the $or itself", () => {
    const result = explainMatch({$or: [{source: ["x"]}, {region: ["us-east-1"]}]}, ec2);
    expect(result.matched).toBe(true);
    expect(result.fields.map((f) => [f.branch, f.path, f.matched])).toEqual([
      ["$or[0]", "source", false],
      ["$or[1]", "region", true],
      [undefined, "(top level)", true]
    ]);
  });

  it("shows the array element it explains", () => {
    const event = {employees: [{firstName: "John", lastName: "Doe"}, {firstName: "Anna", lastName: "Smith"}]};
    const result = explainMatch({employees: {firstName: ["Anna"], lastName: ["Jones"]}}, event);
    expect(result.matched).toBe(false);
    expect(result.fields.map((f) => f.path)).toEqual(["employees[1].firstName", "employees[1].lastName"]);
  });

  it("agrees with matchesPattern", () => {
    const pattern = {detail: {state: [{"anything-but": "initializing"}], "source-ip": [{cidr: "10.0.0.0/8"}]}};
    expect(explainMatch(pattern, ec2).matched).toBe(matchesPattern(pattern, ec2));
  });
});

describe("inputs", () => {
  it("throws InvalidEventError for event text that is not JSON, and ignores non-object events", () => {
    expect(() => matchesPattern({a: [1]}, "{oops")).toThrow(/the event is not valid JSON/);
    expect(match({a: [1]}, 42)).toBe(false);
    expect(match({a: [{exists: false}]}, null)).toBe(true);
  });

  it("compilePattern keeps the pattern it was built from", () => {
    expect(compilePattern('{"a": [1]}').pattern).toEqual({a: [1]});
  });
});
