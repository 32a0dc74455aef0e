// The simulated bus: PutEvents validation, routing, input transformation, retries with backoff,
// dead-letter queues, archives and replays, and the replay property of the whole model.
import {describe, expect, it} from "vitest";
import {createEventBridge, entrySize, EventBridgeError, type EventBridge} from "../../src/components/eventbridge/bus.js";
import {transformInput, readJsonPath, parseJsonPath} from "../../src/components/eventbridge/transform.js";
import {createSimulation, type Simulation} from "../../src/components/sim/index.js";
import {thrown} from "../thrown.js";

function setup(seed: number | string = 1): {sim: Simulation; eb: EventBridge} {
  const sim = createSimulation({seed});
  return {sim, eb: createEventBridge(sim)};
}

const order = (detail: object = {status: "placed", total: 42}) => ({Source: "shop.orders", DetailType: "OrderPlaced", Detail: JSON.stringify(detail)});

describe("PutEvents", () => {
  it("reports failures per entry, as the API does, and accepts the others", () => {
    const {sim, eb} = setup();
    const result = eb.putEvents({
      Entries: [
        order(),
        {DetailType: "X", Detail: "{}"},
        {Source: "a", Detail: "{}"},
        {Source: "a", DetailType: "X"},
        {Source: "a", DetailType: "X", Detail: "{not json"},
        {Source: "a", DetailType: "X", Detail: "[1,2]"},
        {Source: "aws.ec2", DetailType: "X", Detail: "{}"},
        {Source: "a", DetailType: "X", Detail: "{}", EventBusName: "nope"}
      ]
    });
    expect(result.FailedEntryCount).toBe(7);
    expect(result.Entries[0].EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.Entries.slice(1).map((e) => e.ErrorCode)).toEqual([
      "InvalidArgument",
      "InvalidArgument",
      "InvalidArgument",
      "MalformedDetail",
      "MalformedDetail",
      "NotAuthorizedForSourceException",
      "ResourceNotFoundException"
    ]);
    expect(result.Entries[1].ErrorMessage).toBe("Parameter Source is not valid. Reason: Source is a required argument.");
    expect(result.Entries[4].ErrorMessage).toBe("Detail is malformed.");
    expect(sim.trace.filter("eventbridge.put")).toHaveLength(1);
    expect(sim.trace.filter("eventbridge.put.failed")).toHaveLength(7);
  });

  it("refuses a whole request with no entries, more than 10, or over 256 KiB", () => {
    const {eb} = setup();
    expect(thrown<EventBridgeError>(() => eb.putEvents({Entries: []})).name).toBe("ValidationException");
    expect(thrown<EventBridgeError>(() => eb.putEvents({Entries: Array.from({length: 11}, () => order())})).message).toMatch(/1 to 10/);
    const big = {Source: "a", DetailType: "b", Detail: JSON.stringify({x: "y".repeat(256 * 1024)})};
    expect(thrown<EventBridgeError>(() => eb.putEvents({Entries: [big]})).message).toMatch(/over the limit/);
  });

  it("computes entry size as AWS documents it", () => {
    expect(entrySize({Source: "ab", DetailType: "cd", Detail: '{"é":1}', Resources: ["r"], Time: new Date(0)})).toBe(14 + 2 + 2 + 8 + 1);
  });

  it("builds the event envelope on the virtual clock", async () => {
    const {sim, eb} = setup();
    const queue = eb.createQueue("q");
    eb.putRule({Name: "all", EventPattern: {source: ["shop.orders"]}});
    eb.putTargets({Rule: "all", Targets: [{Id: "q", Arn: queue.arn}]});
    await sim.advance(5_000);
    eb.putEvents({Entries: [{...order(), Resources: ["arn:x"]}]});
    await sim.runUntilIdle();
    const event = JSON.parse(queue.messages[0].Body);
    expect(event).toMatchObject({version: "0", source: "shop.orders", "detail-type": "OrderPlaced", account: "123456789012", region: "us-east-1", time: "2026-11-26T00:00:05Z", resources: ["arn:x"], detail: {status: "placed", total: 42}});
    expect(queue.messages[0].SentTimestamp).toBe(5_000 + eb.deliveryDelayMs);
  });
});

