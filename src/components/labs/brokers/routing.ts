// The 11.3 routing builder: bindings written one per line, parsed with a message that says which
// line is wrong and what the format is, then one publish through a fresh exchange of the chosen
// type, written against the amqplib-shaped facade as cell code would be.
import {createSimulation} from "../../sim/index.js";
import {connect} from "../../rabbitmq/amqplib.js";
import {createBroker, type ExchangeType} from "../../rabbitmq/broker.js";
import {EXCHANGE_TYPES} from "./binding-format.js";

export {BINDING_FORMAT, EXCHANGE_TYPES} from "./binding-format.js";

export interface BindingSpec {
  queue: string;
  /** Binding key (direct, topic); ignored by fanout and headers exchanges. */
  bindingKey?: string;
  /** Binding arguments (headers exchange: x-match and the header values). */
  arguments?: Record<string, unknown>;
}

export interface RouteResult {
  queue: string;
  received: boolean;
}

/** The bindings text, one binding per line, for an exchange of this type. */
export function parseBindings(type: ExchangeType, text: string): BindingSpec[] {
  if (!EXCHANGE_TYPES.includes(type)) throw new RangeError(`the exchange type must be one of ${EXCHANGE_TYPES.join(", ")}, got ${type}`);
  return text.split("\n").flatMap((line, i): BindingSpec[] => {
    const [queue, ...rest] = line.trim().split(/\s+/);
    if (!queue) return [];
    const spec = rest.join(" ");
    if (type !== "headers") return [{queue, bindingKey: spec}];
    const args = spec ? jsonObject(spec) : {};
    if (args === null) throw new Error(`Bindings, line ${i + 1}: ${spec} is not a JSON object. A headers binding is a queue name and a JSON object of arguments, such as eu-orders {"x-match": "all", "region": "eu"}.`);
    return [{queue, arguments: args}];
  });
}

/** The message's headers: a JSON object, or nothing. */
export function parseHeaders(text: string): Record<string, unknown> {
  if (!text.trim()) return {};
  const headers = jsonObject(text);
  if (headers === null) throw new Error(`Headers must be a JSON object such as {"region": "eu"}, not ${text.trim()}`);
  return headers;
}

function jsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export interface RouteOutcome {
  /** Each bound queue, and whether it got a copy; empty when the broker refused a declaration. */
  routes: RouteResult[];
  /** The broker's refusal (a channel error such as PRECONDITION_FAILED), as RabbitMQ would close the channel with it. */
  refusal: Error | null;
}

/** Declares one exchange and its bindings on a fresh broker, publishes one message, and says which queues got it. */
export async function routeMessage({seed, type, bindings, routingKey, headers}: {seed: number | string; type: ExchangeType; bindings: BindingSpec[]; routingKey: string; headers: Record<string, unknown>}): Promise<RouteOutcome> {
  const sim = createSimulation({seed});
  const broker = createBroker(sim);
  const connection = await connect("amqp://simulated", {broker});
  const channel = await connection.createChannel();
  // A refused declaration closes the channel; keep the error for the reader.
  let refusal: Error | null = null;
  channel.on("error", (error: Error) => (refusal ??= error));
  try {
    await channel.assertExchange("x", type);
    for (const b of bindings) {
      await channel.assertQueue(b.queue);
      await channel.bindQueue(b.queue, "x", b.bindingKey ?? "", b.arguments ?? {});
    }
    channel.publish("x", routingKey, new TextEncoder().encode("hello"), {headers});
    await sim.runUntilIdle();
  } catch (error) {
    // Operations after the refusal fail because the channel is closed; the refusal is the news.
    refusal ??= error as Error;
  }
  if (refusal) return {routes: [], refusal};
  const queues = [...new Set(bindings.map((b) => b.queue))];
  return {routes: queues.map((queue) => ({queue, received: broker.queues.get(queue)!.messageCount > 0})), refusal: null};
}
