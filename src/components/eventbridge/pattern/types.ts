// The event-pattern language's errors, public types, and the parsed tree parse.ts builds.


/** Thrown for a pattern EventBridge would refuse (the API's InvalidEventPatternException). */
export class InvalidEventPatternError extends Error {
  override name = "InvalidEventPatternError";
  /** Where in the pattern, as a JSON path ("detail.state[0].numeric"); "" for the pattern itself. */
  readonly path: string;
  /** What is wrong, without the location. */
  readonly reason: string;
  constructor(reason: string, path: string) {
    super(`Event pattern is not valid${path ? ` at ${path}` : ""}: ${reason}`);
    this.path = path;
    this.reason = reason;
  }
}

/** Thrown when an event given as text is not JSON (EventBridge events are always JSON objects). */
export class InvalidEventError extends Error {
  override name = "InvalidEventError";
}

export type EventPattern = Record<string, unknown>;
export type EventInput = unknown;

/** A compiled pattern: call it with an event (object or JSON text). */
export interface EventMatcher {
  (event: EventInput): boolean;
  /** The pattern it was compiled from (parsed, if it was given as text). */
  readonly pattern: EventPattern;
}

/** One row of an explanation: one pattern field (leaf), or one `$or`. */
export interface FieldExplanation {
  /** Dotted path of the field in the event, with array indexes where one element was chosen. */
  path: string;
  /** The pattern's condition for this field, as JSON (`["running","pending"]`, `$or (2 branches)`). */
  condition: string;
  /** The event's value at `path` (undefined when the field is missing). */
  eventValue: unknown;
  /** Whether the field is present in the event. */
  present: boolean;
  matched: boolean;
  /** Why it matched or failed, in a sentence. */
  reason: string;
  /** The `$or` branches this row sits in, outermost first ("$or[1]", "$or[1] › $or[0]"). */
  branch?: string;
}

export interface MatchExplanation {
  matched: boolean;
  /** One sentence for the whole pattern. */
  summary: string;
  fields: FieldExplanation[];
}

// The parsed tree (parse.ts builds it, compile.ts compiles it).

/** The key of an OR between objects of fields (event-ruler README, "The $or primitive"). */
export const OR = "$or";

export type Scalar = string | number | boolean | null;

export interface Bound {
  value: number;
  inclusive: boolean;
}

export type Condition =
  | {op: "exact"; value: Scalar}
  | {op: "prefix" | "suffix"; value: string; ignoreCase: boolean}
  | {op: "equals-ignore-case"; value: string}
  | {op: "wildcard"; value: string; tokens: string[]}
  | {op: "anything-but"; kind: "values"; values: Array<string | number>}
  | {op: "anything-but"; kind: "prefix" | "suffix"; values: string[]}
  | {op: "anything-but"; kind: "equals-ignore-case"; values: string[]}
  | {op: "anything-but"; kind: "wildcard"; values: string[]; tokens: string[][]}
  | {op: "numeric"; lower: Bound | null; upper: Bound | null}
  | {op: "exists"; value: boolean}
  | {op: "cidr"; value: string; block: CidrBlock};

export interface LeafNode {
  kind: "leaf";
  path: string[];
  conditions: Condition[];
}

export interface ObjectNode {
  kind: "object";
  path: string[];
  fields: Array<{key: string; node: LeafNode | ObjectNode}>;
  or: ObjectNode[] | null;
}

/** A parsed CIDR block: the network and mask as numbers (IPv4) or bigints (IPv6). */
export type CidrBlock = {version: 4; network: number; mask: number} | {version: 6; network: bigint; mask: bigint};
