// EventBridge archives and replays: an archive keeps the events that reach its bus (all, or those
// matching its pattern) for RetentionDays; a replay sends the archived events of a time window
// back to the bus, to all its rules or only FilterArns, each marked with "replay-name".
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-archive.html
// Simplified: replays send events in their original order, `replayIntervalMs` apart, instead of in batches.

import type {EventMatcher} from "./pattern.js";
import {checkName, compileRulePattern, EventBridgeError, isIntegerIn} from "./checks.js";
import type {EventBridgeEvent} from "./event.js";
import type {Simulation} from "../sim/index.js";

export interface CreateArchiveRequest {
  ArchiveName: string;
  /** ARN of the event bus whose events are archived. */
  EventSourceArn: string;
  /** Only events matching this pattern are archived (default: all). */
  EventPattern?: string | object;
  /** Days to keep events; 0 or absent keeps them indefinitely. */
  RetentionDays?: number;
  Description?: string;
}

export interface ArchiveDescription {
  ArchiveName: string;
  ArchiveArn: string;
  EventSourceArn: string;
  EventPattern?: string;
  RetentionDays: number;
  Description?: string;
  EventCount: number;
  State: "ENABLED";
  CreationTime: Date;
}

export interface StartReplayRequest {
  ReplayName: string;
  /** ARN of the archive to replay from. */
  EventSourceArn: string;
  /** Events that reached the bus in [EventStartTime, EventEndTime) are replayed. */
  EventStartTime: Date;
  EventEndTime: Date;
  /** Arn: the archive's own event bus; FilterArns: only these rules (default: every rule). */
  Destination: {Arn: string; FilterArns?: string[]};
  Description?: string;
}

export type ReplayState = "STARTING" | "RUNNING" | "COMPLETED";

export interface ReplayDescription {
  ReplayName: string;
  ReplayArn: string;
  EventSourceArn: string;
  State: ReplayState;
  EventStartTime: Date;
  EventEndTime: Date;
  EventLastReplayedTime?: Date;
  ReplayStartTime: Date;
  ReplayEndTime?: Date;
  Destination: {Arn: string; FilterArns?: string[]};
}

/** What archives need of an event bus. */
interface ArchiveBus {
  readonly name: string;
  readonly arn: string;
  readonly rules: ReadonlyMap<string, {readonly arn: string}>;
}

/** What archives need of the EventBridge they belong to. */
interface ArchiveHost {
  readonly sim: Simulation;
  readonly region: string;
  readonly account: string;
  readonly epoch: number;
  readonly replayIntervalMs: number;
  dateAt(virtualMs?: number): Date;
}

interface Archive<B> {
  name: string;
  arn: string;
  bus: B;
  pattern?: string;
  matcher: EventMatcher | null;
  retentionDays: number;
  description?: string;
  createdAt: number;
  events: Array<{event: EventBridgeEvent; archivedAt: number}>;
}

interface Replay {
  description: ReplayDescription;
}

/** The archives and replays of one EventBridge; `route` sends a replayed event to the bus's rules. */
export class Archives<B extends ArchiveBus> {
  readonly #eb: ArchiveHost;
  readonly #buses: () => Iterable<B>;
  readonly #route: (bus: B, event: EventBridgeEvent, filterArns: ReadonlySet<string> | null) => void;
  readonly #archives = new Map<string, Archive<B>>();
  readonly #replays = new Map<string, Replay>();

  constructor(eb: ArchiveHost, buses: () => Iterable<B>, route: (bus: B, event: EventBridgeEvent, filterArns: ReadonlySet<string> | null) => void) {
    this.#eb = eb;
    this.#buses = buses;
    this.#route = route;
  }