describe("rules and targets", () => {
  it("routes only to enabled rules whose pattern matches; Fields the pattern does not name are ignored", async () => {
    const {sim, eb} = setup();
    const big = eb.createQueue("big");
    const all = eb.createQueue("all");
    eb.putRule({Name: "big-orders", EventPattern: JSON.stringify({source: ["shop.orders"], detail: {total: [{numeric: [">=", 100]}]}})});
    eb.putRule({Name: "every-order", EventPattern: {source: ["shop.orders"]}});
    eb.putTargets({Rule: "big-orders", Targets: [{Id: "big", Arn: big.arn}]});
    eb.putTargets({Rule: "every-order", Targets: [{Id: "all", Arn: all.arn}]});
    eb.putEvents({Entries: [order({total: 42}), order({total: 420}), {Source: "other", DetailType: "x", Detail: "{}"}]});
    await sim.runUntilIdle();
    expect(big.messages).toHaveLength(1);
    expect(all.messages).toHaveLength(2);
    expect(sim.trace.filter("eventbridge.unmatched")).toHaveLength(1);
    eb.disableRule({Name: "every-order"});
    eb.putEvents({Entries: [order()]});
    await sim.runUntilIdle();
    expect(all.messages).toHaveLength(2);
    expect(eb.describeRule({Name: "every-order"})).toMatchObject({State: "DISABLED", EventPattern: '{"source":["shop.orders"]}'});
  });

  it("refuses an invalid pattern with InvalidEventPatternException and keeps the old rule", () => {
    const {eb} = setup();
    eb.putRule({Name: "r", EventPattern: {source: ["a"]}});
    const error = thrown<EventBridgeError>(() => eb.putRule({Name: "r", EventPattern: '{"source": "a"}'}));
    expect(error.name).toBe("InvalidEventPatternException");
    expect(error.message).toMatch(/at source: the value of "source" must be an array/);
    expect(eb.describeRule({Name: "r"}).EventPattern).toBe('{"source":["a"]}');
    expect(thrown<EventBridgeError>(() => eb.putRule({Name: "bad name!", EventPattern: {a: [1]}})).name).toBe("ValidationException");
  });

  it("validates targets one by one and limits a rule to 5", () => {
    const {eb} = setup();
    const q = eb.createQueue("q");
    eb.putRule({Name: "r", EventPattern: {source: ["a"]}});
    const result = eb.putTargets({
      Rule: "r",
      Targets: [
        {Id: "ok", Arn: q.arn},
        {Id: "two-inputs", Arn: q.arn, Input: "{}", InputPath: "$.detail"},
        {Id: "bad-retry", Arn: q.arn, RetryPolicy: {MaximumRetryAttempts: 186}},
        {Id: "bad-age", Arn: q.arn, RetryPolicy: {MaximumEventAgeInSeconds: 59}},
        {Id: "bad-dlq", Arn: q.arn, DeadLetterConfig: {Arn: "arn:aws:sqs:us-east-1:123456789012:missing"}}
      ]
    });
    expect(result.FailedEntries.map((f) => f.TargetId)).toEqual(["two-inputs", "bad-retry", "bad-age", "bad-dlq"]);
    expect(eb.listTargetsByRule({Rule: "r"}).Targets.map((t) => t.Id)).toEqual(["ok"]);
    const six = Array.from({length: 6}, (_, i) => ({Id: `t${i}`, Arn: q.arn}));
    expect(thrown<EventBridgeError>(() => eb.putTargets({Rule: "r", Targets: six})).name).toBe("LimitExceededException");
    expect(thrown<EventBridgeError>(() => eb.deleteRule({Name: "r"})).message).toMatch(/has targets/);
    eb.removeTargets({Rule: "r", Ids: ["ok"]});
    eb.deleteRule({Name: "r"});
    expect(eb.listRules().Rules).toHaveLength(0);
  });

  it("supports custom buses", async () => {
    const {sim, eb} = setup();
    const {EventBusArn} = eb.createEventBus({Name: "orders"});
    const q = eb.createQueue("q");
    const {RuleArn} = eb.putRule({Name: "r", EventBusName: "orders", EventPattern: {source: ["shop.orders"]}});
    expect(RuleArn).toBe("arn:aws:events:us-east-1:123456789012:rule/orders/r");
    eb.putTargets({Rule: "r", EventBusName: "orders", Targets: [{Id: "q", Arn: q.arn}]});
    eb.putEvents({Entries: [order(), {...order(), EventBusName: EventBusArn}]});
    await sim.runUntilIdle();
    expect(q.messages).toHaveLength(1);
  });
});

