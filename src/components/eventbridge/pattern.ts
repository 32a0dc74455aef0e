// The EventBridge event-pattern language: validation, matching, compilation and "why didn't my
// rule match?" explanations. The public entry points are here; the work is in pattern/:
// - types.ts: errors, public types and the parsed tree;
// - parse.ts (validatePattern) turns raw JSON into the typed tree or throws InvalidEventPatternError,
//   holding patterns to Ruler's limits (nesting depth; wildcard complexity, measured by complexity.ts);
// - match.ts (matchesPattern) interprets the raw pattern JSON for every event;
// - compile.ts (compilePattern, compileRuleSet) turns the parsed tree into closures;
// - machine.ts (compileRuleMachine) compiles a bus's rules into one event-ruler-style state machine;
// - explain.ts (explainMatch) runs the interpreter, recording a row per field;
// - values.ts: event access and the scalar rules all of them share.
//
// Sources (read for every rule):
// - EventBridge User Guide, "Creating event patterns", "Arrays in event patterns", "Matching null
//   values and empty strings", "Comparison operators for use in event patterns" (content filtering):
//   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
// - aws/event-ruler (the library EventBridge matches with): README.md, JsonRuleCompiler.java (the
//   validation messages), ComparableNumber.java (numeric precision and limits).

export {InvalidEventPatternError, InvalidEventError, type EventMatcher, type FieldExplanation, type MatchExplanation} from "./pattern/types.js";
export {validatePattern} from "./pattern/parse.js";
export {matchesPattern} from "./pattern/match.js";
export {compilePattern, compileRuleSet} from "./pattern/compile.js";
export {compileRuleMachine} from "./pattern/machine.js";
export {explainMatch} from "./pattern/explain.js";
