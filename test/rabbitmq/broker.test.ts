import {createRequire} from "node:module";
import {dirname, join} from "node:path";
import {describe, expect, it} from "vitest";
import fc from "fast-check";
import {createSimulation} from "../../src/components/sim/index.js";
import {createBroker} from "../../src/components/rabbitmq/broker.js";
import {AmqpError, connect, IllegalOperationError, type ConsumeMessage} from "../../src/components/rabbitmq/amqplib.js";

// amqplib's own frame encoder (its package exports only the API, so by path).
const require = createRequire(import.meta.url);
const amqplibDefs: {BasicPublish: number; encodeMethod: (id: number, channel: number, fields: object) => Buffer} = require(join(dirname(require.resolve("amqplib")), "lib", "defs.js"));

async function setup(seed = 1) {
  const sim = createSimulation({seed});
  const broker = createBroker(sim);
  const conn = await connect("amqp://localhost", {broker});
  const ch = await conn.createChannel();
  return {sim, broker, conn, ch};
}

describe("delivery on the simulation clock", () => {
  it("delivers during runUntilIdle, round-robin within each consumer's prefetch", async () => {
    const {sim, ch} = await setup();
    await ch.assertQueue("work");
    await ch.prefetch(1);
    const log: string[] = [];
    const held: ConsumeMessage[] = [];
    for (const name of ["A", "B"]) {
      await ch.consume("work", (msg) => {
        log.push(`${name}:${msg!.content.toString()}`);
        held.push(msg!);
      });
    }
    for (const m of ["1", "2", "3", "4"]) ch.sendToQueue("work", m);
    expect(log).toEqual([]); // nothing before the simulation runs
    await sim.runUntilIdle();
    expect(log).toEqual(["A:1", "B:2"]);
    ch.ack(held[0]);
    await sim.runUntilIdle();
    expect(log).toEqual(["A:1", "B:2", "A:3"]);
  });

  it("replays: the same seed and scenario give the same trace", async () => {
    const run = async () => {
      const {sim, ch} = await setup(7);
      const {queue} = await ch.assertQueue("", {exclusive: true});
      await ch.consume(queue, (msg) => msg && ch.ack(msg));
      for (let i = 0; i < 5; i++) ch.sendToQueue(queue, `m${i}`);
      await sim.runUntilIdle();
      return sim.trace.events;
    };
    const [a, b] = [await run(), await run()];
    expect(a).toEqual(b);
    expect(new Set(a.map((e) => e.kind))).toEqual(
      new Set(["rabbitmq.connection.open", "rabbitmq.channel.open", "rabbitmq.queue.declare", "rabbitmq.consume", "rabbitmq.publish", "rabbitmq.enqueue", "rabbitmq.deliver", "rabbitmq.ack"])
    );
  });

  it("runUntilIdle does not expire TTLs; advance does", async () => {
    const {sim, ch, broker} = await setup();
    await ch.assertQueue("q", {messageTtl: 1000});
    ch.sendToQueue("q", "x");
    await sim.runUntilIdle();
    expect(broker.queue("q").messageCount).toBe(1);
    expect(sim.now).toBe(0);
    await sim.advance(999);
    expect(broker.queue("q").messageCount).toBe(1);
    await sim.advance(1);
    expect(broker.queue("q").messageCount).toBe(0);
    expect(sim.trace.filter("rabbitmq.drop")).toMatchObject([{queue: "q", reason: "expired"}]);
  });

  it("x-message-ttl=0 delivers to a consumer that can take the message, else expires it", async () => {
    const {sim, ch} = await setup();
    await ch.assertQueue("now", {messageTtl: 0});
    ch.sendToQueue("now", "lost");
    await sim.runUntilIdle();
    const got: string[] = [];
    await ch.consume("now", (msg) => got.push(msg!.content.toString()), {noAck: true});
    ch.sendToQueue("now", "caught");
    await sim.advance(10);
    expect(got).toEqual(["caught"]);
  });

  it("a global prefetch limits all the channel's consumers together", async () => {
    const {sim, ch} = await setup();
    await ch.assertQueue("a");
    await ch.assertQueue("b");
    await ch.prefetch(3, true);
    const got: string[] = [];
    await ch.consume("a", (m) => got.push(m!.content.toString()));
    await ch.consume("b", (m) => got.push(m!.content.toString()));
    for (let i = 0; i < 4; i++) ch.sendToQueue("a", `a${i}`), ch.sendToQueue("b", `b${i}`);
    await sim.runUntilIdle();
    expect(got).toHaveLength(3);
  });

  it("get reports the messages left; noAck consumers ignore prefetch", async () => {
    const {sim, ch} = await setup();
    await ch.assertQueue("q");
    for (let i = 0; i < 3; i++) ch.sendToQueue("q", `${i}`);
    const msg = await ch.get("q");
    expect(msg && msg.fields).toMatchObject({deliveryTag: 1, messageCount: 2, redelivered: false});
    await ch.prefetch(1);
    const got: string[] = [];
    await ch.consume("q", (m) => got.push(m!.content.toString()), {noAck: true});
    await sim.runUntilIdle();
    expect(got).toEqual(["1", "2"]);
  });
});