describe("input transformation", () => {
  const event = {id: "e1", source: "aws.ec2", detail: {"instance-id": "i-0123", state: "RUNNING", tags: ["a"], n: 7}};
  const context = {ruleName: "r", ruleArn: "arn:r", ingestionTime: "2026-11-26T00:00:00Z"};

  it("fills a JSON template with JSON values and a string template with text (User Guide examples)", () => {
    const InputPathsMap = {instance: "$.detail.instance-id", state: "$.detail.state"};
    expect(transformInput(event, {InputPathsMap, InputTemplate: '{"instance": <instance>, "state": [9, <state>, true], "Transformed": "Yes"}'}, context)).toEqual({
      instance: "i-0123",
      state: [9, "RUNNING", true],
      Transformed: "Yes"
    });
    expect(transformInput(event, {InputPathsMap, InputTemplate: '"instance <instance> is in <state>"'}, context)).toBe("instance i-0123 is in RUNNING");
    expect(transformInput(event, {InputPathsMap, InputTemplate: '{"message": "instance <instance> is \\"<state>\\""}'}, context)).toEqual({message: 'instance i-0123 is "RUNNING"'});
  });

  it("knows the predefined variables and leaves unknown placeholders alone", () => {
    const out = transformInput(event, {InputTemplate: '{"rule": <aws.events.rule-name>, "at": "<aws.events.event.ingestion-time>", "e": <aws.events.event.json>, "x": "<unknown>"}'}, context);
    expect(out).toEqual({rule: "r", at: "2026-11-26T00:00:00Z", e: event, x: "<unknown>"});
  });

  it("reads JSONPaths and reports bad ones", () => {
    expect(readJsonPath(event, "$.detail.tags[0]")).toBe("a");
    expect(readJsonPath(event, "$['detail']['n']")).toBe(7);
    expect(readJsonPath(event, "$.detail.missing")).toBeUndefined();
    expect(parseJsonPath("detail.state")).toMatch(/starts with "\$"/);
  });

  it("delivers transformed input, Input and InputPath to targets", async () => {
    const {sim, eb} = setup();
    const seen: unknown[] = [];
    const fn = eb.createFunction("handler", (input) => void seen.push(input));
    eb.putRule({Name: "r", EventPattern: {source: ["shop.orders"]}});
    eb.putTargets({
      Rule: "r",
      Targets: [
        {Id: "t1", Arn: fn.arn, InputTransformer: {InputPathsMap: {total: "$.detail.total"}, InputTemplate: '{"amount": <total>}'}},
        {Id: "t2", Arn: fn.arn, Input: '{"fixed": true}'},
        {Id: "t3", Arn: fn.arn, InputPath: "$.detail"}
      ]
    });
    eb.putEvents({Entries: [order()]});
    await sim.runUntilIdle();
    expect(seen).toEqual([{amount: 42}, {fixed: true}, {status: "placed", total: 42}]);
    expect(fn.invocations.every((i) => i.ok)).toBe(true);
  });
});

