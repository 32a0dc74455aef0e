// A simulated Amazon EventBridge: event buses, PutEvents with per-entry validation, rules with
// event patterns, targets (simulated Lambda functions and SQS-like queues) with input
// transformation, retries with exponential backoff and jitter, dead-letter queues, archives and
// replays (archive.ts). Runs on the simulation's clock and random source; every action is an "eventbridge.*"
// trace event. Field names follow the EventBridge API Reference (PutEvents, PutRule, PutTargets,
// CreateArchive, StartReplay), so the SDK facade (sdk.ts) passes requests through unchanged.
//
// What is simplified (pages say so):
// - A function that throws, or a target whose `failureRate` draw fails, is a failed delivery that
//   EventBridge retries. Real EventBridge invokes Lambda asynchronously and retries only when the
//   invocation itself fails (throttling, unavailable); errors inside the function are retried by
//   Lambda's own async-invocation settings.
// - The backoff schedule is ours (AWS documents "exponential backoff and jitter", not the numbers).
// - No schedules, API destinations, cross-account buses, quotas on rules per bus or throttling.

import {compileRuleMachine, type EventMatcher} from "./pattern.js";
import type {EventBridgeEvent} from "./event.js";
import {Archives, type ArchiveDescription, type CreateArchiveRequest, type ReplayDescription, type ReplayState, type StartReplayRequest} from "./archive.js";
import {checkName, checkNumber, compileRulePattern, EventBridgeError, isIntegerIn, NAME} from "./checks.js";
import {checkInputTransformer, parseJsonPath, readJsonPath, transformInput, type InputTransformer} from "./transform.js";
import type {Simulation} from "../sim/index.js";

export {EventBridgeError};

// ---------------------------------------------------------------------------------------------
// API shapes (EventBridge API Reference)

interface PutEventsRequestEntry {
  Source?: string;
  DetailType?: string;
  /** The event body: a JSON object as a string. */
  Detail?: string;
  Resources?: string[];
  /** Defaults to the time of the call. */
  Time?: Date;
  /** Name or ARN; defaults to "default". */
  EventBusName?: string;
  TraceHeader?: string;
}

interface PutEventsResultEntry {
  EventId?: string;
  ErrorCode?: string;
  ErrorMessage?: string;
}

interface PutEventsResponse {
  FailedEntryCount: number;
  /** One per request entry, in the same order. */
  Entries: PutEventsResultEntry[];
}

export type RuleState = "ENABLED" | "DISABLED";

interface PutRuleRequest {
  Name: string;
  /** JSON text (as in the API) or an object. */
  EventPattern: string | object;
  State?: RuleState;
  Description?: string;
  EventBusName?: string;
}

interface RetryPolicy {
  /** 0..185, default 185. */
  MaximumRetryAttempts?: number;
  /** 60..86400, default 86400 (24 hours). */
  MaximumEventAgeInSeconds?: number;
}

interface Target {
  Id: string;
  Arn: string;
  /** Constant JSON text sent instead of the event. */
  Input?: string;
  /** A JSONPath: send only this part of the event. */
  InputPath?: string;
  InputTransformer?: InputTransformer;
  RetryPolicy?: RetryPolicy;
  DeadLetterConfig?: {Arn?: string};
}

interface PutTargetsRequest {
  Rule: string;
  EventBusName?: string;
  Targets: Target[];
}

interface PutTargetsResponse {
  FailedEntryCount: number;
  FailedEntries: Array<{TargetId: string; ErrorCode: string; ErrorMessage: string}>;
}

interface RuleDescription {
  Name: string;
  Arn: string;
  EventPattern: string;
  State: RuleState;
  Description?: string;
  EventBusName: string;
}

/** An EventBridge event as targets and patterns see it. */
export type {EventBridgeEvent};

// ---------------------------------------------------------------------------------------------
// Simulated targets

interface InvocationContext {
  functionName: string;
  ruleArn: string;
  targetId: string;
  /** 0 for the first attempt, 1 for the first retry, ... */
  attempt: number;
}

