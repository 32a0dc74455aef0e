// The trace is a union discriminated on `kind`: each area declares its kinds in its
// trace-events.ts, and record/filter are typed from them. The type assertions are checked by
// `npx tsc --noEmit` (tsconfig includes test/); the runtime assertions by vitest.

import {describe, expect, expectTypeOf, it} from "vitest";
import {createSimulation, type TraceEvent, type TraceEventOf, type TraceEventUnder} from "../../src/components/sim/index.js";
import type {DeadLetterReason} from "../../src/components/rabbitmq/queue.js";

const append = {
  topic: "orders", partition: 0, offset: 7, key: "order-1042", value: {step: 1}, timestamp: 0, producer: "p", batch: 1,
  sendIndex: 0, producerId: 1000, producerEpoch: 0, sequence: 0, transactional: false, attempt: 1
};

describe("trace event types", () => {
  it("filter(kind) returns that kind's events with their fields typed", () => {
    const sim = createSimulation();
    sim.record("kafka.append", append);
    sim.record("kafka.consume", {group: "g", member: "m", topic: "orders", partition: 0, offset: 7, key: "order-1042", value: {step: 1}});
    sim.record("rabbitmq.drop", {message: 3, queue: "q", reason: "maxlen"});
    const appends = sim.trace.filter("kafka.append");
    expectTypeOf(appends).toEqualTypeOf<TraceEventOf<"kafka.append">[]>();
    expectTypeOf(appends[0].kind).toEqualTypeOf<"kafka.append">();
    expectTypeOf(appends[0].offset).toEqualTypeOf<number>();
    expectTypeOf(appends[0].topic).toEqualTypeOf<string>();
    expectTypeOf(sim.trace.filter("kafka.consume")[0].group).toEqualTypeOf<string | undefined>();
    expectTypeOf(sim.trace.filter("rabbitmq.drop")[0].reason).toEqualTypeOf<DeadLetterReason>();
    expect(appends).toEqual([{time: 0, kind: "kafka.append", ...append}]);
    expect(sim.trace.filter("rabbitmq.drop").map((e) => e.reason)).toEqual(["maxlen"]);
  });

  it("a prefix selects the union of an area's kinds", () => {
    const sim = createSimulation();
    sim.record("kafka.append", append);
    sim.record("kafka.txn.init", {transactionalId: "t", producerId: 1000, producerEpoch: 0});
    sim.record("rabbitmq.connection.open", {connection: 1});
    expectTypeOf(sim.trace.filter("kafka.txn.")[0].kind).toEqualTypeOf<"kafka.txn.init" | "kafka.txn.begin" | "kafka.txn.commit" | "kafka.txn.abort">();
    expectTypeOf(sim.trace.filter("kafka.")).toEqualTypeOf<TraceEventUnder<"kafka.">[]>();
    expectTypeOf(sim.trace.filter("kafka.")[0].kind).toExtend<`kafka.${string}`>();
    expectTypeOf<"kafka.append" | "kafka.group.sync">().toExtend<TraceEventUnder<"kafka.">["kind"]>();
    expectTypeOf<"rabbitmq.deliver">().not.toExtend<TraceEventUnder<"kafka.">["kind"]>();
    expect(sim.trace.filter("kafka.").map((e) => e.kind)).toEqual(["kafka.append", "kafka.txn.init"]);
    expect(sim.trace.filter("kafka.txn.").map((e) => e.kind)).toEqual(["kafka.txn.init"]);
  });

  it("narrows on kind, and on a field that tells a kind's shapes apart", () => {
    const sim = createSimulation();
    const event = sim.record("schema.register", {subject: "orders-value", version: 2, ok: false, error: "incompatible"});
    expectTypeOf(event).toEqualTypeOf<TraceEventOf<"schema.register">>();
    const errors: string[] = [];
    for (const e of sim.trace.events as TraceEvent[]) {
      if (e.kind === "schema.register" && !e.ok) {
        expectTypeOf(e.error).toEqualTypeOf<string>();
        errors.push(e.error);
      }
    }
    expect(errors).toEqual(["incompatible"]);
  });

  it("refuses unknown kinds and wrong fields at compile time", () => {
    const sim = createSimulation();
    // @ts-expect-error: no such kind
    sim.record("kafka.apend", append);
    // @ts-expect-error: no such kind
    sim.trace.filter("kafka.apend");
    // @ts-expect-error: no kind starts with this prefix
    sim.trace.filter("kafak.");
    // @ts-expect-error: `id` is a number
    sim.record("coupling.consume", {service: "email", id: "1", delay: 3});
    // @ts-expect-error: `delay` is missing
    sim.record("coupling.consume", {service: "email", id: 1});
    // @ts-expect-error: `reason` is one of the dead-letter reasons
    sim.record("rabbitmq.drop", {message: 3, queue: "q", reason: "full"});
    // @ts-expect-error: a field the kind does not declare
    sim.record("rabbitmq.connection.open", {connection: 1, vhost: "/"});
    const e = sim.trace.filter("rabbitmq.connection.open")[0];
    // @ts-expect-error: a field of another kind
    void e?.queue;
    // @ts-expect-error: events are read-only
    if (e) e.connection = 2;
    // Types only: at run time the kernel stores what it is given (a page's untyped cell may record any kind).
    expect(sim.trace.events.map((e) => e.kind as string)).toEqual(["kafka.apend", "coupling.consume", "coupling.consume", "rabbitmq.drop", "rabbitmq.connection.open"]);
  });
});