describe("publishing", () => {
  it("confirms, returns unroutable mandatory messages, counts unroutable ones", async () => {
    const {sim, broker, conn} = await setup();
    const ch = await conn.createConfirmChannel();
    await ch.assertExchange("events", "topic");
    const returned: string[] = [];
    ch.on("return", (msg) => returned.push(`${msg.fields.replyCode} ${msg.fields.replyText} ${msg.fields.routingKey}`));
    ch.publish("events", "nobody.listens", "x", {mandatory: true});
    ch.publish("events", "nobody.listens", "y");
    const confirmed = ch.waitForConfirms();
    await sim.runUntilIdle();
    await confirmed;
    expect(returned).toEqual(["312 NO_ROUTE nobody.listens"]);
    expect(broker.stats).toMatchObject({published: 2, unroutable: 2, returned: 1});
  });

  it("nacks a publish that x-overflow=reject-publish refuses", async () => {
    const {sim, conn} = await setup();
    const ch = await conn.createConfirmChannel();
    await ch.assertQueue("bounded", {maxLength: 1, overflow: "reject-publish"});
    const outcomes: boolean[] = [];
    ch.sendToQueue("bounded", "1", {}, (err) => outcomes.push(!err));
    ch.sendToQueue("bounded", "2", {}, (err) => outcomes.push(!err));
    const confirmed = ch.waitForConfirms();
    await sim.runUntilIdle();
    await expect(confirmed).rejects.toThrow("message nacked");
    expect(outcomes).toEqual([true, false]);
  });

  it("drops a dead-letter cycle with no rejection in it", async () => {
    const {sim, ch, broker} = await setup();
    await ch.assertQueue("loop", {messageTtl: 10, deadLetterExchange: ""}); // dead-letters to itself
    ch.sendToQueue("loop", "x");
    await sim.advance(100);
    expect(broker.queue("loop").messageCount).toBe(0);
    expect(sim.trace.filter("rabbitmq.deadletter")).toMatchObject([{queue: "loop", reason: "expired", queues: []}]);
  });
});

describe("queues", () => {
  it("exclusive queues belong to their connection and go with it", async () => {
    const {broker, conn, ch} = await setup();
    await ch.assertQueue("mine", {exclusive: true});
    const other = await (await connect(undefined, {broker})).createChannel();
    await expect(other.checkQueue("mine")).rejects.toMatchObject({code: 405});
    await conn.close();
    expect(broker.queues.has("mine")).toBe(false);
  });

  it("auto-delete queues go when their last consumer is cancelled", async () => {
    const {broker, ch} = await setup();
    await ch.assertQueue("temp", {autoDelete: true});
    const {consumerTag} = await ch.consume("temp", () => {});
    expect(broker.queues.has("temp")).toBe(true);
    await ch.cancel(consumerTag);
    expect(broker.queues.has("temp")).toBe(false);
  });

  it("a consumer hears null when its queue is deleted", async () => {
    const {ch} = await setup();
    await ch.assertQueue("q");
    const got: unknown[] = [];
    await ch.consume("q", (m) => got.push(m));
    await ch.deleteQueue("q");
    expect(got).toEqual([null]);
  });
});