type FunctionHandler = (input: unknown, context: InvocationContext) => unknown;

interface SimFunction {
  readonly name: string;
  readonly arn: string;
  /** Probability that an invocation fails before the handler runs (a throttled/unavailable target). */
  failureRate: number;
  /** Every invocation, in order: the input, the attempt, virtual time, and whether it succeeded. */
  readonly invocations: Array<{time: number; input: unknown; attempt: number; ok: boolean; error?: string}>;
}

interface QueueMessage {
  MessageId: string;
  /** JSON text of the input (or the text itself when the input is a string). */
  Body: string;
  /** Set on dead-letter messages: ERROR_CODE, ERROR_MESSAGE, EXHAUSTED_RETRY_CONDITION, RETRY_ATTEMPTS, RULE_ARN, TARGET_ARN. */
  MessageAttributes?: Record<string, {DataType: "String"; StringValue: string}>;
  /** Virtual ms at which it arrived. */
  SentTimestamp: number;
}

interface SimQueue {
  readonly name: string;
  readonly arn: string;
  /** Probability that a send fails (for exercising retries with a queue target). */
  failureRate: number;
  readonly messages: QueueMessage[];
}

// ---------------------------------------------------------------------------------------------
// The model

export interface EventBridgeOptions {
  region?: string;
  account?: string;
  /** Wall-clock time (epoch ms) of virtual time 0, for the events' "time" field. Default 2026-11-26T00:00:00Z. */
  epoch?: number;
  /** Virtual ms from PutEvents to a target's first attempt. Default 10. */
  deliveryDelayMs?: number;
  /** First retry waits about this long; each retry doubles it. Default 1,000. */
  retryBaseDelayMs?: number;
  /** Cap of the backoff. Default 60,000. */
  retryMaxDelayMs?: number;
  /** Gap between two replayed events. Default 10. */
  replayIntervalMs?: number;
}

interface Bus {
  name: string;
  arn: string;
  rules: Map<string, Rule>;
  /** The enabled rules compiled into one machine (pattern/machine.ts); null after any rule changes. */
  machine: {rules: Rule[]; match: (event: EventBridgeEvent) => number[]} | null;
}

interface Rule {
  name: string;
  arn: string;
  bus: Bus;
  pattern: string;
  matcher: EventMatcher;
  state: RuleState;
  description?: string;
  targets: Map<string, Target>;
}

interface Delivery {
  event: EventBridgeEvent;
  rule: Rule;
  target: Target;
  /** Virtual ms the event reached the bus (the event's age counts from here). */
  ingestedAt: number;
  attempt: number;
}

const DEFAULT_BUS = "default";
const MAX_ENTRIES = 10;
const MAX_REQUEST_BYTES = 256 * 1024;
const MAX_TARGETS_PER_RULE = 5;

export function createEventBridge(sim: Simulation, options: EventBridgeOptions = {}): EventBridge {
  return new EventBridge(sim, options);
}

export class EventBridge {
  readonly sim: Simulation;
  readonly region: string;
  readonly account: string;
  readonly epoch: number;
  readonly deliveryDelayMs: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly replayIntervalMs: number;
  readonly #buses = new Map<string, Bus>();
  readonly #archives: Archives<Bus>;
  readonly #functions = new Map<string, SimFunction & {handler: FunctionHandler}>();
  readonly #queues = new Map<string, SimQueue>();
  #nextEventId = 1;
  #nextMessageId = 1;

