// The AWS SDK v3 look-alike: commands, field names, errors and $metadata as real code sees them.
import {describe, expect, it} from "vitest";
import {
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  TestEventPatternCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  CreateArchiveCommand,
  StartReplayCommand,
  DescribeReplayCommand
} from "../../src/components/eventbridge/sdk.js";
import {createSimulation} from "../../src/components/sim/index.js";

const event = {
  id: "1",
  account: "123456789012",
  source: "shop.orders",
  time: "2026-11-26T00:00:00Z",
  region: "us-east-1",
  resources: [],
  "detail-type": "OrderPlaced",
  detail: {total: 42}
};

describe("EventBridgeClient", () => {
  it("runs the usual rule → target → PutEvents flow like real SDK code", async () => {
    const sim = createSimulation({seed: 1});
    const client = new EventBridgeClient({sim, region: "us-east-1"});
    const queue = client.eventBridge.createQueue("orders-queue");
    const {RuleArn, $metadata} = await client.send(new PutRuleCommand({Name: "orders", EventPattern: JSON.stringify({source: ["shop.orders"]}), State: "ENABLED"}));
    expect(RuleArn).toBe("arn:aws:events:us-east-1:123456789012:rule/orders");
    expect($metadata.httpStatusCode).toBe(200);
    const targets = await client.send(new PutTargetsCommand({Rule: "orders", Targets: [{Id: "queue", Arn: queue.arn}]}));
    expect(targets.FailedEntryCount).toBe(0);
    const put = await client.send(new PutEventsCommand({Entries: [{Source: "shop.orders", DetailType: "OrderPlaced", Detail: JSON.stringify({total: 42})}, {Source: "shop.orders"}]}));
    expect(put.FailedEntryCount).toBe(1);
    expect(put.Entries[1]).toEqual({ErrorCode: "InvalidArgument", ErrorMessage: "Parameter DetailType is not valid. Reason: DetailType is a required argument."});
    await sim.runUntilIdle();
    expect(queue.messages).toHaveLength(1);
    await client.send(new DisableRuleCommand({Name: "orders"}));
    expect((await client.send(new DescribeRuleCommand({Name: "orders"}))).State).toBe("DISABLED");
  });

  it("TestEventPattern returns {Result} and requires the envelope fields", async () => {
    const client = new EventBridgeClient({sim: createSimulation()});
    const yes = await client.send(new TestEventPatternCommand({EventPattern: JSON.stringify({detail: {total: [{numeric: [">", 10]}]}}), Event: JSON.stringify(event)}));
    expect(yes.Result).toBe(true);
    const no = await client.send(new TestEventPatternCommand({EventPattern: JSON.stringify({source: ["other"]}), Event: JSON.stringify(event)}));
    expect(no.Result).toBe(false);
    await expect(client.send(new TestEventPatternCommand({EventPattern: '{"source": ["x"]}', Event: '{"source": "x"}'}))).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringMatching(/missing id, account, time, region, resources, detail-type/)
    });
    await expect(client.send(new TestEventPatternCommand({EventPattern: '{"source": "x"}', Event: JSON.stringify(event)}))).rejects.toMatchObject({name: "InvalidEventPatternException"});
  });

  it("rejects with the AWS exception name", async () => {
    const client = new EventBridgeClient({sim: createSimulation()});
    await expect(client.send(new PutRuleCommand({Name: "r", EventPattern: "{}"}))).rejects.toMatchObject({name: "InvalidEventPatternException", message: expect.stringMatching(/empty objects/)});
    await expect(client.send(new DescribeRuleCommand({Name: "missing"}))).rejects.toMatchObject({name: "ResourceNotFoundException"});
    expect(() => new EventBridgeClient({})).toThrow(/needs a simulation/);
  });

  it("shares one simulated EventBridge between clients, and replays through commands", async () => {
    const sim = createSimulation();
    const first = new EventBridgeClient({sim});
    const second = new EventBridgeClient({eventBridge: first.eventBridge});
    const eb = first.eventBridge;
    const q = eb.createQueue("q");
    await first.send(new PutRuleCommand({Name: "r", EventPattern: {source: ["a"]}}));
    await second.send(new PutTargetsCommand({Rule: "r", Targets: [{Id: "q", Arn: q.arn}]}));
    const busArn = eb.listEventBuses().EventBuses[0].Arn;
    const {ArchiveArn} = await first.send(new CreateArchiveCommand({ArchiveName: "all", EventSourceArn: busArn}));
    await second.send(new PutEventsCommand({Entries: [{Source: "a", DetailType: "t", Detail: "{}"}]}));
    await sim.advance(1000);
    await first.send(new StartReplayCommand({ReplayName: "again", EventSourceArn: ArchiveArn, EventStartTime: eb.dateAt(0), EventEndTime: eb.dateAt(), Destination: {Arn: busArn}}));
    await sim.runUntilIdle();
    expect((await first.send(new DescribeReplayCommand({ReplayName: "again"}))).State).toBe("COMPLETED");
    expect(q.messages).toHaveLength(2);
  });
});
