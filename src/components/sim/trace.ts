// A run's trace: every broker action as a typed event {time, kind, ...}. Charts and tables read
// it; two runs with the same seed and scenario produce equal traces (the replay property).

/**
 * Every kind of event and its fields. Empty here: the kernel does not know the models. Each area
 * declares its kinds in its own `trace-events.ts` by declaration merging
 * (https://www.typescriptlang.org/docs/handbook/declaration-merging.html#module-augmentation):
 * `declare module "../sim/trace.js" { interface TraceEventMap { "kafka.append": {topic: string; ...} } }`.
 * Kinds are dotted, area first: "kafka.append", "rabbitmq.deliver", "eventbridge.match", ...
 */
export interface TraceEventMap {}

export type TraceKind = keyof TraceEventMap & string;

/** One event: its time, its kind and that kind's fields; a union discriminated on `kind`. */
export type TraceEvent = {[K in TraceKind]: {readonly time: number; readonly kind: K} & Readonly<TraceEventMap[K]>}[TraceKind];

/** The events of one kind (or of a union of kinds). */
export type TraceEventOf<K extends TraceKind> = Extract<TraceEvent, {kind: K}>;

/** Every dotted prefix of a kind: "kafka.txn.commit" gives "kafka." and "kafka.txn.". */
type Prefixes<S extends string> = S extends `${infer Head}.${infer Tail}` ? `${Head}.` | `${Head}.${Prefixes<Tail>}` : never;

/** A prefix that selects an area's events ("kafka.") or a family of them ("kafka.txn."). */
export type TracePrefix = Prefixes<TraceKind>;

/** The events whose kind starts with `P`. */
export type TraceEventUnder<P extends TracePrefix> = Extract<TraceEvent, {kind: `${P}${string}`}>;

export class TraceLimitError extends RangeError {
  override name = "TraceLimitError";
}

export class Trace {
  readonly events: TraceEvent[] = [];
  readonly limit: number;
  enabled: boolean;

  constructor({limit = 1_000_000, enabled = true}: {limit?: number; enabled?: boolean} = {}) {
    this.limit = limit;
    this.enabled = enabled;
  }

  get length(): number {
    return this.events.length;
  }

  push(event: TraceEvent): void {
    if (!this.enabled) return;
    if (this.events.length >= this.limit) {
      throw new TraceLimitError(
        `the trace holds at most ${this.limit.toLocaleString("en-US")} events (traceLimit); ` +
          `shorten the scenario or create the simulation with {trace: false}`
      );
    }
    this.events.push(event);
  }

  /** Events of one kind, or of every kind under a prefix ("kafka."). */
  filter<K extends TraceKind>(kind: K): TraceEventOf<K>[];
  filter<P extends TracePrefix>(prefix: P): TraceEventUnder<P>[];
  filter(kind: string): TraceEvent[] {
    const prefix = kind.endsWith(".");
    return this.events.filter((e) => (prefix ? e.kind.startsWith(kind) : e.kind === kind));
  }
}