  constructor(sim: Simulation, options: EventBridgeOptions = {}) {
    const {
      region = "us-east-1",
      account = "123456789012",
      epoch = Date.UTC(2026, 10, 26),
      deliveryDelayMs = 10,
      retryBaseDelayMs = 1_000,
      retryMaxDelayMs = 60_000,
      replayIntervalMs = 10
    } = options;
    checkNumber("deliveryDelayMs", deliveryDelayMs, 0);
    checkNumber("retryBaseDelayMs", retryBaseDelayMs, 1);
    checkNumber("retryMaxDelayMs", retryMaxDelayMs, retryBaseDelayMs);
    checkNumber("replayIntervalMs", replayIntervalMs, 0);
    checkNumber("epoch", epoch, 0);
    this.sim = sim;
    this.region = region;
    this.account = account;
    this.epoch = epoch;
    this.deliveryDelayMs = deliveryDelayMs;
    this.retryBaseDelayMs = retryBaseDelayMs;
    this.retryMaxDelayMs = retryMaxDelayMs;
    this.replayIntervalMs = replayIntervalMs;
    this.#archives = new Archives<Bus>(this, () => this.#buses.values(), (bus, event, filterArns) => this.#route(bus, event, filterArns));
    this.#addBus(DEFAULT_BUS);
  }

  /** The wall-clock Date of a virtual time (default: now), for Time and replay windows. */
  dateAt(virtualMs = this.sim.now): Date {
    return new Date(this.epoch + virtualMs);
  }

  // --- simulated targets ----------------------------------------------------------------------

