// Errors of the Kafka model. Names follow Kafka's own error codes (ProducerFencedException,
// OffsetOutOfRangeException, ...) so that a page can say which real error a learner just met.
// Every check runs before any state changes: a refused call leaves the simulation as it was.

/** A Kafka error; `code` is Kafka's error name, `retriable` says whether a client retries it. */
export class KafkaError extends Error {
  override name = "KafkaError";
  readonly code: string;
  readonly retriable: boolean;
  constructor(code: string, message: string, retriable = false) {
    super(message);
    this.code = code;
    this.retriable = retriable;
  }
}

/** Invalid configuration or arguments (Kafka's ConfigException / InvalidRequest). */
export class KafkaConfigError extends KafkaError {
  override name = "KafkaConfigError";
  constructor(message: string) {
    super("INVALID_CONFIG", message);
  }
}

/** Throws unless `value` is an integer in [min, max]; the message names the setting. */
export function checkInteger(setting: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
    throw new KafkaConfigError(`${setting} must be ${range}, got ${String(value)}`);
  }
  return value;
}

/** Throws unless `value` is one of `allowed`; the message lists them. */
export function checkOneOf<T extends string | number>(setting: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new KafkaConfigError(`${setting} must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

/** Throws unless `value` is a number of milliseconds >= min (Infinity allowed when `infinite`). */
export function checkMs(setting: string, value: unknown, min = 0): number {
  if (typeof value !== "number" || Number.isNaN(value) || value < min) {
    throw new KafkaConfigError(`${setting} must be a number of milliseconds >= ${min}, got ${String(value)}`);
  }
  return value;
}
