// The EventBridge model in one import: the pattern language, the simulated bus, the SDK facade.
export {
  matchesPattern,
  compilePattern,
  compileRuleSet,
  validatePattern,
  explainMatch,
  tokenizeWildcard,
  InvalidEventPatternError,
  InvalidEventError,
  NUMERIC_LIMIT,
  type EventPattern,
  type EventMatcher,
  type MatchOptions,
  type MatchExplanation,
  type FieldExplanation
} from "./pattern.js";
export {createEventBridge, EventBridge, EventBridgeError, entrySize, type EventBridgeOptions, type EventBridgeEvent, type SimFunction, type SimQueue, type QueueMessage, type Target, type RetryPolicy} from "./bus.js";
export {transformInput, readJsonPath, parseJsonPath, checkInputTransformer, type InputTransformer} from "./transform.js";
export * from "./sdk.js";