  /** A simulated Lambda function; use its `arn` as a target's Arn. */
  createFunction(name: string, handler: FunctionHandler = () => undefined, {failureRate = 0}: {failureRate?: number} = {}): SimFunction {
    checkName("function name", name);
    checkNumber("failureRate", failureRate, 0, 1);
    const arn = `arn:aws:lambda:${this.region}:${this.account}:function:${name}`;
    if (this.#functions.has(arn)) throw new EventBridgeError("ResourceAlreadyExistsException", `function ${name} already exists`);
    const fn = {name, arn, failureRate, invocations: [], handler};
    this.#functions.set(arn, fn);
    return fn;
  }

  /** A simulated SQS queue (a list of messages); use its `arn` as a target's or a dead-letter queue's Arn. */
  createQueue(name: string, {failureRate = 0}: {failureRate?: number} = {}): SimQueue {
    checkName("queue name", name);
    checkNumber("failureRate", failureRate, 0, 1);
    const arn = `arn:aws:sqs:${this.region}:${this.account}:${name}`;
    if (this.#queues.has(arn)) throw new EventBridgeError("ResourceAlreadyExistsException", `queue ${name} already exists`);
    const queue: SimQueue = {name, arn, failureRate, messages: []};
    this.#queues.set(arn, queue);
    return queue;
  }

  // --- buses ----------------------------------------------------------------------------------

  createEventBus({Name}: {Name: string}): {EventBusArn: string} {
    checkName("Name", Name);
    if (this.#buses.has(Name)) throw new EventBridgeError("ResourceAlreadyExistsException", `Event bus ${Name} already exists.`);
    return {EventBusArn: this.#addBus(Name).arn};
  }

  listEventBuses(): {EventBuses: Array<{Name: string; Arn: string}>} {
    return {EventBuses: [...this.#buses.values()].map((b) => ({Name: b.name, Arn: b.arn}))};
  }

  #addBus(name: string): Bus {
    const bus: Bus = {name, arn: `arn:aws:events:${this.region}:${this.account}:event-bus/${name}`, rules: new Map(), machine: null};
    this.#buses.set(name, bus);
    return bus;
  }

  #bus(nameOrArn: string | undefined): Bus {
    const name = nameOrArn === undefined ? DEFAULT_BUS : nameOrArn.startsWith("arn:") ? nameOrArn.slice(nameOrArn.lastIndexOf("/") + 1) : nameOrArn;
    const bus = this.#buses.get(name);
    if (!bus) throw new EventBridgeError("ResourceNotFoundException", `Event bus ${nameOrArn} does not exist.`);
    return bus;
  }

  // --- rules ----------------------------------------------------------------------------------

  /** Creates a rule, or updates the pattern/state of an existing one (targets stay). */
  putRule(request: PutRuleRequest): {RuleArn: string} {
    const {Name, EventPattern, State = "ENABLED", Description, EventBusName} = request;
    checkName("Name", Name);
    if (State !== "ENABLED" && State !== "DISABLED") throw new EventBridgeError("ValidationException", `State must be "ENABLED" or "DISABLED", got ${JSON.stringify(State)}`);
    if (EventPattern === undefined) {
      throw new EventBridgeError("ValidationException", "EventPattern is required (schedule expressions are not part of this simulation)");
    }
    const bus = this.#bus(EventBusName);
    const {text, matcher} = compileRulePattern(EventPattern, "EventPattern");
    const existing = bus.rules.get(Name);
    const rule: Rule = existing ?? {
      name: Name,
      arn: `arn:aws:events:${this.region}:${this.account}:rule/${bus.name === DEFAULT_BUS ? "" : `${bus.name}/`}${Name}`,
      bus,
      pattern: text,
      matcher,
      state: State,
      targets: new Map()
    };
    Object.assign(rule, {pattern: text, matcher, state: State, description: Description});
    bus.rules.set(Name, rule);
    bus.machine = null;
    this.sim.record("eventbridge.rule", {action: existing ? "update" : "create", bus: bus.name, rule: Name, state: State, pattern: text});
    return {RuleArn: rule.arn};
  }

  enableRule({Name, EventBusName}: {Name: string; EventBusName?: string}): void {
    this.#setState(Name, EventBusName, "ENABLED");
  }

  disableRule({Name, EventBusName}: {Name: string; EventBusName?: string}): void {
    this.#setState(Name, EventBusName, "DISABLED");
  }

  #setState(name: string, busName: string | undefined, state: RuleState): void {
    const rule = this.#rule(name, busName);
    rule.state = state;
    rule.bus.machine = null;
    this.sim.record("eventbridge.rule", {action: state === "ENABLED" ? "enable" : "disable", bus: rule.bus.name, rule: name, state});
  }

  /** Deletes a rule; as in the API, it must have no targets left. */
  deleteRule({Name, EventBusName}: {Name: string; EventBusName?: string}): void {
    const rule = this.#rule(Name, EventBusName);
    if (rule.targets.size > 0) throw new EventBridgeError("ValidationException", `Rule can't be deleted since it has targets: remove its ${rule.targets.size} target(s) first`);
    rule.bus.rules.delete(Name);
    rule.bus.machine = null;
    this.sim.record("eventbridge.rule", {action: "delete", bus: rule.bus.name, rule: Name});
  }

  describeRule({Name, EventBusName}: {Name: string; EventBusName?: string}): RuleDescription {
    return describe(this.#rule(Name, EventBusName));
  }

  listRules({EventBusName, NamePrefix = ""}: {EventBusName?: string; NamePrefix?: string} = {}): {Rules: RuleDescription[]} {
    return {Rules: [...this.#bus(EventBusName).rules.values()].filter((r) => r.name.startsWith(NamePrefix)).map(describe)};
  }

  #rule(name: string, busName: string | undefined): Rule {
    const bus = this.#bus(busName);
    const rule = bus.rules.get(name);
    if (!rule) throw new EventBridgeError("ResourceNotFoundException", `Rule ${name} does not exist on EventBus ${bus.name}.`);
    return rule;
  }

  // --- targets --------------------------------------------------------------------------------

  /** Adds or replaces targets (by Id); invalid ones come back in FailedEntries, the others are kept. */
  putTargets({Rule: ruleName, EventBusName, Targets}: PutTargetsRequest): PutTargetsResponse {
    const rule = this.#rule(ruleName, EventBusName);
    if (!Array.isArray(Targets) || Targets.length === 0) throw new EventBridgeError("ValidationException", "Targets must be a non-empty array");
    const newIds = new Set(Targets.map((t) => t?.Id).filter((id) => !rule.targets.has(id)));
    if (rule.targets.size + newIds.size > MAX_TARGETS_PER_RULE) {
      throw new EventBridgeError("LimitExceededException", `a rule has at most ${MAX_TARGETS_PER_RULE} targets; ${ruleName} would have ${rule.targets.size + newIds.size}`);
    }
    const FailedEntries: PutTargetsResponse["FailedEntries"] = [];
    for (const target of Targets) {
      const problem = this.#checkTarget(target);
      if (problem) FailedEntries.push({TargetId: String(target?.Id), ErrorCode: "ValidationException", ErrorMessage: problem});
      else {
        rule.targets.set(target.Id, structuredClone(target));
        this.sim.record("eventbridge.target", {action: "put", bus: rule.bus.name, rule: rule.name, target: target.Id, arn: target.Arn});
      }
    }
    return {FailedEntryCount: FailedEntries.length, FailedEntries};
  }

  removeTargets({Rule: ruleName, EventBusName, Ids}: {Rule: string; EventBusName?: string; Ids: string[]}): PutTargetsResponse {
    const rule = this.#rule(ruleName, EventBusName);
    const FailedEntries: PutTargetsResponse["FailedEntries"] = [];
    for (const id of Ids) {
      if (rule.targets.delete(id)) this.sim.record("eventbridge.target", {action: "remove", bus: rule.bus.name, rule: rule.name, target: id});
      else FailedEntries.push({TargetId: id, ErrorCode: "ResourceNotFoundException", ErrorMessage: `Rule ${ruleName} has no target ${id}`});
    }
    return {FailedEntryCount: FailedEntries.length, FailedEntries};
  }

  listTargetsByRule({Rule: ruleName, EventBusName}: {Rule: string; EventBusName?: string}): {Targets: Target[]} {
    return {Targets: [...this.#rule(ruleName, EventBusName).targets.values()].map((t) => structuredClone(t))};
  }

  #checkTarget(target: Target): string | null {
    if (typeof target !== "object" || target === null) return "each target is an object with Id and Arn";
    if (typeof target.Id !== "string" || !NAME.test(target.Id)) return `Id must be 1-64 characters of letters, digits, ".", "-", "_"; got ${JSON.stringify(target.Id)}`;
    if (typeof target.Arn !== "string" || !target.Arn.startsWith("arn:")) return `Arn must be an ARN (a function's or queue's arn from createFunction/createQueue), got ${JSON.stringify(target.Arn)}`;
    const inputs = [target.Input, target.InputPath, target.InputTransformer].filter((x) => x !== undefined).length;
    if (inputs > 1) return "use at most one of Input, InputPath and InputTransformer";
    if (target.Input !== undefined) {
      try {
        JSON.parse(target.Input);
      } catch {
        return `Input must be valid JSON text, got ${JSON.stringify(target.Input)}`;
      }
    }
    if (target.InputPath !== undefined) {
      const parsed = parseJsonPath(target.InputPath);
      if (typeof parsed === "string") return `InputPath: ${parsed}`;
    }
    if (target.InputTransformer !== undefined) {
      const problem = checkInputTransformer(target.InputTransformer);
      if (problem) return problem;
    }
    const retry = target.RetryPolicy;
    if (retry?.MaximumRetryAttempts !== undefined && !isIntegerIn(retry.MaximumRetryAttempts, 0, 185)) {
      return `RetryPolicy.MaximumRetryAttempts must be an integer from 0 to 185, got ${retry.MaximumRetryAttempts}`;
    }
    if (retry?.MaximumEventAgeInSeconds !== undefined && !isIntegerIn(retry.MaximumEventAgeInSeconds, 60, 86_400)) {
      return `RetryPolicy.MaximumEventAgeInSeconds must be an integer from 60 to 86400, got ${retry.MaximumEventAgeInSeconds}`;
    }
    const dlq = target.DeadLetterConfig?.Arn;
    if (dlq !== undefined && !this.#queues.has(dlq)) return `DeadLetterConfig.Arn must be the arn of a queue (createQueue), got ${JSON.stringify(dlq)}`;
    return null;
  }

  // --- events ---------------------------------------------------------------------------------

  /** Accepts up to 10 entries; each is validated on its own and reported in Entries[i]. */
  putEvents({Entries}: {Entries: PutEventsRequestEntry[]}): PutEventsResponse {
    if (!Array.isArray(Entries) || Entries.length < 1 || Entries.length > MAX_ENTRIES) {
      throw new EventBridgeError("ValidationException", `Entries must hold 1 to ${MAX_ENTRIES} entries, got ${Array.isArray(Entries) ? Entries.length : typeof Entries}`);
    }
    const size = Entries.reduce((sum, e) => sum + entrySize(e), 0);
    if (size > MAX_REQUEST_BYTES) {
      throw new EventBridgeError("ValidationException", `Total size of the entries in the request is over the limit: ${size} bytes > ${MAX_REQUEST_BYTES} (256 KiB)`);
    }
    const results = Entries.map((entry) => this.#putEntry(entry));
    return {FailedEntryCount: results.filter((r) => r.ErrorCode).length, Entries: results};
  }

  #putEntry(entry: PutEventsRequestEntry): PutEventsResultEntry {
    const fail = (ErrorCode: string, ErrorMessage: string): PutEventsResultEntry => {
      this.sim.record("eventbridge.put.failed", {errorCode: ErrorCode, errorMessage: ErrorMessage});
      return {ErrorCode, ErrorMessage};
    };
    const entryObject = (typeof entry === "object" && entry !== null ? entry : {}) as PutEventsRequestEntry;
    const {Source, DetailType, Detail, Resources = [], Time, EventBusName} = entryObject;
    for (const [name, value] of [["Source", Source], ["DetailType", DetailType], ["Detail", Detail]] as const) {
      if (value === undefined || value === null || value === "") return fail("InvalidArgument", `Parameter ${name} is not valid. Reason: ${name} is a required argument.`);
      if (typeof value !== "string") return fail("InvalidArgument", `Parameter ${name} is not valid. Reason: ${name} must be a string, got ${typeof value}.`);
    }
    if ((Source as string).startsWith("aws.")) return fail("NotAuthorizedForSourceException", `Not authorized for the source: sources starting with "aws." are reserved for AWS services.`);
    let detail: unknown;
    try {
      detail = JSON.parse(Detail as string);
    } catch {
      return fail("MalformedDetail", "Detail is malformed.");
    }
    if (typeof detail !== "object" || detail === null || Array.isArray(detail)) return fail("MalformedDetail", "Detail is malformed: it must be a JSON object.");
    if (!Array.isArray(Resources) || !Resources.every((r) => typeof r === "string")) {
      return fail("InvalidArgument", "Parameter Resources is not valid. Reason: Resources must be an array of strings (ARNs).");
    }
    if (Time !== undefined && !(Time instanceof Date && Number.isFinite(Time.getTime()))) {
      return fail("InvalidArgument", "Parameter Time is not valid. Reason: Time must be a Date.");
    }
    let bus: Bus;
    try {
      bus = this.#bus(EventBusName);
    } catch (error) {
      return fail("ResourceNotFoundException", (error as Error).message);
    }
    const id = this.#eventId();
    const event: EventBridgeEvent = {
      version: "0",
      id,
      "detail-type": DetailType as string,
      source: Source as string,
      account: this.account,
      time: isoSeconds(Time ?? this.dateAt()),
      region: this.region,
      resources: [...Resources],
      detail: detail as Record<string, unknown>
    };
    this.sim.record("eventbridge.put", {bus: bus.name, eventId: id, source: event.source, detailType: event["detail-type"]});
    this.#archives.keep(bus, event);
    this.#route(bus, event, null);
    return {EventId: id};
  }

  #eventId(): string {
    // Deterministic and UUID-shaped; a counter keeps the run's random stream for the model's choices.
    const n = (this.#nextEventId++).toString(16).padStart(12, "0");
    return `00000000-0000-4000-8000-${n}`;
  }

  /** Matches the event against the bus's enabled rules and schedules one delivery per target. */
  #route(bus: Bus, event: EventBridgeEvent, filterArns: ReadonlySet<string> | null): void {
    const ingestedAt = this.sim.now;
    let matched = 0;
    const machine = (bus.machine ??= compileBusMachine(bus));
    for (const i of machine.match(event)) {
      const rule = machine.rules[i];
      if (filterArns && !filterArns.has(rule.arn)) continue;
      matched++;
      this.sim.record("eventbridge.match", {bus: bus.name, rule: rule.name, eventId: event.id, targets: rule.targets.size, ...replayField(event)});
      for (const target of rule.targets.values()) {
        const delivery: Delivery = {event, rule, target, ingestedAt, attempt: 0};
        this.sim.schedule(this.deliveryDelayMs, () => this.#attempt(delivery));
      }
    }
    if (matched === 0) this.sim.record("eventbridge.unmatched", {bus: bus.name, eventId: event.id, ...replayField(event)});
  }

  async #attempt(delivery: Delivery): Promise<void> {
    const {event, rule, target, attempt} = delivery;
    const input = this.#input(delivery);
    const failure = await this.#invoke(target.Arn, input, {functionName: "", ruleArn: rule.arn, targetId: target.Id, attempt});
    const fields = {bus: rule.bus.name, rule: rule.name, target: target.Id, arn: target.Arn, eventId: event.id, attempt};
    if (!failure) {
      this.sim.record("eventbridge.deliver", fields);
      return;
    }
    const maxAttempts = target.RetryPolicy?.MaximumRetryAttempts ?? 185;
    const maxAgeMs = (target.RetryPolicy?.MaximumEventAgeInSeconds ?? 86_400) * 1000;
    const delay = this.#backoff(attempt + 1);
    const age = this.sim.now + delay - delivery.ingestedAt;
    const retry = attempt < maxAttempts && age <= maxAgeMs;
    this.sim.record("eventbridge.deliver.failed", {...fields, errorCode: failure.code, errorMessage: failure.message, retryInMs: retry ? delay : null});
    if (retry) {
      this.sim.schedule(delay, () => this.#attempt({...delivery, attempt: attempt + 1}));
      return;
    }
    const condition = attempt >= maxAttempts ? "MaximumRetryAttemptsExhausted" : "MaximumEventAgeExceeded";
    const dlqArn = target.DeadLetterConfig?.Arn;
    const dlq = dlqArn ? this.#queues.get(dlqArn) : undefined;
    if (!dlq) {
      this.sim.record("eventbridge.drop", {...fields, condition});
      return;
    }
    const attributes: Record<string, string> = {
      ERROR_CODE: failure.code,
      ERROR_MESSAGE: failure.message,
      EXHAUSTED_RETRY_CONDITION: condition,
      RETRY_ATTEMPTS: String(attempt),
      RULE_ARN: rule.arn,
      TARGET_ARN: target.Arn
    };
    this.#send(dlq, JSON.stringify(event), attributes);
    this.sim.record("eventbridge.dlq", {...fields, queue: dlq.name, condition});
  }

  /** Exponential backoff with "equal jitter": half the step fixed, half drawn from sim.random. */
  #backoff(retry: number): number {
    const step = Math.min(this.retryMaxDelayMs, this.retryBaseDelayMs * 2 ** (retry - 1));
    return Math.round(step / 2 + this.sim.random.next() * (step / 2));
  }

  #input({event, rule, target, ingestedAt}: Delivery): unknown {
    if (target.Input !== undefined) return JSON.parse(target.Input);
    if (target.InputPath !== undefined) return readJsonPath(event, target.InputPath) ?? null;
    if (target.InputTransformer) {
      return transformInput(event as unknown as Record<string, unknown>, target.InputTransformer, {
        ruleName: rule.name,
        ruleArn: rule.arn,
        ingestionTime: isoSeconds(this.dateAt(ingestedAt))
      });
    }
    return structuredClone(event);
  }

  async #invoke(arn: string, input: unknown, context: InvocationContext): Promise<{code: string; message: string} | null> {
    const fn = this.#functions.get(arn);
    if (fn) {
      const record = {time: this.sim.now, input, attempt: context.attempt, ok: false} as SimFunction["invocations"][number];
      fn.invocations.push(record);
      if (fn.failureRate > 0 && this.sim.random.chance(fn.failureRate)) {
        record.error = "TooManyRequestsException";
        return {code: "TooManyRequestsException", message: `function ${fn.name} was throttled (failureRate ${fn.failureRate})`};
      }
      try {
        await fn.handler(input, {...context, functionName: fn.name});
        record.ok = true;
        return null;
      } catch (error) {
        record.error = String((error as Error)?.message ?? error);
        return {code: "FunctionError", message: record.error};
      }
    }
    const queue = this.#queues.get(arn);
    if (queue) {
      if (queue.failureRate > 0 && this.sim.random.chance(queue.failureRate)) {
        return {code: "ServiceUnavailable", message: `queue ${queue.name} is unavailable (failureRate ${queue.failureRate})`};
      }
      this.#send(queue, typeof input === "string" ? input : JSON.stringify(input), null);
      return null;
    }
    return {code: "ResourceNotFoundException", message: `no function or queue with ARN ${arn} in this simulation`};
  }

  #send(queue: SimQueue, body: string, attributes: Record<string, string> | null): void {
    const message: QueueMessage = {MessageId: `msg-${this.#nextMessageId++}`, Body: body, SentTimestamp: this.sim.now};
    if (attributes) {
      message.MessageAttributes = Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, {DataType: "String" as const, StringValue: v}]));
    }
    queue.messages.push(message);
  }

