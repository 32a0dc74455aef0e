// How expensive a field's wildcards are to match, as event-ruler's MachineComplexityEvaluator
// measures it: the most "wildcard rule prefixes" one input value can match at the same time, that
// is the most states the field's wildcard automaton can be in at once. Ruler merges the patterns
// of one field into one machine (shared prefixes share states), so the patterns are merged into
// one trie here too; a '*' state loops on every character. Ruler walks bytes, we walk UTF-16
// characters: the same for the ASCII a wildcard pattern is normally written in.

import {tokenizeWildcard} from "./values.js";

/**
 * The limit a rule's wildcards are held to. EventBridge does not publish its own; this is the
 * MAX_COMPLEXITY of event-ruler's MachineComplexityEvaluatorTest.java, where the README's data
 * points put matching at about 1,250 events per second.
 */
export const MAX_COMPLEXITY = 100;

/**
 * Subsets of states explored at most, to bound the time a pattern takes to validate. A machine
 * that needs more and still stays under the limit is reported by the largest subset seen.
 */
const MAX_EXPLORED = 5_000;

interface State {
  readonly id: number;
  readonly next: Map<string, State>;
  /** The state after a '*' (reached without consuming a character). */
  star: State | null;
  /** Entered through a '*': stays here on any character. */
  readonly loops: boolean;
}

/**
 * The complexity of a field's wildcard patterns (wildcard and anything-but wildcard values): exact
 * up to `cap`; past it, evaluation stops (as MachineComplexityEvaluator's maxComplexity does) and
 * the answer is only known to be above `cap`.
 */
export function wildcardComplexity(patterns: readonly string[], cap = Infinity): number {
  const states: State[] = [];
  const state = (loops: boolean): State => {
    const s: State = {id: states.length, next: new Map(), star: null, loops};
    states.push(s);
    return s;
  };
  const root = state(false);
  const alphabet = new Set<string>();
  for (const pattern of new Set(patterns)) {
    const tokens = tokenizeWildcard(pattern);
    if (typeof tokens === "string") continue; // refused by the parser before it gets here
    let at = root;
    tokens.forEach((token, i) => {
      if (i > 0) at = at.star ??= state(true);
      for (const ch of token) {
        alphabet.add(ch);
        let next = at.next.get(ch);
        if (!next) at.next.set(ch, (next = state(false)));
        at = next;
      }
    });
  }
  if (states.length === 1) return 0;
  // A character no pattern names: only '*' states survive it.
  alphabet.add("\u0000");

  // Subsets of states as sorted ids; `mark` dedupes within one step.
  const mark = new Int32Array(states.length);
  let stamp = 0;
  const add = (s: State | null, out: number[]) => {
    // A state brings the '*' states after it (they need no character).
    for (; s && mark[s.id] !== stamp; s = s.star) {
      mark[s.id] = stamp;
      out.push(s.id);
    }
  };
  const step = (from: number[], ch: string | null): number[] => {
    stamp++;
    const out: number[] = [];
    for (const id of from) {
      const s = states[id];
      if (ch === null) add(s, out);
      else {
        add(s.next.get(ch) ?? null, out);
        if (s.loops) add(s, out);
      }
    }
    return out.sort((a, b) => a - b);
  };
  const start = step([root.id], null);
  const seen = new Set([start.join()]);
  // Depth first, the largest next subset first: a complex machine shows its complexity within a
  // few dozen characters, so the search passes `cap` long before it has seen every subset.
  const stack = [start];
  let worst = 0;
  while (stack.length > 0 && seen.size <= MAX_EXPLORED && worst <= cap) {
    const current = stack.pop()!;
    // The empty prefix (the root) is not a wildcard rule prefix.
    worst = Math.max(worst, current[0] === root.id ? current.length - 1 : current.length);
    const next: number[][] = [];
    for (const ch of alphabet) {
      const states = step(current, ch);
      const key = states.join();
      if (states.length === 0 || seen.has(key)) continue;
      seen.add(key);
      next.push(states);
    }
    stack.push(...next.sort((a, b) => a.length - b.length));
  }
  return worst;
}
