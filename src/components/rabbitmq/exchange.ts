// Exchanges and their bindings: an exchange picks the queues a message goes to (routing.ts has the rules).
// https://www.rabbitmq.com/docs/exchanges

import {headersMatch, TopicRouter} from "./routing.js";

export const EXCHANGE_TYPES = ["direct", "topic", "fanout", "headers"] as const;
export type ExchangeType = (typeof EXCHANGE_TYPES)[number];

interface Binding {
  readonly exchange: string;
  readonly queue: string;
  readonly bindingKey: string;
  readonly arguments: Record<string, unknown>;
}

export interface ExchangeOptions {
  durable?: boolean;
  autoDelete?: boolean;
  internal?: boolean;
  arguments?: Record<string, unknown>;
}

export class Exchange {
  readonly bindings: Binding[] = [];
  #topic = new TopicRouter<string>();
  constructor(
    readonly name: string,
    readonly type: ExchangeType,
    readonly durable: boolean,
    readonly autoDelete: boolean,
    readonly internal: boolean,
    readonly args: Record<string, unknown>
  ) {}

  get alternateExchange(): string | undefined {
    const ae = this.args["alternate-exchange"];
    return typeof ae === "string" ? ae : undefined;
  }

  addBinding(binding: Binding): void {
    if (this.bindings.some((b) => sameBinding(b, binding))) return;
    this.bindings.push(binding);
    if (this.type === "topic") this.#topic.add(binding.bindingKey, binding.queue);
  }

  removeBinding(binding: Binding): boolean {
    const i = this.bindings.findIndex((b) => sameBinding(b, binding));
    if (i < 0) return false;
    const [removed] = this.bindings.splice(i, 1);
    if (this.type === "topic") this.#topic.remove(removed.bindingKey, removed.queue);
    return true;
  }

  /** The names of the queues this exchange's own bindings select (no alternate exchange). */
  route(routingKey: string, headers: Record<string, unknown> | undefined, into: Set<string>): Set<string> {
    if (this.name === "") return into.add(routingKey); // the default exchange: one implicit binding per queue
    switch (this.type) {
      case "topic":
        for (const queue of this.#topic.match(routingKey)) into.add(queue);
        return into;
      case "direct":
        for (const b of this.bindings) if (b.bindingKey === routingKey) into.add(b.queue);
        return into;
      case "fanout":
        for (const b of this.bindings) into.add(b.queue);
        return into;
      case "headers":
        for (const b of this.bindings) if (headersMatch(b.arguments, headers)) into.add(b.queue);
        return into;
    }
  }
}

const sameBinding = (a: Binding, b: Binding) =>
  a.queue === b.queue && a.bindingKey === b.bindingKey && JSON.stringify(a.arguments) === JSON.stringify(b.arguments);