describe("retries and dead-letter queues", () => {
  it("retries a failing target with growing, jittered delays, then succeeds", async () => {
    const {sim, eb} = setup();
    let calls = 0;
    const fn = eb.createFunction("flaky", () => {
      if (++calls <= 3) throw new Error("database down");
    });
    eb.putRule({Name: "r", EventPattern: {source: ["shop.orders"]}});
    eb.putTargets({Rule: "r", Targets: [{Id: "f", Arn: fn.arn}]});
    eb.putEvents({Entries: [order()]});
    await sim.runUntilIdle();
    const failures = sim.trace.filter("eventbridge.deliver.failed");
    expect(failures.map((f) => f.attempt)).toEqual([0, 1, 2]);
    const delays = failures.map((f) => f.retryInMs as number);
    delays.forEach((d, i) => {
      const step = Math.min(eb.retryMaxDelayMs, eb.retryBaseDelayMs * 2 ** i);
      expect(d).toBeGreaterThanOrEqual(step / 2);
      expect(d).toBeLessThanOrEqual(step);
    });
    expect(sim.trace.filter("eventbridge.deliver")).toMatchObject([{attempt: 3}]);
    expect(failures[0]).toMatchObject({errorCode: "FunctionError", errorMessage: "database down"});
  });

  it("sends to the DLQ with the documented attributes when retries are exhausted", async () => {
    const {sim, eb} = setup();
    const fn = eb.createFunction("broken", () => {
      throw new Error("boom");
    });
    const dlq = eb.createQueue("dlq");
    eb.putRule({Name: "r", EventPattern: {source: ["shop.orders"]}});
    eb.putTargets({Rule: "r", Targets: [{Id: "f", Arn: fn.arn, RetryPolicy: {MaximumRetryAttempts: 2}, DeadLetterConfig: {Arn: dlq.arn}}]});
    eb.putEvents({Entries: [order()]});
    await sim.runUntilIdle();
    expect(fn.invocations).toHaveLength(3);
    expect(dlq.messages).toHaveLength(1);
    const attributes = Object.fromEntries(Object.entries(dlq.messages[0].MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue]));
    expect(attributes).toEqual({
      ERROR_CODE: "FunctionError",
      ERROR_MESSAGE: "boom",
      EXHAUSTED_RETRY_CONDITION: "MaximumRetryAttemptsExhausted",
      RETRY_ATTEMPTS: "2",
      RULE_ARN: "arn:aws:events:us-east-1:123456789012:rule/r",
      TARGET_ARN: fn.arn
    });
    expect(JSON.parse(dlq.messages[0].Body).source).toBe("shop.orders");
    expect(sim.trace.filter("eventbridge.dlq")).toHaveLength(1);
  });

  it("gives up when the event would be older than MaximumEventAgeInSeconds, and drops without a DLQ", async () => {
    const {sim, eb} = setup();
    const q = eb.createQueue("down", {failureRate: 1});
    eb.putRule({Name: "r", EventPattern: {source: ["shop.orders"]}});
    eb.putTargets({Rule: "r", Targets: [{Id: "q", Arn: q.arn, RetryPolicy: {MaximumEventAgeInSeconds: 60}}]});
    eb.putEvents({Entries: [order()]});
    await sim.runUntilIdle();
    const drop = sim.trace.filter("eventbridge.drop");
    expect(drop).toMatchObject([{condition: "MaximumEventAgeExceeded"}]);
    expect(sim.now).toBeLessThanOrEqual(60_000 + eb.deliveryDelayMs);
    expect(q.messages).toHaveLength(0);
  });

  it("retries by default up to 185 times within 24 hours; unknown target ARNs fail", async () => {
    const {sim, eb} = setup();
    eb.putRule({Name: "r", EventPattern: {source: ["shop.orders"]}});
    eb.putTargets({Rule: "r", Targets: [{Id: "ghost", Arn: "arn:aws:lambda:us-east-1:123456789012:function:ghost"}]});
    eb.putEvents({Entries: [order()]});
    await sim.runUntilIdle();
    const failures = sim.trace.filter("eventbridge.deliver.failed");
    expect(failures[0].errorCode).toBe("ResourceNotFoundException");
    expect(failures.length).toBe(186);
    expect(sim.trace.filter("eventbridge.drop")).toMatchObject([{condition: "MaximumRetryAttemptsExhausted"}]);
    expect(sim.now).toBeLessThanOrEqual(86_400_000);
  });
});

