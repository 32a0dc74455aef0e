// The API's errors and the argument checks every operation shares.

import {compilePattern, InvalidEventPatternError, validatePattern, type EventMatcher} from "./pattern.js";

/** An API error; `name` is the AWS exception name, as the SDK reports it. */
export class EventBridgeError extends Error {
  override name: string;
  readonly $fault = "client" as const;
  constructor(name: "ValidationException" | "ResourceNotFoundException" | "ResourceAlreadyExistsException" | "InvalidEventPatternException" | "LimitExceededException", message: string, options?: {cause?: unknown}) {
    super(message, options);
    this.name = name;
  }
}

export const NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
/** PutRule's EventPattern: "Length Constraints: Maximum length of 4096" (API Reference). */
const MAX_PATTERN_LENGTH = 4096;

/** A pattern given as JSON text or an object, checked and compiled; errors are the API's. */
export function compileRulePattern(pattern: string | object, setting: string): {text: string; matcher: EventMatcher} {
  try {
    // An object is validated before JSON.stringify writes it out: one nested too deep for
    // stringify gets the parser's message instead of a stack overflow.
    if (typeof pattern === "object" && pattern !== null) validatePattern(pattern);
    const text = typeof pattern === "string" ? pattern : JSON.stringify(pattern);
    if (typeof text !== "string") throw new EventBridgeError("ValidationException", `${setting} must be JSON text or an object`);
    if (text.length > MAX_PATTERN_LENGTH) throw new EventBridgeError("ValidationException", `${setting} is ${text.length} characters long; the limit is ${MAX_PATTERN_LENGTH}`);
    // Compiled from the text, so that changing the caller's object later changes nothing.
    return {text, matcher: compilePattern(text)};
  } catch (error) {
    if (error instanceof InvalidEventPatternError) throw new EventBridgeError("InvalidEventPatternException", error.message, {cause: error});
    throw error;
  }
}

export function checkName(setting: string, value: unknown): void {
  if (typeof value !== "string" || !NAME.test(value)) {
    throw new EventBridgeError("ValidationException", `${setting} must be 1-64 characters of letters, digits, ".", "-" and "_", got ${JSON.stringify(value)}`);
  }
}

export function checkNumber(setting: string, value: unknown, min: number, max = Infinity): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`${setting} must be a number ${max === Infinity ? `>= ${min}` : `from ${min} to ${max}`}, got ${String(value)}`);
  }
}

export function isIntegerIn(value: unknown, min: number, max: number): boolean {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}
