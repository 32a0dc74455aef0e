// Differential test: the same operations through amqplib against a real RabbitMQ (started by
// test/setup/rabbitmq.ts) and through the simulated broker's amqplib facade. Any difference fails.
import {describe, expect, inject, it, beforeAll} from "vitest";
import fc from "fast-check";
import * as amqplib from "amqplib";
import type * as amqp from "amqplib";
import {createSimulation, type Simulation} from "../../src/components/sim/index.js";
import {createBroker} from "../../src/components/rabbitmq/broker.js";
import * as sim from "../../src/components/rabbitmq/amqplib.js";
import {waitForRabbitMQ} from "./rabbitmq-ready.js";

const url = inject("amqpUrl");
const skipReason = inject("rabbitmqSkip");
const mustRun = process.env.CI === "true";

/** One side of the comparison: how to connect, and how to let time pass. */
interface Backend {
  name: string;
  connect(): Promise<amqp.ChannelModel>;
  /** Lets every due delivery, return and confirm happen (sim) or waits until `done` holds (real). */
  settle(done?: () => boolean): Promise<void>;
  /** Lets `ms` of (virtual or real) time pass. */
  wait(ms: number): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function realBackend(): Backend {
  return {
    name: "rabbitmq",
    connect: () => amqplib.connect(url) as unknown as Promise<amqp.ChannelModel>,
    async settle(done = () => true) {
      for (let waited = 0; !done(); waited += 5) {
        if (waited > 5000) throw new Error("timed out waiting for the real broker");
        await sleep(5);
      }
      await sleep(30); // anything the broker would still send after the condition holds
    },
      wait: async (ms) => void (await sleep(ms))
  };
}

function simBackend(seed = 1): Backend & {sim: Simulation} {
  const s = createSimulation({seed});
  const broker = createBroker(s);
  return {
    name: "simulation",
    sim: s,
    connect: () => sim.connect("amqp://localhost", {broker}) as unknown as Promise<amqp.ChannelModel>,
    settle: () => s.runUntilIdle(),
    wait: (ms) => s.advance(ms)
  };
}

// Names are the same on both sides (error texts quote them) and new on every run of the real broker.
let scenarioBase = "";
let nameCount = 0;
const unique = (label: string) => `${scenarioBase}.${nameCount++}.${label}`;

interface Seen {
  content: string;
  exchange: string;
  routingKey: string;
  redelivered: boolean;
  headers?: Record<string, unknown>;
}

function seen(msg: amqp.Message, withHeaders = false): Seen {
  const {exchange, routingKey, redelivered} = msg.fields;
  const out: Seen = {content: msg.content.toString(), exchange, routingKey, redelivered};
  if (withHeaders) {
    const headers = {...msg.properties.headers};
    // The time of death is wall-clock on the broker and virtual in the simulation.
    if (Array.isArray(headers["x-death"])) headers["x-death"] = headers["x-death"].map(({time: _time, ...d}: any) => d);
    out.headers = headers;
  }
  return out;
}

/** Takes every ready message from a queue with basic.get. */
async function drain(ch: amqp.Channel, queue: string, withHeaders = false): Promise<Seen[]> {
  const out: Seen[] = [];
  for (;;) {
    const msg = await ch.get(queue, {noAck: true});
    if (msg === false) return out;
    out.push(seen(msg, withHeaders));
  }
}

/** Runs a scenario on both backends and expects the same observations. */
let scenarioCount = 0;
async function same<T>(scenario: (b: Backend) => Promise<T>): Promise<T> {
  scenarioBase = `difftest.${process.pid}.${Date.now().toString(36)}.${scenarioCount++}`;
  nameCount = 0;
  const real = await scenario(realBackend());
  nameCount = 0;
  const simulated = await scenario(simBackend());
  expect(simulated).toEqual(real);
  return real;
}

/** Connection + confirm channel, closed (which deletes exclusive queues) after the body. */
async function session<T>(b: Backend, body: (ch: amqp.ConfirmChannel, conn: amqp.ChannelModel) => Promise<T>): Promise<T> {
  const conn = await b.connect();
  conn.on("error", () => {});
  try {
    const ch = await conn.createConfirmChannel();
    return await body(ch, conn);
  } finally {
    await conn.close().catch(() => {});
  }
}

async function publishAll(b: Backend, ch: amqp.ConfirmChannel, exchange: string, messages: {routingKey: string; headers?: Record<string, unknown>}[]) {
  messages.forEach((m, i) => ch.publish(exchange, m.routingKey, Buffer.from(String(i)), {headers: m.headers}));
  await b.settle();
  await ch.waitForConfirms();
}

/** A dead-letter exchange of the given type with one queue bound to it (binding key ""). */
async function deadLetterTarget(ch: amqp.Channel, type: string): Promise<{dlx: string; dlq: string}> {
  const dlx = unique("dlx");
  await ch.assertExchange(dlx, type, {durable: false, autoDelete: true});
  const {queue: dlq} = await ch.assertQueue(unique("dlq"), {exclusive: true});
  await ch.bindQueue(dlq, dlx, type === "direct" ? "dead" : "");
  return {dlx, dlq};
}

// --- routing: random bindings x routing keys, one exchange per run --------------------------

const topicWord = fc.constantFrom("a", "b", "", "*", "#");
const keyWord = fc.constantFrom("a", "b", "", "*", "#");
const words = (word: fc.Arbitrary<string>) => fc.array(word, {maxLength: 4}).map((w) => w.join("."));
const edgeBindingKeys = ["", "#", "#.#", "*", "a.#.b", "#.a", "a.#", ".", "a.", ".a", "*.*", "#.*", "a..b", "*.#.*"];
const edgeRoutingKeys = ["", ".", "a", "a.", ".a", "a..b", "a.b", "a.b.c", "..", "a.a.b"];

async function routeScenario(
  b: Backend,
  type: string,
  bindings: {key: string; args?: Record<string, unknown>}[],
  messages: {routingKey: string; headers?: Record<string, unknown>}[]
): Promise<Record<number, string[]>> {
  return session(b, async (ch) => {
    const x = unique(type);
    await ch.assertExchange(x, type, {durable: false, autoDelete: true});
    const queues: string[] = [];
    for (const [i, binding] of bindings.entries()) {
      const {queue} = await ch.assertQueue(unique(`q${i}`), {exclusive: true});
      await ch.bindQueue(queue, x, binding.key, binding.args);
      queues.push(queue);
    }
    await publishAll(b, ch, x, messages);
    const result: Record<number, string[]> = {};
    for (const [i, queue] of queues.entries()) result[i] = (await drain(ch, queue)).map((m) => m.content);
    await ch.deleteExchange(x);
    return result;
  });
}

const headerValue = fc.constantFrom<unknown>(1, 2, "1", "x", true, 1.5);
const headerKey = fc.constantFrom("a", "b", "x-k");
const bindingArgs = fc.record(
  {
    "x-match": fc.constantFrom("all", "any", "all-with-x", "any-with-x"),
    a: fc.oneof(headerValue, fc.constant(null)),
    b: headerValue,
    "x-k": headerValue
  },
  {requiredKeys: []}
);
const messageHeaders = fc.dictionary(headerKey, headerValue, {maxKeys: 3});

describe.skipIf(!url)(`RabbitMQ model = real RabbitMQ (${url ? "real broker at " + url : "skipped: " + skipReason})`, () => {
  // The global setup starts the node without waiting: wait here for the AMQP port.
  beforeAll(() => waitForRabbitMQ(url));

  it("routes like RabbitMQ: topic edge cases", async () => {
    const bindings = edgeBindingKeys.map((key) => ({key}));
    const messages = edgeRoutingKeys.map((routingKey) => ({routingKey}));
    await same((b) => routeScenario(b, "topic", bindings, messages));
  });

  for (const type of ["topic", "direct", "fanout"]) {
    it(`routes like RabbitMQ: random ${type} bindings x routing keys`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(words(topicWord), {minLength: 1, maxLength: 10}),
          fc.array(words(keyWord), {minLength: 1, maxLength: 16}),
          async (bindingKeys, routingKeys) => {
            await same((b) => routeScenario(b, type, bindingKeys.map((key) => ({key})), routingKeys.map((routingKey) => ({routingKey}))));
          }
        ),
        {seed: 4242, numRuns: type === "topic" ? 25 : type === "direct" ? 8 : 4}
      );
    });
  }

  it("routes like RabbitMQ: random headers bindings x headers", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(bindingArgs, {minLength: 1, maxLength: 10}), fc.array(messageHeaders, {minLength: 1, maxLength: 16}), async (args, headers) => {
        await same((b) =>
          routeScenario(b, "headers", args.map((a) => ({key: "", args: a})), headers.map((h) => ({routingKey: "", headers: h})))
        );
      }),
      {seed: 4242, numRuns: 15}
    );
  });

  it("default exchange, alternate exchange, unroutable with mandatory", async () => {
    await same((b) =>
      session(b, async (ch) => {
        const returned: unknown[] = [];
        ch.on("return", (msg: amqp.Message) => returned.push({content: msg.content.toString(), ...msg.fields}));
        const confirms: unknown[] = [];
        const ae = unique("ae"), main = unique("main"), lonely = unique("lonely");
        await ch.assertExchange(ae, "fanout", {durable: false, autoDelete: true});
        await ch.assertExchange(main, "direct", {durable: false, autoDelete: true, alternateExchange: ae});
        await ch.assertExchange(lonely, "direct", {durable: false});
        const {queue: q} = await ch.assertQueue(unique("q"), {exclusive: true});
        const {queue: caught} = await ch.assertQueue(unique("caught"), {exclusive: true});
        await ch.bindQueue(q, main, "k");
        await ch.bindQueue(caught, ae, "");
        ch.publish(main, "k", Buffer.from("routed"), {}, (err) => confirms.push(["routed", !err]));
        ch.publish(main, "other", Buffer.from("to-ae"), {}, (err) => confirms.push(["to-ae", !err]));
        ch.publish(lonely, "k", Buffer.from("returned"), {mandatory: true}, (err) => confirms.push(["returned", !err]));
        ch.publish(lonely, "k", Buffer.from("dropped"), {}, (err) => confirms.push(["dropped", !err]));
        ch.sendToQueue(q, Buffer.from("direct-to-queue"), {}, (err) => confirms.push(["direct", !err]));
        await b.settle(() => confirms.length === 5 && returned.length === 1);
        await ch.waitForConfirms();
        // Confirms of different messages may arrive in any order (an unroutable one is confirmed by
        // the channel at once, a routed one after its queues): compare them as a set.
        const result = {returned, confirms: confirms.map(String).sort(), q: await drain(ch, q), caught: await drain(ch, caught)};
        await ch.deleteExchange(lonely);
        return result;
      })
    );
  });

  it("prefetch: round-robin between two consumers, more after an ack", async () => {
    await same((b) =>
      session(b, async (ch, conn) => {
        const {queue} = await ch.assertQueue(unique("work"), {exclusive: true});
        const consumerChannel = await conn.createChannel();
        await consumerChannel.prefetch(2);
        const log: string[] = [];
        const held: Record<string, amqp.Message[]> = {A: [], B: []};
        for (const name of ["A", "B"]) {
          await consumerChannel.consume(queue, (msg: amqp.ConsumeMessage | null) => {
            if (!msg) return;
            log.push(`${name}:${msg.content.toString()}`);
            held[name].push(msg);
          });
        }
        for (let i = 1; i <= 6; i++) ch.sendToQueue(queue, Buffer.from(`m${i}`));
        await b.settle(() => log.length === 4);
        consumerChannel.ack(held.B.shift()!);
        await b.settle(() => log.length === 5);
        consumerChannel.ack(held.A.shift()!);
        await b.settle(() => log.length === 6);
        const {messageCount} = await ch.checkQueue(queue);
        return {log, messageCount};
      })
    );
  });

  it("nack/requeue puts messages back at their original position, redelivered", async () => {
    await same((b) =>
      session(b, async (ch) => {
        const {queue} = await ch.assertQueue(unique("requeue"), {exclusive: true});
        for (let i = 1; i <= 5; i++) ch.sendToQueue(queue, Buffer.from(`m${i}`));
        await b.settle();
        await ch.waitForConfirms();
        const m1 = (await ch.get(queue)) as amqp.GetMessage;
        const m2 = (await ch.get(queue)) as amqp.GetMessage;
        const m3 = (await ch.get(queue)) as amqp.GetMessage;
        ch.nack(m3);
        ch.reject(m2, true);
        ch.ack(m1);
        const first = await drain(ch, queue);
        // nack with allUpTo: everything up to the tag goes back, in queue order
        for (let i = 6; i <= 8; i++) ch.sendToQueue(queue, Buffer.from(`m${i}`));
        await b.settle();
        await ch.waitForConfirms();
        const held = [(await ch.get(queue)) as amqp.GetMessage, (await ch.get(queue)) as amqp.GetMessage];
        ch.nack(held[1], true, true);
        await b.settle();
        return {first, second: await drain(ch, queue)};
      })
    );
  });

  it("reject without requeue dead-letters with x-death; x-dead-letter-routing-key", async () => {
    await same((b) =>
      session(b, async (ch) => {
        const {dlx, dlq} = await deadLetterTarget(ch, "direct");
        const {queue: q1} = await ch.assertQueue(unique("src1"), {exclusive: true, deadLetterExchange: dlx, deadLetterRoutingKey: "dead"});
        const {queue: q2} = await ch.assertQueue(unique("src2"), {exclusive: true, deadLetterExchange: dlx});
        await ch.bindQueue(dlq, dlx, q2); // without x-dead-letter-routing-key the original key is kept
        ch.sendToQueue(q1, Buffer.from("one"), {headers: {app: "x"}});
        ch.sendToQueue(q2, Buffer.from("two"));
        ch.sendToQueue(q2, Buffer.from("three"));
        await b.settle();
        await ch.waitForConfirms();
        ch.reject((await ch.get(q1)) as amqp.GetMessage, false);
        ch.nack((await ch.get(q2)) as amqp.GetMessage, false, false);
        const three = (await ch.get(q2)) as amqp.GetMessage;
        ch.nack(three, false, true); // requeued: not dead
        await b.settle();
        return {dlq: await drain(ch, dlq, true), q2: await drain(ch, q2)};
      })
    );
  });

  it("TTL expiry (queue and per-message) dead-letters with reason expired", async () => {
    await same((b) =>
      session(b, async (ch) => {
        const {dlx, dlq} = await deadLetterTarget(ch, "fanout");
        const {queue} = await ch.assertQueue(unique("ttl"), {exclusive: true, messageTtl: 100, deadLetterExchange: dlx});
        ch.sendToQueue(queue, Buffer.from("queue-ttl"));
        ch.sendToQueue(queue, Buffer.from("message-ttl"), {expiration: "50"});
        ch.sendToQueue(queue, Buffer.from("longer-than-queue"), {expiration: 5000});
        await b.settle();
        await ch.waitForConfirms();
        await b.wait(20);
        const early = (await ch.checkQueue(queue)).messageCount;
        await b.wait(400);
        await b.settle();
        return {early, dlq: await drain(ch, dlq, true), left: await drain(ch, queue)};
      })
    );
  });

  for (const overflow of ["drop-head", "reject-publish", "reject-publish-dlx"]) {
    it(`x-max-length with x-overflow=${overflow}`, async () => {
      await same((b) =>
        session(b, async (ch) => {
          const {dlx, dlq} = await deadLetterTarget(ch, "fanout");
          const {queue} = await ch.assertQueue(unique("bounded"), {exclusive: true, maxLength: 2, overflow, deadLetterExchange: dlx});
          const confirms: [number, boolean][] = [];
          for (let i = 1; i <= 4; i++) ch.sendToQueue(queue, Buffer.from(`m${i}`), {}, (err) => confirms.push([i, !err]));
          await b.settle(() => confirms.length === 4);
          // unacked messages do not count towards the limit
          const held = (await ch.get(queue)) as amqp.GetMessage;
          ch.sendToQueue(queue, Buffer.from("m5"), {}, (err) => confirms.push([5, !err]));
          await b.settle(() => confirms.length === 5);
          ch.ack(held);
          return {confirms, queue: await drain(ch, queue), dlq: await drain(ch, dlq, true)};
        })
      );
    });
  }

  it("unacked messages return to the queue, redelivered, when their channel closes", async () => {
    await same((b) =>
      session(b, async (ch, conn) => {
        const {queue} = await ch.assertQueue(unique("close"), {exclusive: true});
        for (let i = 1; i <= 4; i++) ch.sendToQueue(queue, Buffer.from(`m${i}`));
        const consumerChannel = await conn.createChannel();
        const got: amqp.Message[] = [];
        await consumerChannel.consume(queue, (msg: amqp.ConsumeMessage | null) => msg && got.push(msg));
        await b.settle(() => got.length === 4);
        consumerChannel.ack(got[1]);
        await consumerChannel.close();
        await b.settle();
        return {first: got.map((m) => seen(m)), after: await drain(ch, queue)};
      })
    );
  });

  it("refuses bad operations with RabbitMQ's reply codes and texts", async () => {
    const attempt = async (b: Backend, body: (ch: amqp.Channel) => Promise<unknown>) => {
      const conn = await b.connect();
      conn.on("error", () => {});
      const ch = await conn.createChannel();
      const errors: string[] = [];
      ch.on("error", (e: Error) => errors.push(e.message));
      try {
        await body(ch);
        await b.settle(() => errors.length > 0);
        return {ok: true, errors};
      } catch (error) {
        return {code: (error as {code?: number}).code, message: (error as Error).message.replace(/^Channel ended.*/, "")};
      } finally {
        await conn.close().catch(() => {});
      }
    };
    await same(async (b) => {
      const q = unique("err");
      const setup = await b.connect();
      const ch = await setup.createChannel();
      await ch.assertQueue(q, {maxLength: 5, durable: false});
      const results = {
        bindMissingQueue: await attempt(b, (c) => c.bindQueue(unique("nope"), "amq.direct", "k")),
        bindMissingExchange: await attempt(b, (c) => c.bindQueue(q, unique("nope"), "k")),
        bindDefault: await attempt(b, (c) => c.bindQueue(q, "", "k")),
        redeclare: await attempt(b, (c) => c.assertQueue(q, {maxLength: 10, durable: false})),
        redeclareDurable: await attempt(b, (c) => c.assertQueue(q, {maxLength: 5})),
        badOverflow: await attempt(b, (c) => c.assertQueue(unique("bad"), {overflow: "drop-tail"})),
        badXMatch: await attempt(b, (c) => c.bindQueue(q, "amq.headers", "", {"x-match": "some"})),
        reserved: await attempt(b, (c) => c.assertQueue("amq.mine")),
        checkMissing: await attempt(b, (c) => c.checkQueue(unique("nope"))),
        unknownTag: await attempt(b, async (c) => c.ack({fields: {deliveryTag: 7}} as amqp.Message)),
        publishMissing: await attempt(b, async (c) => c.publish(unique("nope"), "k", Buffer.from("x")))
      };
      // the queue is untouched by the refused redeclarations
      const after = await ch.checkQueue(q);
      await ch.deleteQueue(q);
      await setup.close();
      return {results, after: {messageCount: after.messageCount, consumerCount: after.consumerCount}};
    });
  });
});

describe.runIf(!url && mustRun)("RabbitMQ differential test in CI", () => {
  it("needs a real RabbitMQ (CI=true)", () => {
    throw new Error(`CI must run the RabbitMQ differential test, but ${skipReason}`);
  });
});