describe("archives and replay", () => {
  it("archives matching events, expires them after the retention period, and replays a time window", async () => {
    const {sim, eb} = setup();
    const q = eb.createQueue("q");
    const {RuleArn} = eb.putRule({Name: "r", EventPattern: {source: ["shop.orders"]}});
    eb.putRule({Name: "other", EventPattern: {source: ["shop.orders"]}});
    eb.putTargets({Rule: "r", Targets: [{Id: "q", Arn: q.arn}]});
    const {ArchiveArn} = eb.createArchive({ArchiveName: "orders", EventSourceArn: eb.listEventBuses().EventBuses[0].Arn, EventPattern: {detail: {status: ["placed"]}}, RetentionDays: 1});
    for (let hour = 0; hour < 4; hour++) {
      eb.putEvents({Entries: [order({status: "placed", hour}), order({status: "cancelled", hour})]});
      await sim.advance(3_600_000);
    }
    expect(eb.describeArchive({ArchiveName: "orders"}).EventCount).toBe(4);
    expect(q.messages).toHaveLength(8);

    // Replay hours 1 and 2 to rule r only.
    eb.startReplay({
      ReplayName: "redo",
      EventSourceArn: ArchiveArn,
      EventStartTime: eb.dateAt(3_600_000),
      EventEndTime: eb.dateAt(3 * 3_600_000),
      Destination: {Arn: eb.listEventBuses().EventBuses[0].Arn, FilterArns: [RuleArn]}
    });
    expect(eb.describeReplay({ReplayName: "redo"}).State).toBe("STARTING");
    await sim.runUntilIdle();
    expect(eb.describeReplay({ReplayName: "redo"}).State).toBe("COMPLETED");
    const replayed = q.messages.slice(8).map((m) => JSON.parse(m.Body));
    expect(replayed.map((e) => [e.detail.hour, e["replay-name"]])).toEqual([
      [1, "redo"],
      [2, "redo"]
    ]);
    expect(sim.trace.filter("eventbridge.match").filter((m) => m.replay === "redo").map((m) => m.rule)).toEqual(["r", "r"]);
    expect(eb.describeArchive({ArchiveName: "orders"}).EventCount).toBe(4); // replays are not archived again

    // A day later the events are gone.
    await sim.advance(86_400_000);
    expect(eb.describeArchive({ArchiveName: "orders"}).EventCount).toBe(0);
    expect(sim.trace.filter("eventbridge.archive.expire")).toHaveLength(1);
  });

  it("refuses bad replays with a message that says what to change", () => {
    const {eb} = setup();
    const bus = eb.listEventBuses().EventBuses[0].Arn;
    const {ArchiveArn} = eb.createArchive({ArchiveName: "a", EventSourceArn: bus});
    const base = {ReplayName: "r", EventSourceArn: ArchiveArn, EventStartTime: eb.dateAt(0), EventEndTime: eb.dateAt(0), Destination: {Arn: bus}};
    expect(thrown<EventBridgeError>(() => eb.startReplay(base)).message).toMatch(/before EventEndTime/);
    expect(thrown<EventBridgeError>(() => eb.startReplay({...base, EventEndTime: eb.dateAt(1000)})).message).toMatch(/in the future/);
    expect(thrown<EventBridgeError>(() => eb.startReplay({...base, EventSourceArn: "arn:nope"})).name).toBe("ResourceNotFoundException");
  });
});

describe("determinism", () => {
  async function scenario(seed: string) {
    const {sim, eb} = setup(seed);
    const fn = eb.createFunction("sometimes", () => undefined, {failureRate: 0.5});
    const dlq = eb.createQueue("dlq");
    eb.putRule({Name: "r", EventPattern: {source: ["shop.orders"]}});
    eb.putTargets({Rule: "r", Targets: [{Id: "f", Arn: fn.arn, RetryPolicy: {MaximumRetryAttempts: 3}, DeadLetterConfig: {Arn: dlq.arn}}]});
    for (let i = 0; i < 20; i++) {
      eb.putEvents({Entries: [order({i})]});
      await sim.advance(100);
    }
    await sim.runUntilIdle();
    return sim.trace.events;
  }

  it("replays exactly for the same seed", async () => {
    expect(await scenario("a")).toEqual(await scenario("a"));
    expect(await scenario("a")).not.toEqual(await scenario("b"));
  });
});