  create({ArchiveName, EventSourceArn, EventPattern, RetentionDays = 0, Description}: CreateArchiveRequest): {ArchiveArn: string; State: "ENABLED"; CreationTime: Date} {
    checkName("ArchiveName", ArchiveName);
    if (this.#archives.has(ArchiveName)) throw new EventBridgeError("ResourceAlreadyExistsException", `Archive ${ArchiveName} already exists.`);
    const bus = [...this.#buses()].find((b) => b.arn === EventSourceArn);
    if (!bus) throw new EventBridgeError("ResourceNotFoundException", `EventSourceArn must be the ARN of an event bus, got ${JSON.stringify(EventSourceArn)}`);
    if (!isIntegerIn(RetentionDays, 0, Number.MAX_SAFE_INTEGER)) throw new EventBridgeError("ValidationException", `RetentionDays must be an integer >= 0 (0 keeps events indefinitely), got ${RetentionDays}`);
    const compiled = EventPattern === undefined ? null : compileRulePattern(EventPattern, "EventPattern");
    const archive: Archive<B> = {
      name: ArchiveName,
      arn: `arn:aws:events:${this.#eb.region}:${this.#eb.account}:archive/${ArchiveName}`,
      bus,
      pattern: compiled?.text,
      matcher: compiled?.matcher ?? null,
      retentionDays: RetentionDays,
      description: Description,
      createdAt: this.#eb.sim.now,
      events: []
    };
    this.#archives.set(ArchiveName, archive);
    this.#eb.sim.record("eventbridge.archive.create", {archive: ArchiveName, bus: bus.name, retentionDays: RetentionDays});
    return {ArchiveArn: archive.arn, State: "ENABLED", CreationTime: this.#eb.dateAt(archive.createdAt)};
  }

  describe({ArchiveName}: {ArchiveName: string}): ArchiveDescription {
    const archive = this.#find(ArchiveName);
    this.#expire(archive);
    return {
      ArchiveName,
      ArchiveArn: archive.arn,
      EventSourceArn: archive.bus.arn,
      ...(archive.pattern ? {EventPattern: archive.pattern} : {}),
      RetentionDays: archive.retentionDays,
      ...(archive.description !== undefined ? {Description: archive.description} : {}),
      EventCount: archive.events.length,
      State: "ENABLED",
      CreationTime: this.#eb.dateAt(archive.createdAt)
    };
  }

  #find(name: string): Archive<B> {
    const archive = this.#archives.get(name);
    if (!archive) throw new EventBridgeError("ResourceNotFoundException", `Archive ${name} does not exist.`);
    return archive;
  }

  /** Archives an event that reached `bus` from PutEvents (replayed events are not archived again). */
  keep(bus: B, event: EventBridgeEvent): void {
    for (const archive of this.#archives.values()) {
      if (archive.bus !== bus || (archive.matcher && !archive.matcher(event))) continue;
      this.#expire(archive);
      archive.events.push({event: structuredClone(event), archivedAt: this.#eb.sim.now});
      this.#eb.sim.record("eventbridge.archive", {archive: archive.name, eventId: event.id});
    }
  }

  /** Drops events older than the retention period (checked lazily, whenever the archive is used). */
  #expire(archive: Archive<B>): void {
    if (archive.retentionDays === 0) return;
    const cutoff = this.#eb.sim.now - archive.retentionDays * 86_400_000;
    let expired = 0;
    while (expired < archive.events.length && archive.events[expired].archivedAt < cutoff) expired++;
    if (expired === 0) return;
    archive.events.splice(0, expired);
    this.#eb.sim.record("eventbridge.archive.expire", {archive: archive.name, expired});
  }

  /** Replays the archived events that reached the bus in [EventStartTime, EventEndTime). */
  startReplay(request: StartReplayRequest): {ReplayArn: string; State: ReplayState; ReplayStartTime: Date} {
    const {ReplayName, EventSourceArn, EventStartTime, EventEndTime, Destination} = request;
    checkName("ReplayName", ReplayName);
    if (this.#replays.has(ReplayName)) throw new EventBridgeError("ResourceAlreadyExistsException", `Replay ${ReplayName} already exists.`);
    const archive = [...this.#archives.values()].find((a) => a.arn === EventSourceArn);
    if (!archive) throw new EventBridgeError("ResourceNotFoundException", `EventSourceArn must be the ARN of an archive, got ${JSON.stringify(EventSourceArn)}`);
    if (!(EventStartTime instanceof Date) || !(EventEndTime instanceof Date)) throw new EventBridgeError("ValidationException", "EventStartTime and EventEndTime must be Dates (eventBridge.dateAt(virtualMs) makes one)");
    const start = EventStartTime.getTime() - this.#eb.epoch;
    const end = EventEndTime.getTime() - this.#eb.epoch;
    if (!(start < end)) throw new EventBridgeError("ValidationException", "EventStartTime must be before EventEndTime");
    if (end > this.#eb.sim.now) throw new EventBridgeError("ValidationException", `EventEndTime ${EventEndTime.toISOString()} is in the future (now is ${this.#eb.dateAt().toISOString()})`);
    if (Destination?.Arn !== archive.bus.arn) {
      throw new EventBridgeError("ValidationException", `Destination.Arn must be the archive's own event bus ${archive.bus.arn}, got ${JSON.stringify(Destination?.Arn)}`);
    }
    const filter = Destination.FilterArns?.length ? new Set(Destination.FilterArns) : null;
    for (const arn of filter ?? []) {
      if (![...archive.bus.rules.values()].some((r) => r.arn === arn)) throw new EventBridgeError("ValidationException", `FilterArns: ${arn} is not a rule of ${archive.bus.name}`);
    }
    this.#expire(archive);
    const selected = archive.events.filter((e) => e.archivedAt >= start && e.archivedAt < end).map((e) => e.event);
    const description: ReplayDescription = {
      ReplayName,
      ReplayArn: `arn:aws:events:${this.#eb.region}:${this.#eb.account}:replay/${ReplayName}`,
      EventSourceArn,
      State: "STARTING",
      EventStartTime,
      EventEndTime,
      ReplayStartTime: this.#eb.dateAt(),
      Destination: structuredClone(Destination)
    };
    this.#replays.set(ReplayName, {description});
    this.#eb.sim.record("eventbridge.replay.start", {replay: ReplayName, archive: archive.name, events: selected.length});
    selected.forEach((original, i) => {
      this.#eb.sim.schedule(this.#eb.replayIntervalMs * (i + 1), () => {
        description.State = "RUNNING";
        const event = {...structuredClone(original), "replay-name": ReplayName};
        description.EventLastReplayedTime = new Date(Date.parse(original.time));
        this.#route(archive.bus, event, filter);
      });
    });
    this.#eb.sim.schedule(this.#eb.replayIntervalMs * (selected.length + 1), () => {
      description.State = "COMPLETED";
      description.ReplayEndTime = this.#eb.dateAt();
      this.#eb.sim.record("eventbridge.replay.complete", {replay: ReplayName, events: selected.length});
    });
    return {ReplayArn: description.ReplayArn, State: description.State, ReplayStartTime: description.ReplayStartTime};
  }

  describeReplay({ReplayName}: {ReplayName: string}): ReplayDescription {
    const replay = this.#replays.get(ReplayName);
    if (!replay) throw new EventBridgeError("ResourceNotFoundException", `Replay ${ReplayName} does not exist.`);
    return structuredClone(replay.description);
  }
}
