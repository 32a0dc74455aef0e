// A run's trace: every broker action as a typed event {time, kind, ...}. Charts and tables read
// it; two runs with the same seed and scenario produce equal traces (the replay property).

export interface TraceEvent {
  readonly time: number;
  /** Dotted, area first: "kafka.produce", "rabbitmq.deliver", "eventbridge.match", ... */
  readonly kind: string;
  readonly [field: string]: unknown;
}

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
  filter<T extends TraceEvent = TraceEvent>(kind: string): T[] {
    const prefix = kind.endsWith(".");
    return this.events.filter((e) => (prefix ? e.kind.startsWith(kind) : e.kind === kind)) as T[];
  }
}
