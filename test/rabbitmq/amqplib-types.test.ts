// Type-level test: the facade has amqplib's names and shapes (checked by `tsc --noEmit`).
// The one deliberate difference: message content is a Uint8Array (with a UTF-8 toString) rather
// than a Node Buffer, so the model runs in the browser; a Buffer is accepted wherever content goes in.
import {describe, expect, it} from "vitest";
import type * as amqp from "amqplib";
import type * as sim from "../../src/components/rabbitmq/amqplib.js";

type Assignable<A, B> = [A] extends [B] ? true : false;
type Both<A, B> = Assignable<A, B> extends true ? Assignable<B, A> : false;
const check = <T extends true>(): T => true as T;

type Methods =
  | "assertExchange" | "checkExchange" | "deleteExchange" | "assertQueue" | "checkQueue" | "deleteQueue" | "purgeQueue"
  | "bindQueue" | "unbindQueue" | "publish" | "sendToQueue" | "consume" | "cancel" | "get" | "ack" | "ackAll"
  | "nack" | "nackAll" | "reject" | "prefetch" | "close";

// Every facade method is an amqplib Channel method.
check<Assignable<Methods, keyof amqp.Channel & keyof sim.Channel>>();

// Arguments that amqplib accepts are accepted here (except consume's callback: see above).
type Args<M extends Methods> = Parameters<amqp.Channel[M]>;
type OurArgs<M extends Methods> = Parameters<sim.Channel[M]>;
check<Assignable<Args<"assertExchange">, OurArgs<"assertExchange">>>();
check<Assignable<Args<"assertQueue">, OurArgs<"assertQueue">>>();
check<Assignable<Args<"bindQueue">, OurArgs<"bindQueue">>>();
check<Assignable<Args<"publish">, OurArgs<"publish">>>();
check<Assignable<Args<"sendToQueue">, OurArgs<"sendToQueue">>>();
check<Assignable<Args<"get">, OurArgs<"get">>>();
check<Assignable<Args<"ack">, OurArgs<"ack">>>();
check<Assignable<Args<"nack">, OurArgs<"nack">>>();
check<Assignable<Args<"reject">, OurArgs<"reject">>>();
check<Assignable<Args<"prefetch">, OurArgs<"prefetch">>>();
check<Assignable<Args<"cancel">, OurArgs<"cancel">>>();
check<Assignable<Parameters<amqp.ConfirmChannel["publish"]>, Parameters<sim.ConfirmChannel["publish"]>>>();

// Option objects written for the facade work on amqplib, and the other way round.
check<Assignable<sim.Options.AssertQueue, amqp.Options.AssertQueue>>();
check<Assignable<amqp.Options.AssertQueue, sim.Options.AssertQueue>>();
check<Assignable<sim.Options.AssertExchange, amqp.Options.AssertExchange>>();
check<Assignable<sim.Options.Publish, amqp.Options.Publish>>();
check<Assignable<amqp.Options.Publish, sim.Options.Publish>>();
check<Assignable<sim.Options.Consume, amqp.Options.Consume>>();
check<Assignable<amqp.Options.Consume, sim.Options.Consume>>();

// Replies have amqplib's shapes.
check<Both<sim.Replies.AssertQueue, amqp.Replies.AssertQueue>>();
check<Both<sim.Replies.AssertExchange, amqp.Replies.AssertExchange>>();
check<Both<sim.Replies.Consume, amqp.Replies.Consume>>();
check<Assignable<sim.Replies.DeleteQueue, amqp.Replies.DeleteQueue>>();

// Messages: the same fields and properties; content is bytes either way.
check<Assignable<sim.ConsumeMessage["fields"], amqp.ConsumeMessage["fields"]>>();
check<Assignable<sim.GetMessage["fields"], amqp.GetMessage["fields"]>>();
check<Assignable<sim.Message["properties"], Partial<amqp.MessageProperties>>>();
check<Assignable<Buffer, sim.Content>>();
check<Assignable<sim.Message["content"], Uint8Array>>();

describe("amqplib facade types", () => {
  it("type-checks against @types/amqplib (see tsc --noEmit)", () => {
    expect(check<true>()).toBe(true);
  });
});
