// An AWS SDK for JavaScript v3 look-alike over the simulated EventBridge, so a cell reads like
// real code:
//
//   const client = new EventBridgeClient({sim});            // a fresh simulated EventBridge
//   const client = new EventBridgeClient({eventBridge: eb}); // or share one you built
//   await client.send(new PutRuleCommand({Name: "orders", EventPattern: JSON.stringify({source: ["shop"]})}));
//   const {FailedEntryCount, Entries} = await client.send(new PutEventsCommand({Entries: [...]}));
//
// `client.eventBridge` is the model underneath: createFunction/createQueue make the simulated
// targets whose `arn` goes into PutTargets. As in the SDK, send() returns a promise, errors are
// thrown with the AWS exception name (`error.name === "InvalidEventPatternException"`), and each
// response carries `$metadata`. Nothing is sent over a network; `region` and `credentials` are
// accepted and ignored.

import {createEventBridge, type EventBridge, type EventBridgeOptions} from "./bus.js";
import {EventBridgeError} from "./checks.js";
import {matchesPattern, InvalidEventPatternError, InvalidEventError} from "./pattern.js";
import type {Simulation} from "../sim/index.js";

export interface EventBridgeClientConfig extends EventBridgeOptions {
  /** Build a new simulated EventBridge on this simulation... */
  sim?: Simulation;
  /** ...or use an existing one. */
  eventBridge?: EventBridge;
  credentials?: unknown;
}

export interface ResponseMetadata {
  $metadata: {httpStatusCode: 200; requestId: string; attempts: 1; totalRetryDelay: 0};
}

/** A command: its input, and which model operation runs it. */
abstract class Command<Input, Output> {
  readonly input: Input;
  constructor(input: Input) {
    this.input = input;
  }
  abstract run(eb: EventBridge): Output;
  /** Type-only marker so `send` infers the output type. */
  declare readonly __output: Output;
}

type Operation =
  | "putEvents"
  | "putRule"
  | "putTargets"
  | "removeTargets"
  | "listTargetsByRule"
  | "describeRule"
  | "listRules"
  | "enableRule"
  | "disableRule"
  | "deleteRule"
  | "createEventBus"
  | "createArchive"
  | "describeArchive"
  | "startReplay"
  | "describeReplay";
type In<K extends Operation> = Parameters<EventBridge[K]>[0];
type Out<K extends Operation> = ReturnType<EventBridge[K]> extends void ? Record<string, never> : ReturnType<EventBridge[K]>;

/** A command class whose send() runs one operation of the model with the command's input. */
function commandFor<K extends Operation>(operation: K) {
  return class extends Command<In<K>, Out<K>> {
    run(eb: EventBridge): Out<K> {
      const run = eb[operation] as (input: In<K>) => Out<K> | undefined;
      return run.call(eb, this.input) ?? ({} as Out<K>);
    }
  };
}

export const PutEventsCommand = commandFor("putEvents");
export const PutRuleCommand = commandFor("putRule");
export const PutTargetsCommand = commandFor("putTargets");
export const RemoveTargetsCommand = commandFor("removeTargets");
export const ListTargetsByRuleCommand = commandFor("listTargetsByRule");
export const DescribeRuleCommand = commandFor("describeRule");
export const ListRulesCommand = commandFor("listRules");
export const EnableRuleCommand = commandFor("enableRule");
export const DisableRuleCommand = commandFor("disableRule");
export const DeleteRuleCommand = commandFor("deleteRule");
export const CreateEventBusCommand = commandFor("createEventBus");
export const CreateArchiveCommand = commandFor("createArchive");
export const DescribeArchiveCommand = commandFor("describeArchive");
export const StartReplayCommand = commandFor("startReplay");
export const DescribeReplayCommand = commandFor("describeReplay");

/**
 * TestEventPattern: {EventPattern, Event} as JSON text → {Result}. As the API requires, the event
 * must carry id, account, source, time, region, resources and detail-type.
 */
export class TestEventPatternCommand extends Command<{EventPattern: string; Event: string}, {Result: boolean}> {
  run(): {Result: boolean} {
    const {EventPattern, Event} = this.input;
    let event: unknown;
    try {
      event = JSON.parse(Event);
    } catch (error) {
      throw new EventBridgeError("ValidationException", `Parameter Event is not valid: ${(error as Error).message}`);
    }
    const required = ["id", "account", "source", "time", "region", "resources", "detail-type"];
    const missing = typeof event === "object" && event !== null && !Array.isArray(event) ? required.filter((k) => !Object.hasOwn(event as object, k)) : required;
    if (missing.length > 0) throw new EventBridgeError("ValidationException", `Parameter Event is not valid: an event needs the fields ${required.join(", ")}; missing ${missing.join(", ")}`);
    try {
      return {Result: matchesPattern(EventPattern, event)};
    } catch (error) {
      if (error instanceof InvalidEventPatternError) throw new EventBridgeError("InvalidEventPatternException", error.message, {cause: error});
      if (error instanceof InvalidEventError) throw new EventBridgeError("ValidationException", error.message, {cause: error});
      throw error;
    }
  }
}

export class EventBridgeClient {
  readonly eventBridge: EventBridge;
  readonly config: {region: string};
  #requests = 0;

  constructor(config: EventBridgeClientConfig) {
    const {sim, eventBridge, credentials, ...options} = config ?? {};
    void credentials; // accepted for source compatibility with real code; nothing is signed
    if (eventBridge) this.eventBridge = eventBridge;
    else if (sim) this.eventBridge = createEventBridge(sim, options);
    else throw new TypeError("new EventBridgeClient({sim}) or new EventBridgeClient({eventBridge}): the client needs a simulation to run on");
    this.config = {region: this.eventBridge.region};
  }

  /** Runs the command against the simulation; resolves with its output plus $metadata. */
  async send<O>(command: Command<unknown, O>): Promise<O & ResponseMetadata> {
    if (!(command instanceof Command)) throw new TypeError("send() takes a command such as new PutEventsCommand({Entries})");
    const requestId = `req-${++this.#requests}`;
    const output = command.run(this.eventBridge);
    return {...output, $metadata: {httpStatusCode: 200, requestId, attempts: 1, totalRetryDelay: 0}};
  }

  /** For source compatibility (the SDK's client.destroy()); nothing to release. */
  destroy(): void {}
}

export {EventBridgeError};