  // --- archives and replays (archive.ts) ------------------------------------------------------

  createArchive(request: CreateArchiveRequest): {ArchiveArn: string; State: "ENABLED"; CreationTime: Date} {
    return this.#archives.create(request);
  }

  describeArchive(request: {ArchiveName: string}): ArchiveDescription {
    return this.#archives.describe(request);
  }

  /** Replays the archived events that reached the bus in [EventStartTime, EventEndTime). */
  startReplay(request: StartReplayRequest): {ReplayArn: string; State: ReplayState; ReplayStartTime: Date} {
    return this.#archives.startReplay(request);
  }

  describeReplay(request: {ReplayName: string}): ReplayDescription {
    return this.#archives.describeReplay(request);
  }


}

// ---------------------------------------------------------------------------------------------
// Helpers

/** One machine for the bus's enabled rules, in the order they were created (the order of matches). */
function compileBusMachine(bus: Bus): NonNullable<Bus["machine"]> {
  const rules = [...bus.rules.values()].filter((rule) => rule.state === "ENABLED");
  return {rules, match: compileRuleMachine(rules.map((rule) => rule.matcher.pattern))};
}

function describe(rule: Rule): RuleDescription {
  return {
    Name: rule.name,
    Arn: rule.arn,
    EventPattern: rule.pattern,
    State: rule.state,
    ...(rule.description !== undefined ? {Description: rule.description} : {}),
    EventBusName: rule.bus.name
  };
}

/** PutEvents entry size as AWS computes it: Time 14 bytes, plus UTF-8 bytes of Source, DetailType, Detail and Resources. */
export function entrySize(entry: PutEventsRequestEntry): number {
  if (typeof entry !== "object" || entry === null) return 0;
  const bytes = (s: unknown) => (typeof s === "string" ? new TextEncoder().encode(s).length : 0);
  let size = entry.Time ? 14 : 0;
  size += bytes(entry.Source) + bytes(entry.DetailType) + bytes(entry.Detail);
  for (const r of Array.isArray(entry.Resources) ? entry.Resources : []) size += bytes(r);
  return size;
}

/** EventBridge event times have whole seconds: "2017-12-22T18:43:48Z". */
function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function replayField(event: EventBridgeEvent): {replay?: string} {
  return event["replay-name"] ? {replay: event["replay-name"]} : {};
}