describe("bad input: RabbitMQ's errors, state intact", () => {
  it("an invalid exchange type is a connection error (503 COMMAND_INVALID)", async () => {
    const {broker, conn, ch} = await setup();
    const before = [...broker.exchanges.keys()];
    await expect(ch.assertExchange("x", "round-robin")).rejects.toThrow(`Connection closed: 503 (COMMAND-INVALID) with message "COMMAND_INVALID - invalid exchange type 'round-robin'"`);
    expect([...broker.exchanges.keys()]).toEqual(before);
    await expect(conn.createChannel()).rejects.toBeInstanceOf(IllegalOperationError);
  });

  it("binding a missing queue is NOT_FOUND and closes only that channel", async () => {
    const {broker, conn, ch} = await setup();
    await ch.assertExchange("x", "direct");
    await expect(ch.bindQueue("missing", "x", "k")).rejects.toMatchObject({code: 404, replyText: "NOT_FOUND - no queue 'missing' in vhost '/'"});
    expect(broker.exchange("x").bindings).toEqual([]);
    await expect(ch.assertQueue("q")).rejects.toThrow("Channel closed");
    const ch2 = await conn.createChannel();
    await expect(ch2.assertQueue("q")).resolves.toMatchObject({queue: "q"});
  });

  it("binding arguments or message headers that are not an object get a clear error; the channel stays open", async () => {
    const {broker, ch} = await setup();
    await ch.assertQueue("pdf");
    for (const bad of [null, [], "x-match=any"]) {
      await expect(ch.bindQueue("pdf", "amq.headers", "", bad), JSON.stringify(bad)).rejects.toThrow(/binding arguments must be an object of header names and values \(an AMQP table\), like \{"x-match"/);
      expect(() => ch.publish("amq.headers", "", Buffer.from("x"), {headers: bad}), JSON.stringify(bad)).toThrow(/headers must be an object of header names and values/);
    }
    expect(broker.exchange("amq.headers").bindings).toEqual([]);
    expect(broker.stats.published).toBe(0);
    await ch.bindQueue("pdf", "amq.headers", "", {"x-match": "any", format: "pdf"});
    ch.publish("amq.headers", "", Buffer.from("x"), {headers: {format: "pdf"}});
    expect(broker.queue("pdf").messageCount).toBe(1);
  });

  it("a routing key is refused as amqplib's encoder refuses it: over 255 bytes of UTF-8, however many characters", async () => {
    const {ch} = await setup();
    const amqplibTakes = (routingKey: string) => {
      try {
        amqplibDefs.encodeMethod(amqplibDefs.BasicPublish, 1, {ticket: 0, exchange: "", routingKey, mandatory: false, immediate: false});
        return true;
      } catch {
        return false;
      }
    };
    const modelTakes = (routingKey: string) => {
      try {
        ch.publish("", routingKey, Buffer.from("x"));
        return true;
      } catch (error) {
        expect(error).toBeInstanceOf(TypeError);
        return false;
      }
    };
    // Characters of 1 to 4 bytes (a lone surrogate is encoded as 3), in keys of 60 to 300 characters:
    // both sides of 85 and of 255 characters, where the model decides without encoding.
    const key = fc.array(fc.constantFrom("a", "é", "€", "😀", "\ud800"), {minLength: 60, maxLength: 300}).map((cs) => cs.join(""));
    let taken = 0;
    fc.assert(
      fc.property(key, (k) => {
        const takes = amqplibTakes(k);
        taken += +takes;
        expect(modelTakes(k)).toBe(takes);
      }),
      {numRuns: 1000}
    );
    expect(taken).toBeGreaterThan(50);
    expect(taken).toBeLessThan(950);
    for (const k of ["a".repeat(255), "€".repeat(85), "😀".repeat(63)]) expect(modelTakes(k)).toBe(true);
    for (const k of ["a".repeat(256), "€".repeat(86), "😀".repeat(64)]) expect(modelTakes(k)).toBe(false);
  });

  it("publishing on a closed channel is 'Channel closed' before its fields are checked, as in amqplib", async () => {
    const {conn, ch} = await setup();
    const confirms = await conn.createConfirmChannel();
    for (const channel of [ch, confirms]) {
      await channel.close();
      expect(() => channel.publish("", "k".repeat(300), Buffer.from("x"))).toThrow(IllegalOperationError);
      expect(() => channel.publish("", "k".repeat(300), Buffer.from("x"))).toThrow("Channel closed");
    }
  });

  it("redeclaring with other arguments is PRECONDITION_FAILED; the queue keeps its own", async () => {
    const {broker, conn, ch} = await setup();
    await ch.assertQueue("q", {maxLength: 5});
    await expect(ch.assertQueue("q", {maxLength: 10})).rejects.toThrow(
      `Operation failed: QueueDeclare; 406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - inequivalent arg 'x-max-length' for queue 'q' in vhost '/': received '10' but current is '5'"`
    );
    expect(broker.queue("q").args).toEqual({"x-max-length": 5});
    const ch2 = await conn.createChannel();
    await expect(ch2.assertQueue("q", {overflow: "drop-tail" as string})).rejects.toMatchObject({code: 406});
  });

  it("an unknown delivery tag is a channel error; with no 'error' listener it is thrown", async () => {
    const {sim, broker, conn, ch} = await setup();
    await ch.assertQueue("q");
    ch.sendToQueue("q", "x");
    const msg = await ch.get("q");
    if (!msg) throw new Error("expected a message");
    ch.ack(msg);
    let thrown: unknown;
    try {
      ch.ack(msg);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AmqpError);
    expect((thrown as AmqpError).message).toBe(`Channel closed by server: 406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - unknown delivery tag 1"`);
    expect(broker.stats.acked).toBe(1);
    const ch2 = await conn.createChannel();
    const errors: string[] = [];
    ch2.on("error", (e: Error) => errors.push(e.message));
    ch2.nack({fields: {deliveryTag: 9}} as never);
    expect(errors).toHaveLength(1);
    await sim.runUntilIdle();
  });

  it("a refused ack changes nothing, even with allUpTo", async () => {
    const {broker, conn, ch} = await setup();
    await ch.assertQueue("q");
    ch.sendToQueue("q", "1");
    ch.sendToQueue("q", "2");
    await ch.get("q");
    ch.on("error", () => {});
    ch.ack({fields: {deliveryTag: 5}} as never, true);
    expect(broker.stats.acked).toBe(0);
    // the closed channel returned its unacked message to the queue
    expect(broker.queue("q").messageCount).toBe(2);
    const ch2 = await conn.createChannel();
    const again = await ch2.get("q");
    expect(again && again.fields.redelivered).toBe(true);
  });
});
