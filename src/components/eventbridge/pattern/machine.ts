// The rule machine: every rule of a bus compiled into ONE state machine, the way event-ruler does it
// (aws/event-ruler: GenericMachine.java, NameState.java, ByteMachine.java, ACFinder.java).
//
// - Each rule is expanded into alternatives ($or branches multiplied out, as Ruler's
//   JsonRuleCompiler does, and a list of exact values one alternative per value, as each value is
//   its own transition in a ByteMachine); an alternative is a list of leaves (field path +
//   conditions), exact-valued leaves first, then sorted by field path ("fields visited in sorted
//   key order"). Its exact leaves become a path of states from the root; alternatives that start
//   alike share their states, so an event only follows the transitions its own values take. Exact
//   leaves on a field naming few values across the rules are left to the blocks instead (see
//   fewValued): as states they would double the states, and blocks, an event reaches.
// - The rest of an alternative (its leaves on the other operators) is a column of the block of
//   the state its exact leaves end in (Block). Ruler goes on from there one state per leaf; at
//   10,000 rules an event then walks dozens of such paths, each state and transition a cache
//   miss. A block holds its columns side by side instead: each field is a slot, a ValueMachine
//   whose targets are columns, and an event keeps the columns that pass every slot they have a
//   leaf in, 32 at a time (an AND of bitsets, as each rule must pass all its fields); what a
//   slot lets through for a value class, an interval of numbers or a predicate is a bitset of
//   its own, made once.
// - A ValueMachine (Ruler's ByteMachine) maps a value to targets: exact values by hash lookup,
//   prefixes and suffixes by hash lookup of the value's prefix of each length rules name (Ruler
//   walks a trie of bytes; a few lookups of whole strings are cheaper in JS than one per
//   character), numeric ranges by sorted bounds (a segment tree over the elementary intervals),
//   `anything-but` as a transition every value takes except the excluded ones, `exists` on
//   presence or absence, and the rarer operators (wildcard, cidr, ignore-case prefixes) as a
//   per-field list of predicates, each distinct condition tested once per value.
// - Value classes (this machine's own; Ruler walks a ByteMachine per value per state): a field's
//   strings and numbers are numbered in one dictionary, and each event value gets a class once
//   per event (its exact string, folded form, longest prefix and suffix, named number), which
//   fixes what every ValueMachine on the field does with it, bar ranges and predicates. A
//   transition's or slot's targets are computed by its ValueMachine on the first value of a
//   class, and looked up by class from then on (in the slot's record, or a TargetTable).
// - The walk reads typed arrays, not objects, each object it chases being a cache miss: states
//   are records of one Int32Array, exact transitions of another (one value to one state inline),
//   blocks of a third (slot after slot, with their bitsets and rows of targets); a state that
//   only accepts one alternative is targeted as that alternative; found rules are a bitset.
// - Array consistency (README, "JSON Array Matching"): a leaf reached through an array of objects
//   may have taken its value from a different element than its neighbours. Where that can matter
//   (an alternative of two or more leaves, one of them under such an array; or `exists: false`
//   under such an array), the candidate rule is confirmed by its compiled matcher, which holds
//   the interpreter's semantics. Ruler's ACFinder tracks element membership instead; confirming
//   keeps one definition of consistency (match.ts) and costs only on events with such arrays.
//
// The event is walked once along the field paths the machine knows (other fields are never read),
// collecting each path's scalar values; then the states are explored from the root, each state
// accepted, and its block evaluated, when first reached.

import {parsePattern} from "./parse.js";
import type {Condition, EventInput, LeafNode, ObjectNode, Scalar} from "./types.js";
import {compileCondition, compileDescend} from "./compile.js";
import {comparableNumber, foldCase, inNumericRange, isPlainObject, isScalar, leafValues, parseEvent} from "./values.js";

/** Ruler refuses rules whose $or expansion is too large; here such a rule is simply checked on every event. */
const MAX_ALTERNATIVES = 256;

type Emit = (state: number) => void;

/**
 * The rarer operators' predicates, shared by every slot's machine: each distinct condition on a
 * field is tested once per event value, however many slots (rules) name it.
 */
class Predicates {
  ids = new Map<string, number>();
  tests: Array<(v: Scalar) => boolean> = [];
  epoch = 0;
  stamp = new Uint32Array(0);
  value: Scalar[] = [];
  result = new Uint8Array(0);

  id(field: number, c: Exclude<Condition, {op: "exact" | "exists"}>): number {
    const key = `${field}|${c.op === "cidr" ? `cidr:${c.value}` : JSON.stringify(c)}`;
    let id = this.ids.get(key);
    if (id === undefined) this.ids.set(key, (id = this.tests.push(compileCondition(c)) - 1));
    return id;
  }

  seal(): void {
    this.stamp = new Uint32Array(this.tests.length);
    this.result = new Uint8Array(this.tests.length);
    this.value = new Array<Scalar>(this.tests.length).fill(null);
  }

  test(id: number, v: Scalar): boolean {
    if (this.stamp[id] !== this.epoch || this.value[id] !== v) {
      this.stamp[id] = this.epoch;
      this.value[id] = v;
      this.result[id] = this.tests[id](v) ? 1 : 0;
    }
    return this.result[id] === 1;
  }
}

/** Children of one field path in the event (the walk reads only fields some rule names). */
interface FieldNode {
  id: number;
  keys: string[];
  kids: FieldNode[];
  inherited: boolean[];
  byKey: Map<string, FieldNode>;
  /** Some rule has a leaf at this path, so its scalar values are collected. */
  leaf: boolean;
  dictionary: Dictionary;
}

interface Alternative {
  rule: number;
  /** Field ids of its leaves, and of its `exists: false` leaves. */
  fields: number[];
  nullable: number[];
}

interface State {
  /** Field id → the machine of this state's transitions on that field, in sorted path order. */
  transitions: Array<{field: number; machine: ValueMachine}>;
  children: Map<string, number>;
  alternatives: number[];
  block: Block | null;
}

/**
 * Compiles rules into one machine. The matcher returns the indexes of the matching rules, in
 * ascending order, exactly as matchesPattern would decide each one.
 */
export function compileRuleMachine(patterns: readonly unknown[]): (event: EventInput) => number[] {
  const trees = patterns.map((p) => parsePattern(p).tree);
  const verify = trees.map(compileDescend);
  const root: FieldNode = newField(0);
  const fields: FieldNode[] = [root];
  const sortKeys: string[] = [""];
  const fieldOf = (path: string[]): FieldNode => {
    let node = root;
    for (let depth = 0; depth < path.length; depth++) {
      const key = path[depth];
      let next = node.byKey.get(key);
      if (!next) {
        next = newField(fields.length);
        fields.push(next);
        sortKeys.push(path.slice(0, depth + 1).join("."));
        node.byKey.set(key, next);
      }
      node = next;
    }
    node.leaf = true;
    return node;
  };
  const states: State[] = [newState()];
  const alternatives: Alternative[] = [];
  const checkAlways: number[] = []; // rules whose $or expansion is too large
  const predicates = new Predicates();
  const blocks: Block[] = [];
  const inBlocks = fewValued(
    trees.flatMap((tree) => expand(tree, allExact) ?? []),
    (leaf) => fieldOf(leaf.path).id
  );
  const isExact = (leaf: LeafNode): boolean => !inBlocks.has(fieldOf(leaf.path).id) && allExact(leaf);
  trees.forEach((tree, rule) => {
    const expanded = expand(tree, isExact);
    if (!expanded) return void checkAlways.push(rule);
    for (const leaves of expanded) {
      const steps = leaves.map((leaf) => ({leaf, field: fieldOf(leaf.path), key: conditionsKey(leaf.conditions), exact: isExact(leaf)}));
      steps.sort((a, b) => Number(b.exact) - Number(a.exact) || compare(sortKeys[a.field.id], sortKeys[b.field.id]) || a.field.id - b.field.id || compare(a.key, b.key));
      const alternative = alternatives.length;
      alternatives.push({
        rule,
        fields: steps.map((s) => s.field.id),
        nullable: steps.filter((s) => s.leaf.conditions.some((c) => c.op === "exists" && !c.value)).map((s) => s.field.id)
      });
      // Exact values walk (and share) states; the rest is a column of the last state's block.
      let state = 0;
      let i = 0;
      for (; i < steps.length && steps[i].exact; i++) {
        const {leaf, field, key} = steps[i];
        const edge = `${field.id}|${key}`;
        let next = states[state].children.get(edge);
        if (next === undefined) {
          next = states.length;
          states.push(newState());
          states[state].children.set(edge, next);
          machineFor(states[state], field, predicates).add(leaf.conditions, next);
        }
        state = next;
      }
      if (i === steps.length) states[state].alternatives.push(alternative);
      else (states[state].block ??= blocks[blocks.push(new Block()) - 1]).add(steps.slice(i), alternative, predicates);
    }
  });
  for (const field of fields) {
    field.keys = [...field.byKey.keys()].sort(compare);
    field.kids = field.keys.map((k) => field.byKey.get(k)!);
    field.inherited = field.keys.map((k) => k in Object.prototype);
    field.dictionary.seal();
  }
  for (const state of states) state.transitions.sort((a, b) => compare(sortKeys[a.field], sortKeys[b.field]) || a.field - b.field);
  predicates.seal();

  // The states flattened into one typed array, a record of STATE ints each (its stamp, the ranges
  // of its alternatives and of its transitions, both laid out in state order, and its block plus
  // one), so that reaching a state reads one cache line instead of chasing objects through the heap.
  const info = new Int32Array(states.length * STATE);
  // Alternatives by position: each state's own (all leaves exact), then each block's, column by column.
  const altOrder = states.flatMap((state) => state.alternatives);
  for (let i = 0, a = 0, t = 0; i < states.length; i++) {
    const b = i * STATE;
    info[b + 1] = a;
    info[b + 2] = a += states[i].alternatives.length;
    info[b + 3] = t;
    info[b + 4] = t += states[i].transitions.length;
  }
  // The blocks laid out in one Int32Array (see Block.layOut), their ranges' rows in one Float64Array.
  const layout: BlockLayout = {code: [], rows: [], ranges: [], machines: []};
  states.forEach((state, i) => {
    const block = state.block;
    if (block === null) return;
    info[i * STATE + 5] = block.layOut(layout, altOrder.length) + 1;
    for (const list of block.alternatives) altOrder.push(...list);
  });
  const code = Int32Array.from(layout.code);
  // Slots' bitsets for classes past their rows (see evaluate), made as events come.
  let extra: Int32Array = new Int32Array(1024);
  let extraEnd = 0;
  const rangeRows = Float64Array.from(layout.rows);
  const rangeIndexes = layout.ranges;
  // Each alternative's rule, times two, plus one if it may need confirming on an event with arrays
  // of objects (see mustConfirm).
  const altRule = Int32Array.from(altOrder, (a) => 2 * alternatives[a].rule + (alternatives[a].nullable.length > 0 || alternatives[a].fields.length > 1 ? 1 : 0));
  const transMachine = states.flatMap((state) => state.transitions.map((t) => t.machine));
  // A state of no transitions, no block and one alternative is, as a target in the records and
  // the table, that alternative (numbered past the last state): reaching it reads no record.
  const direct = (state: number): number => {
    const b = state * STATE;
    const a = info[b + 1];
    return info[b + 3] === info[b + 4] && info[b + 5] === 0 && info[b + 2] === a + 1 ? states.length + a : state;
  };
  // Each transition (exact values only) as a record of TRANS ints: its field, and for a
  // transition of one value to one state (where rules stop sharing states) that value's class and
  // its target; other transitions look up their targets by class (TargetTable).
  const rec = new Int32Array(transMachine.length * TRANS);
  transMachine.forEach((m, t) => {
    const r = t * TRANS;
    rec[r] = m.field;
    const c = m.only;
    if (c?.op === "exact") rec.set([EXACT, direct(m.onlyTarget), m.dictionary.classOf(c.value)], r + 1);
  });
  const table = new TargetTable(transMachine.length);
  // Where in `extra` a slot's bitset for a class past its row is, by slot id and class.
  const slotTable = new TargetTable(layout.machines.length);
  const slotMachines = layout.machines;

  // Per-event scratch, reset by stamping with the event's number instead of clearing.
  let epoch = 0;
  let arrayedEpoch = 0;
  const valuesStamp = new Uint32Array(fields.length);
  const arrayedStamp = new Uint32Array(fields.length);
  // Each field's values this event (the first counts[id] of values[id]), and their classes, found
  // only for fields some reached transition or slot reads (classStamp), in reused arrays.
  const values: Scalar[][] = fields.map(() => []);
  const counts = new Int32Array(fields.length);
  const classes: number[][] = fields.map(() => []);
  const classStamp = new Uint32Array(fields.length);
  const dictionaries = fields.map((f) => f.dictionary);
  const classesOf = (id: number): number[] => {
    const out = classes[id];
    if (classStamp[id] !== epoch) {
      classStamp[id] = epoch;
      const vs = values[id];
      for (let i = 0; i < counts[id]; i++) out[i] = dictionaries[id].classOf(vs[i]);
    }
    return out;
  };
  // A class's first event: the machine is fed the value, and its targets kept.
  const seen = newSeen();
  const fill = (machine: ValueMachine, v: Scalar): number => {
    const out: number[] = [];
    machine.dictionary.describe(v, seen);
    machine.feed(seen, (target) => void (out.includes(target) || out.push(target)));
    return table.list(out.map(direct));
  };
  // Each state is pushed at most once per event, each rule found at most once: the rules found
  // are a bitset (with a bitset of its non-empty words), read out in order at the end.
  const stack = new Int32Array(states.length);
  let top = 0;
  const bits = new Uint32Array((patterns.length >> 5) + 1);
  const summary = new Uint32Array((bits.length >> 5) + 1);
  let count = 0;
  const has = (rule: number): boolean => (bits[rule >> 5] & (1 << (rule & 31))) !== 0;
  const find = (rule: number): void => {
    const w = rule >> 5;
    const bit = 1 << (rule & 31);
    if ((bits[w] & bit) !== 0) return;
    bits[w] |= bit;
    summary[w >> 5] |= 1 << (w & 31);
    count++;
  };
  // A state is accepted as soon as it is reached, its block evaluated, and it is walked on only if
  // it has transitions. A target past the last state is an alternative (see direct).
  let stamp = 0; // the epoch as an int32, for info
  const emit: Emit = (state) => {
    if (state >= states.length) return acceptOne(state - states.length);
    const b = state * STATE;
    if (info[b] === stamp) return;
    info[b] = stamp;
    if (info[b + 1] !== info[b + 2]) accept(b);
    if (info[b + 5] !== 0) evaluate(info[b + 5] - 1);
    if (info[b + 3] !== info[b + 4]) stack[top++] = b;
  };

  // A block's columns: `live` starts with all of them and keeps, slot by slot, the columns the
  // slot lets live: those with no leaf in it, and those whose leaf some value of the field passes.
  // Every source of passes (a value's class, its elementary interval, a predicate, `exists`) is a
  // bitset of that form in `code` (the slot's mask inverted, ORed with the columns it passes), so a
  // slot with one source on the event (the usual case) is ANDed into `live` from where it lies;
  // several are ORed into `passed` first (~mask | a | b is (~mask | a) | (~mask | b)).
  const words = blocks.reduce((most, block) => Math.max(most, (block.alternatives.length + 31) >> 5), 1);
  const live = new Int32Array(words);
  const passed = new Int32Array(words);
  const pass: Emit = (column) => void (passed[column >> 5] |= 1 << (column & 31));
  /** A slot's outcome so far, at `keep`, ORed into `passed` with the source at `at` (none if negative): MERGED. */
  const merge = (keep: number, at: number, n: number): number => {
    if (keep !== MERGED) for (let w = 0; w < n; w++) passed[w] = code[keep + w];
    if (at >= 0) for (let w = 0; w < n; w++) passed[w] |= code[at + w];
    return MERGED;
  };
  const evaluate = (block: number): void => {
    const n = code[block];
    for (let w = 0; w < n; w++) live[w] = code[block + BLOCK + w];
    let s = block + BLOCK + n;
    for (let k = code[block + 1]; k > 0; k--) {
      const field = code[s];
      const flags = code[s + 1];
      const present = valuesStamp[field] === epoch;
      const none = s + SLOT; // the slot's outcome when nothing passes
      let keep = none;
      let at = (flags & CLASSED) !== 0 ? none + (ROW + 1) * n : none + n;
      if (present) {
        const count = counts[field];
        const vs = values[field];
        // A class's bitset is made on its first value, and found from then on in the slot's row
        // (the first ROW classes, marked in s + 6) or in `extra` (slotTable).
        if ((flags & CLASSED) !== 0) {
          const cls = classStamp[field] === epoch ? classes[field] : classesOf(field);
          for (let i = 0; i < count; i++) {
            const c = cls[i];
            if (c < ROW) {
              const row = none + n + c * n;
              if ((code[s + 6] & (1 << c)) === 0) {
                classBits(s, n, vs[i], code, row);
                code[s + 6] |= 1 << c;
              }
              keep = keep === none ? row : merge(keep, row, n);
            } else {
              let from = slotTable.get(code[s + 2], c);
              if (from === UNKNOWN) {
                from = extraEnd;
                while (extraEnd + n > extra.length) extra = grown(extra);
                classBits(s, n, vs[i], extra, from);
                extraEnd += n;
                slotTable.set(code[s + 2], c, from);
              }
              keep = merge(keep, -1, n);
              for (let w = 0; w < n; w++) passed[w] |= extra[from + w];
            }
          }
        }
        // A number's elementary interval among the slot's sorted bounds (from s + 3 to s + 4 in
        // rangeRows) picks the bitset of the columns whose range holds it (from s + 8).
        if ((flags & (INTERVALS | RANGE_INDEX)) !== 0) {
          for (let i = 0; i < count; i++) {
            const v = vs[i];
            if (typeof v !== "number" || !inNumericRange(v)) continue;
            const x = comparableNumber(v);
            if ((flags & RANGE_INDEX) !== 0) {
              keep = merge(keep, -1, n);
              rangeIndexes[code[s + 3]].query(x, pass);
              continue;
            }
            const from = code[s + 3];
            const to = code[s + 4];
            let lo = from;
            let hi = to;
            while (lo < hi) {
              const mid = (lo + hi) >> 1;
              if (rangeRows[mid] < x) lo = mid + 1;
              else hi = mid;
            }
            const interval = s + code[s + 8] + (2 * (lo - from) + (lo < to && rangeRows[lo] === x ? 1 : 0)) * n;
            keep = keep === none ? interval : merge(keep, interval, n);
          }
        }
        // Each predicate in turn: its shared id, then its bitset.
        if ((flags & PREDICATES) !== 0) {
          for (let j = s + code[s + 7], end = s + code[s + 5]; j < end; j += 1 + n) {
            let ok = false;
            for (let i = 0; i < count && !ok; i++) ok = predicates.test(code[j], vs[i]);
            if (ok) keep = keep === none ? j + 1 : merge(keep, j + 1, n);
          }
        }
      }
      if ((flags & PRESENT) !== 0) {
        if (present) keep = keep === none ? at : merge(keep, at, n);
        at += n;
      }
      // exists: false under an array of objects: some element may lack the field; confirmed in acceptOne.
      if ((flags & ABSENT) !== 0 && (!present || arrayedStamp[field] === epoch)) keep = keep === none ? at : merge(keep, at, n);
      let any = 0;
      if (keep === MERGED) for (let w = 0; w < n; w++) any |= live[w] &= passed[w];
      else for (let w = 0; w < n; w++) any |= live[w] &= code[keep + w];
      if (any === 0) return;
      s += code[s + 5];
    }
    for (let w = 0, first = code[block + 2]; w < n; w++) {
      for (let word = live[w]; word !== 0; word &= word - 1) {
        const column = first + (w << 5) + lowestBit(word);
        for (let i = code[column], end = code[column + 1]; i < end; i++) acceptOne(i);
      }
    }
  };
  /** Writes at `at` in `into` the bitset of the slot at `s` for the class of `v`. */
  const classBits = (s: number, words: number, v: Scalar, into: Int32Array, at: number): void => {
    const machine = slotMachines[code[s + 2]];
    machine.dictionary.describe(v, seen);
    for (let w = 0; w < words; w++) into[at + w] = code[s + SLOT + w];
    machine.feed(seen, (column) => void (into[at + (column >> 5)] |= 1 << (column & 31)));
  };

  const collect = (value: unknown, field: FieldNode, arrayed: boolean): void => {
    const id = field.id;
    if (arrayed) arrayedStamp[id] = arrayedEpoch = epoch;
    if (field.leaf) {
      if (isScalar(value)) push(id, value);
      else if (Array.isArray(value)) for (const v of leafValues(value)) push(id, v);
    }
    if (field.kids.length === 0) return;
    if (isPlainObject(value)) collectObject(value, field, arrayed);
    else if (Array.isArray(value)) {
      // Every object element, nested arrays flattened (objectElements' order), without recursion.
      const pending: unknown[][] = [value];
      const next: number[] = [0];
      while (pending.length > 0) {
        const top = pending.length - 1;
        const items = pending[top];
        if (next[top] === items.length) {
          pending.pop();
          next.pop();
          continue;
        }
        const item = items[next[top]++];
        if (Array.isArray(item)) pending.push(item), next.push(0);
        else if (isPlainObject(item)) collectObject(item, field, true);
      }
    }
  };
  const collectObject = (object: Record<string, unknown>, field: FieldNode, arrayed: boolean): void => {
    const {keys, kids, inherited} = field;
    for (let i = 0; i < keys.length; i++) {
      const child = object[keys[i]];
      if (child === undefined || (inherited[i] && !Object.hasOwn(object, keys[i]))) continue;
      collect(child, kids[i], arrayed);
    }
  };
  const push = (id: number, v: Scalar): void => {
    if (valuesStamp[id] !== epoch) {
      valuesStamp[id] = epoch;
      counts[id] = 0;
    }
    values[id][counts[id]++] = v;
  };

  let input: unknown = null;
  /** Whether an accepted alternative must be confirmed by its rule's matcher on this event. */
  const mustConfirm = (a: Alternative): boolean => {
    for (const id of a.nullable) if (valuesStamp[id] === epoch && arrayedStamp[id] === epoch) return true;
    if (a.fields.length > 1) for (const id of a.fields) if (arrayedStamp[id] === epoch) return true;
    return false;
  };
  // Rules whose matcher refused them this event.
  const refused = new Uint32Array(patterns.length);
  const confirmed = (rule: number): boolean => {
    if (refused[rule] === epoch) return false;
    if (verify[rule](input)) return true;
    refused[rule] = epoch;
    return false;
  };
  const accept = (b: number): void => {
    for (let i = info[b + 1], end = info[b + 2]; i < end; i++) acceptOne(i);
  };
  /** The i-th alternative (in state order) is satisfied, so its rule matches, unless arrays of objects make it doubtful and its matcher refuses. */
  const acceptOne = (i: number): void => {
    const rule = altRule[i] >> 1;
    if ((altRule[i] & 1) === 1 && arrayedEpoch === epoch && !has(rule) && mustConfirm(alternatives[altOrder[i]]) && !confirmed(rule)) return;
    find(rule);
  };

  return (event) => {
    input = parseEvent(event);
    predicates.epoch = ++epoch;
    stamp = epoch | 0;
    collect(input, root, false);
    count = 0;
    emit(0);
    while (top > 0) {
      const b = stack[--top];
      for (let t = info[b + 3], end = info[b + 4]; t < end; t++) {
        const r = t * TRANS;
        const field = rec[r];
        if (valuesStamp[field] !== epoch) continue;
        const n = counts[field];
        const cls = classesOf(field);
        if (rec[r + 1] === EXACT) {
          for (let i = 0; i < n; i++) {
            if (cls[i] !== rec[r + 3]) continue;
            emit(rec[r + 2]);
            break;
          }
          continue;
        }
        for (let i = 0; i < n; i++) {
          let targets = table.get(t, cls[i]);
          if (targets === UNKNOWN) targets = table.set(t, cls[i], fill(transMachine[t], values[field][i]));
          if (targets >= 0) emit(targets);
          else if (targets !== NO_TARGET) for (let j = -targets, end = j + table.pool[j - 1]; j < end; j++) emit(table.pool[j]);
        }
      }
    }
    for (const rule of checkAlways) if (!has(rule) && verify[rule](input)) find(rule);
    return ascending(count, bits, summary);
  };
}

/**
 * The `count` rules set in `bits`, ascending, clearing it: `summary` marks its non-empty words, so
 * that the work follows the matches, not the number of rules (a typed array's sort costs more
 * than the whole walk that found them).
 */
function ascending(count: number, bits: Uint32Array, summary: Uint32Array): number[] {
  const out = new Array<number>(count);
  let k = 0;
  for (let s = 0; k < count; s++) {
    let words = summary[s];
    summary[s] = 0;
    while (words !== 0) {
      const w = (s << 5) + lowestBit(words);
      words &= words - 1;
      let word = bits[w];
      bits[w] = 0;
      while (word !== 0) {
        out[k++] = (w << 5) + lowestBit(word);
        word &= word - 1;
      }
    }
  }
  return out;
}

/** Ints per state in the machine's state records (stamp, alternatives' range, transitions' range, block plus one, spare). */
const STATE = 8;
/** Ints per transition record (field, kind, target, class); EXACT marks one value to one target, inline. */
const TRANS = 4;
const EXACT = 1;

const UNKNOWN = -1;
const NO_TARGET = -2;

/**
 * Every transition's targets by value class, in one open-addressing hash table of typed arrays:
 * a slot holds the transition (plus one), the class, and the targets: a state's number when there
 * is one (the usual case, where rules stop sharing states), NO_TARGET, or for a longer list minus
 * its start in a pool of lists (each preceded by its length). One lookup reads one cache line.
 */
class TargetTable {
  slots: Int32Array;
  mask: number;
  size = 0;
  pool: Int32Array = new Int32Array(64);
  pooled = 2; // lists start past 1, so that minus a start is never UNKNOWN or NO_TARGET

  constructor(transitions: number) {
    let capacity = 1024;
    while (capacity < 2 * transitions) capacity *= 2;
    this.slots = new Int32Array(capacity * 4);
    this.mask = capacity - 1;
  }

  /** The targets of transition t for class c, or UNKNOWN. */
  get(t: number, c: number): number {
    const slots = this.slots;
    for (let h = slotOf(t, c) & this.mask; ; h = (h + 1) & this.mask) {
      const k = h << 2;
      if (slots[k] === t + 1 && slots[k + 1] === c) return slots[k + 2];
      if (slots[k] === 0) return UNKNOWN;
    }
  }

  /** A list of targets as one number: the target, NO_TARGET, or minus its start in the pool. */
  list(targets: number[]): number {
    if (targets.length === 0) return NO_TARGET;
    if (targets.length === 1) return targets[0];
    while (this.pooled + targets.length + 1 > this.pool.length) this.pool = grown(this.pool);
    this.pool[this.pooled] = targets.length;
    this.pool.set(targets, this.pooled + 1);
    this.pooled += targets.length + 1;
    return -(this.pooled - targets.length);
  }

  set(t: number, c: number, value: number): number {
    if (2 * (this.size + 1) > this.slots.length >> 2) this.rehash();
    this.place(t + 1, c, value);
    this.size++;
    return value;
  }

  place(key: number, c: number, value: number): void {
    let h = slotOf(key - 1, c) & this.mask;
    while (this.slots[h << 2] !== 0) h = (h + 1) & this.mask;
    this.slots[h << 2] = key;
    this.slots[(h << 2) + 1] = c;
    this.slots[(h << 2) + 2] = value;
  }

  rehash(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = (this.slots.length >> 2) - 1;
    for (let k = 0; k < old.length; k += 4) if (old[k] !== 0) this.place(old[k], old[k + 1], old[k + 2]);
  }
}

function slotOf(t: number, c: number): number {
  const x = Math.imul(t, 0x9e3779b1) + Math.imul(c + 1, 0x85ebca6b);
  return x ^ (x >>> 15);
}

function grown(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** The index of the lowest set bit of a non-zero 32-bit word. */
const lowestBit = (word: number): number => 31 - Math.clz32(word & -word);

function newField(id: number): FieldNode {
  return {id, keys: [], kids: [], inherited: [], byKey: new Map(), leaf: false, dictionary: new Dictionary()};
}

function newState(): State {
  return {transitions: [], children: new Map(), alternatives: [], block: null};
}

function machineFor(state: State, field: FieldNode, predicates: Predicates): ValueMachine {
  let t = state.transitions.find((x) => x.field === field.id);
  if (!t) state.transitions.push((t = {field: field.id, machine: new ValueMachine(field.id, predicates, field.dictionary)}));
  return t.machine;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The alternatives of a pattern: each a list of leaves that must all match; null when there are too many. */
function expand(node: ObjectNode, isExact: (leaf: LeafNode) => boolean): LeafNode[][] | null {
  let out: LeafNode[][] = [[]];
  const times = (choices: LeafNode[][] | null): boolean => {
    if (!choices || out.length * choices.length > MAX_ALTERNATIVES) return false;
    out = out.flatMap((a) => choices.map((c) => [...a, ...c]));
    return true;
  };
  for (const {node: child} of node.fields) if (!times(child.kind === "leaf" ? leafChoices(child, out.length, isExact) : expand(child, isExact))) return null;
  if (node.or) {
    const union: LeafNode[][] = [];
    for (const branch of node.or) {
      const b = expand(branch, isExact);
      if (!b) return null;
      union.push(...b);
    }
    if (!times(union)) return null;
  }
  return out;
}

/**
 * A leaf of exact values is one alternative per value (Ruler's ByteMachine gives each value its
 * own transition): rules naming ["a", "b"] and ["a", "c"] then share the state after "a", and an
 * event with "a" reaches one state instead of one per list. The leaf stays whole where that
 * would make too many alternatives, or where it is matched in a block (not `isExact`).
 */
function leafChoices(leaf: LeafNode, alternatives: number, isExact: (leaf: LeafNode) => boolean): LeafNode[][] {
  const n = leaf.conditions.length;
  if (n === 1 || alternatives * n > MAX_ALTERNATIVES || !isExact(leaf)) return [[leaf]];
  return leaf.conditions.map((c) => [{...leaf, conditions: [c]}]);
}

const allExact = (leaf: LeafNode): boolean => leaf.conditions.every((c) => c.op === "exact");

/** A field whose exact leaves name at most this many values across the rules may be matched in blocks (see fewValued). */
const FEW_VALUES = 8;

/**
 * The fields whose exact leaves are matched in blocks rather than by states. A field naming few
 * values across the rules (the bench's detail.state, 5) partitions them poorly: as states, each
 * combination of it with the other exact fields is a state of its own, so an event reaches some
 * twice as many states, each with a block to evaluate, while as a slot it costs one lookup of the
 * value's class in blocks the event reaches anyway. Fields are taken fewest values first, as long
 * as the largest block (the most alternatives ending at one state with leaves left) at most
 * doubles: a rule set keyed by such a field alone keeps its states. Ruler makes every exact leaf
 * a state.
 */
function fewValued(alternatives: LeafNode[][], fieldOf: (leaf: LeafNode) => number): Set<number> {
  const values = new Map<number, Set<string>>();
  for (const leaves of alternatives) {
    for (const leaf of leaves.filter(allExact)) {
      const field = fieldOf(leaf);
      if (!values.has(field)) values.set(field, new Set());
      for (const c of leaf.conditions) values.get(field)!.add(JSON.stringify(c));
    }
  }
  const largest = (inBlocks: Set<number>): number => {
    const sizes = new Map<string, number>();
    let most = 0;
    for (const leaves of alternatives) {
      const state = leaves.filter((leaf) => allExact(leaf) && !inBlocks.has(fieldOf(leaf)));
      if (state.length === leaves.length) continue; // accepted by its state: no column
      const key = state.map((leaf) => `${fieldOf(leaf)}|${conditionsKey(leaf.conditions)}`).sort().join(";");
      const size = (sizes.get(key) ?? 0) + 1;
      sizes.set(key, size);
      most = Math.max(most, size);
    }
    return most;
  };
  const inBlocks = new Set<number>();
  const limit = 2 * largest(inBlocks);
  const candidates = [...values].filter(([, v]) => v.size <= FEW_VALUES).sort((a, b) => a[1].size - b[1].size || a[0] - b[0]);
  for (const [field] of candidates) {
    inBlocks.add(field);
    if (largest(inBlocks) > limit) inBlocks.delete(field);
  }
  return inBlocks;
}

/**
 * A leaf's identity for sharing states, whatever the order of its conditions (any one of them
 * may match); cidr blocks hold BigInts, so they are named by their text.
 */
function conditionsKey(conditions: Condition[]): string {
  const keys = conditions.map((c) => (c.op === "cidr" ? `cidr:${c.value}` : JSON.stringify(c)));
  return [...new Set(keys)].sort().join(",");
}

// ---------------------------------------------------------------------------------------------
// Where rules stop sharing states: a state's block.

/** The leaves of a block's columns on one field (a second slot on the field for a column with two leaves there). */
interface Slot {
  field: number;
  /** Its targets are the block's columns. */
  machine: ValueMachine;
  columns: number[];
}

/** Where blocks are laid out: their records, their ranges' rows, their slots' range indexes and machines, by slot id. */
interface BlockLayout {
  code: number[];
  rows: number[];
  ranges: RangeIndex[];
  machines: ValueMachine[];
}

/**
 * The alternatives whose exact leaves end at one state, with the rest of their leaves. Ruler
 * follows each rest as a path of states, one per leaf; at 10,000 rules an event then walks dozens
 * of such paths, each state and transition a cache miss. Here each distinct rest is a column of
 * the block, and each field a slot: a ValueMachine (Ruler's ByteMachine) whose targets are
 * columns. An event marks, slot by slot, the columns whose leaf some value passes, and keeps the
 * columns passing every slot they have a leaf in, a word of 32 columns at a time.
 */
class Block {
  columnOf = new Map<string, number>();
  /** Each column's alternatives (identical rests share a column). */
  alternatives: number[][] = [];
  slots: Slot[] = [];
  slotOf = new Map<string, Slot>();

  add(rest: Array<{leaf: LeafNode; field: FieldNode; key: string}>, alternative: number, predicates: Predicates): void {
    const key = rest.map((s) => `${s.field.id}|${s.key}`).join(";");
    let column = this.columnOf.get(key);
    if (column !== undefined) return void this.alternatives[column].push(alternative);
    column = this.alternatives.push([alternative]) - 1;
    this.columnOf.set(key, column);
    const leavesOn = new Map<number, number>();
    for (const {leaf, field} of rest) {
      const nth = leavesOn.get(field.id) ?? 0;
      leavesOn.set(field.id, nth + 1);
      let slot = this.slotOf.get(`${field.id}|${nth}`);
      if (!slot) {
        slot = {field: field.id, machine: new ValueMachine(field.id, predicates, field.dictionary), columns: []};
        this.slotOf.set(`${field.id}|${nth}`, slot);
        this.slots.push(slot);
      }
      slot.machine.add(leaf.conditions, column);
      slot.columns.push(column);
    }
  }

  /**
   * Appends the block's record to `layout.code` and returns where it starts: its number of words
   * (32 columns each), of slots, where its columns' alternatives start, and the bitset of all its
   * columns; then each slot (SLOT ints: field, flags, id, its bounds' range in `layout.rows` or
   * its range index, its length, the classes its row holds, where its predicates and its
   * intervals start; then its bitsets, each of the columns it lets live (see evaluate): when
   * nothing passes, its row (a bitset per value class, made on the class's first value), with
   * `exists: true`, with `exists: false`, per elementary interval of its bounds, and each
   * predicate's after the predicate's shared id); then each column's first alternative's
   * position, from `start`.
   */
  layOut(layout: BlockLayout, start: number): number {
    const {code} = layout;
    const n = this.alternatives.length;
    const words = (n + 31) >> 5;
    const bitset = (columns: number[]): number[] => {
      const out = new Array<number>(words).fill(0);
      for (const c of columns) out[c >> 5] |= 1 << (c & 31);
      return out;
    };
    const at = code.length;
    code.push(words, this.slots.length, 0, ...bitset(Array.from({length: n}, (_, c) => c)));
    for (const {field, machine: m, columns} of this.slots) {
      m.seal();
      const s = code.length;
      const id = layout.machines.push(m) - 1;
      let flags = (m.classed() ? CLASSED : 0) | (m.existsTargets ? PRESENT : 0) | (m.absentTargets ? ABSENT : 0) | (m.predicateList.length > 0 ? PREDICATES : 0);
      let from = layout.rows.length;
      let to = from;
      const ranges = m.ranges;
      if (ranges !== null && ranges.slots * words <= INTERVAL_BUDGET) {
        flags |= INTERVALS;
        layout.rows.push(...ranges.points);
        to = layout.rows.length;
      } else if (ranges !== null) {
        flags |= RANGE_INDEX;
        from = layout.ranges.push(ranges) - 1;
      }
      // The slot's bitsets let live the columns with no leaf in it, and those passed.
      const none = bitset(columns).map((x) => ~x);
      const keep = (passed: number[]) => bitset(passed).map((x, w) => x | none[w]);
      code.push(field, flags, id, from, to, 0, 0, 0, 0, ...none);
      if ((flags & CLASSED) !== 0) code.push(...new Array<number>(ROW * words).fill(0));
      if (m.existsTargets) code.push(...keep(m.existsTargets));
      if (m.absentTargets) code.push(...keep(m.absentTargets));
      code[s + 8] = code.length - s;
      if ((flags & INTERVALS) !== 0) {
        const intervals = Array.from({length: ranges!.slots}, () => [...none]);
        for (const x of m.rangeList) {
          const [first, last] = ranges!.span(x);
          for (let e = first; e <= last; e++) intervals[e][x.target >> 5] |= 1 << (x.target & 31);
        }
        code.push(...intervals.flat());
      }
      code[s + 7] = code.length - s;
      for (const p of m.predicateList) code.push(p.id, ...keep(p.targets));
      code[s + 5] = code.length - s;
    }
    code[at + 2] = code.length;
    let position = start;
    for (const list of this.alternatives) {
      code.push(position);
      position += list.length;
    }
    code.push(position);
    return at;
  }
}

/** Ints before a block's bitset of columns, and before a slot's bitsets. */
const BLOCK = 3;
const SLOT = 9;
/** A slot's bitsets for its field's first ROW value classes are kept in its record, near its other lines, the others in `extra`. */
const ROW = 16;
/** A slot's flags: what its leaves have besides their columns. */
const CLASSED = 1;
const INTERVALS = 2;
const RANGE_INDEX = 4;
const PREDICATES = 8;
const PRESENT = 16;
const ABSENT = 32;
/** A slot's outcome is in `passed` (see take). */
const MERGED = -1;

// ---------------------------------------------------------------------------------------------
// One field's transitions out of one state (Ruler's ByteMachine).

class ValueMachine {
  strings: Map<number, number[]> | null = null; // by the string's number in the field's dictionary
  numbers: Map<number, number[]> | null = null; // ComparableNumber keys of numbers within ±5e9
  bigNumbers: Map<number, number[]> | null = null; // numbers outside it, matched literally
  nulls: number[] | null = null;
  trues: number[] | null = null;
  falses: number[] | null = null;
  folded: Map<number, number[]> | null = null; // equals-ignore-case, by dictionary number
  prefixes: Map<number, number[]> | null = null; // by dictionary number
  suffixes: Map<number, number[]> | null = null;
  ranges: RangeIndex | null = null;
  rangeList: Array<{lo: number; loIn: boolean; hi: number; hiIn: boolean; target: number}> = [];
  anythingBut = new AnythingBut();
  predicates = new Map<number, number[]>(); // shared predicate id → targets
  predicateList: Array<{id: number; targets: number[]}> = [];
  existsTargets: number[] | null = null;
  absentTargets: number[] | null = null;
  field: number;
  shared: Predicates;
  /** A machine of one edge of one condition (where rules stop sharing states): that condition, its target, its shared predicate. */
  edges = 0;
  only: Condition | null = null;
  onlyTarget = -1;
  dictionary: Dictionary;

  constructor(field: number, shared: Predicates, dictionary: Dictionary) {
    this.field = field;
    this.shared = shared;
    this.dictionary = dictionary;
  }

  add(conditions: Condition[], target: number): void {
    const [c] = conditions;
    this.only = ++this.edges === 1 && conditions.length === 1 ? c : null;
    this.onlyTarget = target;
    for (const c of conditions) {
      switch (c.op) {
        case "exact": {
          const v = c.value;
          if (typeof v === "string") file((this.strings ??= new Map()), this.dictionary.exact(v), target);
          else if (typeof v === "number") {
            if (inNumericRange(v)) file((this.numbers ??= new Map()), this.dictionary.point(comparableNumber(v)), target);
            else file((this.bigNumbers ??= new Map()), this.dictionary.big(v), target);
          } else if (v === null) (this.nulls ??= []).push(target);
          else if (v) (this.trues ??= []).push(target);
          else (this.falses ??= []).push(target);
          break;
        }
        case "exists":
          if (c.value) (this.existsTargets ??= []).push(target);
          else (this.absentTargets ??= []).push(target);
          break;
        case "prefix":
        case "suffix":
          if (c.ignoreCase) this.predicate(c, target);
          else if (c.op === "prefix") file((this.prefixes ??= new Map()), this.dictionary.prefix(c.value), target);
          else file((this.suffixes ??= new Map()), this.dictionary.suffix(c.value), target);
          break;
        case "equals-ignore-case":
          file((this.folded ??= new Map()), this.dictionary.folded(foldCase(c.value)), target);
          break;
        case "numeric":
          this.rangeList.push({
            lo: c.lower ? comparableNumber(c.lower.value) : -Infinity,
            loIn: c.lower?.inclusive ?? true,
            hi: c.upper ? comparableNumber(c.upper.value) : Infinity,
            hiIn: c.upper?.inclusive ?? true,
            target
          });
          break;
        case "anything-but":
          if (c.kind === "values") this.anythingBut.add(c.values, target, this.dictionary);
          else this.predicate(c, target);
          break;
        default:
          this.predicate(c, target);
      }
    }
  }

  /** Each distinct condition is tested once per value, whatever the number of rules naming it. */
  predicate(c: Exclude<Condition, {op: "exact" | "exists"}>, target: number): void {
    file(this.predicates, this.shared.id(this.field, c), target);
  }

  seal(): void {
    if (this.rangeList.length > 0) this.ranges = new RangeIndex(this.rangeList);
    this.predicateList = [...this.predicates].map(([id, targets]) => ({id, targets}));
  }

  /** Whether some of its targets depend on the value's class (see Dictionary.classOf). */
  classed(): boolean {
    const {strings, numbers, bigNumbers, nulls, trues, falses, folded, prefixes, suffixes} = this;
    return [strings, numbers, bigNumbers, nulls, trues, falses, folded, prefixes, suffixes].some((x) => x !== null) || this.anythingBut.size > 0;
  }


  feed(seen: Seen, emit: Emit): void {
    const v = seen.v;
    if (typeof v === "string") {
      if (this.strings !== null) emitAll(this.strings.get(seen.exact), emit);
      if (this.folded !== null) emitAll(this.folded.get(seen.folded), emit);
      if (this.prefixes !== null) for (const id of seen.prefixes) emitAll(this.prefixes.get(id), emit);
      if (this.suffixes !== null) for (const id of seen.suffixes) emitAll(this.suffixes.get(id), emit);
      if (this.anythingBut.size > 0) this.anythingBut.feed(this.anythingBut.strings.get(seen.exact), emit);
    } else if (typeof v === "number") {
      const n = seen.n;
      if (!seen.big) {
        if (this.numbers !== null) emitAll(this.numbers.get(n), emit);
      } else if (this.bigNumbers !== null) emitAll(this.bigNumbers.get(n), emit);
      if (this.anythingBut.size > 0) this.anythingBut.feed((seen.big ? this.anythingBut.bigNumbers : this.anythingBut.numbers).get(n), emit);
    } else {
      emitAll(v === null ? this.nulls : v ? this.trues : this.falses, emit);
      if (this.anythingBut.size > 0) this.anythingBut.feed(undefined, emit);
    }
  }
}

/**
 * `anything-but` lists: a transition every value takes except the ones its rule excludes. A
 * value looks up the entries that exclude it, and every other entry's transition is taken.
 */
class AnythingBut {
  targets: number[] = [];
  strings = new Map<number, number[]>(); // a string's dictionary number → the entries excluding it
  numbers = new Map<number, number[]>(); // ComparableNumber keys of numbers within ±5e9
  bigNumbers = new Map<number, number[]>(); // numbers outside it, excluded literally
  skip = new Uint32Array(0);
  epoch = 0;

  get size(): number {
    return this.targets.length;
  }

  add(values: Array<string | number>, target: number, dictionary: Dictionary): void {
    const entry = this.targets.push(target) - 1;
    for (const x of new Set(values)) {
      if (typeof x === "string") file(this.strings, dictionary.exact(x), entry);
      else if (inNumericRange(x)) file(this.numbers, dictionary.point(comparableNumber(x)), entry);
      else file(this.bigNumbers, dictionary.big(x), entry);
    }
    this.skip = new Uint32Array(this.targets.length);
  }

  feed(excluded: number[] | undefined, emit: Emit): void {
    const targets = this.targets;
    if (excluded === undefined) return emitAll(targets, emit);
    const stamp = ++this.epoch;
    for (let i = 0; i < excluded.length; i++) this.skip[excluded[i]] = stamp;
    for (let i = 0; i < targets.length; i++) if (this.skip[i] !== stamp) emit(targets[i]);
  }
}

function file<K>(map: Map<K, number[]>, key: K, target: number): void {
  const list = map.get(key);
  if (list) list.push(target);
  else map.set(key, [target]);
}

function emitAll(targets: number[] | null | undefined, emit: Emit): void {
  if (targets) for (let i = 0; i < targets.length; i++) emit(targets[i]);
}

/** One value of the event at one field, with its numbers in the field's dictionary, found once per event. */
interface Seen {
  v: Scalar;
  /** A number's ComparableNumber within ±5e9, else (big) the number itself. */
  n: number;
  big: boolean;
  /** The string's number among the field's exact strings, and its folded form's (-1: none). */
  exact: number;
  folded: number;
  /** The numbers of the prefixes and suffixes some rule names that the string has. */
  prefixes: number[];
  suffixes: number[];
}

const NONE: number[] = [];

/** A slot's ranges are bitsets by elementary interval in its record up to this many ints, else queried in its RangeIndex. */
const INTERVAL_BUDGET = 4096;

/**
 * The strings the rules name at one field, numbered: each event value is hashed against them
 * once, and every machine on that field looks up small numbers instead. Prefixes (and
 * suffixes) are found by hash lookup of the value's own prefix of each length some rule names:
 * as many lookups as there are distinct lengths (few in practice), where Ruler walks a trie of
 * bytes (one lookup per character is slower in JS).
 */
class Dictionary {
  exacts = new Map<string, number>();
  foldeds = new Map<string, number>();
  prefixes = new Map<string, number>();
  suffixes = new Map<string, number>();
  prefixLengths: number[] = [];
  suffixLengths: number[] = [];
  /** The numbers rules name as exact or anything-but values: ComparableNumbers, and numbers outside ±5e9. */
  points = new Map<number, number>();
  bigs = new Map<number, number>();
  /** Class ids by key (see classOf); a string's key is its dictionary numbers in one mixed-radix number. */
  classes = new Map<number, number>();
  radices: number[] = [];
  textClasses: Map<string, number> | null = null;
  /** With exact strings alone on the field (the usual case), a string's class by its exact number plus one. */
  plain: Int32Array | null = null;

  exact(text: string): number {
    return numbered(this.exacts, text);
  }

  folded(text: string): number {
    return numbered(this.foldeds, text);
  }

  prefix(text: string): number {
    if (!this.prefixLengths.includes(text.length)) this.prefixLengths.push(text.length);
    return numbered(this.prefixes, text);
  }

  suffix(text: string): number {
    if (!this.suffixLengths.includes(text.length)) this.suffixLengths.push(text.length);
    return numbered(this.suffixes, text);
  }

  point(n: number): number {
    numbered(this.points, n);
    return n;
  }

  big(n: number): number {
    numbered(this.bigs, n);
    return n;
  }

  seal(): void {
    this.prefixLengths.sort((a, b) => a - b);
    this.suffixLengths.sort((a, b) => a - b);
    this.radices = [this.exacts.size, this.foldeds.size, this.prefixes.size, this.suffixes.size].map((n) => n + 1);
    // A key must stay an exact double: past 2^50 (thousands of each kind of string on one field)
    // a string's numbers are keyed as text instead.
    if (this.radices.reduce((a, b) => a * b, 1) > 2 ** 50) this.textClasses = new Map();
    if (this.foldeds.size + this.prefixes.size + this.suffixes.size === 0) this.plain = Int32Array.from({length: this.exacts.size + 1}, (_, i) => this.intern(2 * i + 4));
  }

  /**
   * The value's class: values of one class take the same transitions out of every state on this
   * field (bar numeric ranges, the rarer operators' predicates and `exists`), so a transition's
   * targets are found once per class and looked up from then on. A string's class is its exact
   * string's number, its folded form's, and its longest prefix's and suffix's among those rules
   * name (a longest prefix fixes the set: every shorter prefix of the value is a prefix of it); a
   * number's is the exact or anything-but value it equals, if any (range bounds would cut the
   * numbers into thousands of classes, so ranges are compared outside the cache); null, true and
   * false are a class each. Classes are numbered in order of first sight, so there are at most as
   * many as the rules' strings and numbers can tell apart, whatever the events.
   */
  classOf(v: Scalar): number {
    let key: number;
    if (typeof v === "string") {
      if (this.plain !== null) return this.plain[(this.exacts.get(v) ?? -1) + 1];
      const [, rf, rp, rs] = this.radices;
      const e = this.exacts.size > 0 ? (this.exacts.get(v) ?? -1) : -1;
      const f = rf > 1 ? (this.foldeds.get(foldCase(v)) ?? -1) : -1;
      const p = rp > 1 ? longest(this.prefixes, this.prefixLengths, v, false) : -1;
      const s = rs > 1 ? longest(this.suffixes, this.suffixLengths, v, true) : -1;
      key = this.textClasses !== null ? numbered(this.textClasses, `${e},${f},${p},${s}`) : ((e + 1) * rf + f + 1) * rp * rs + (p + 1) * rs + s + 1;
      key = 2 * key + 4; // even keys from 4
    } else if (typeof v === "number") {
      if (inNumericRange(v)) key = 2 * (this.points.size > 0 ? (this.points.get(comparableNumber(v)) ?? -1) : -1) + 7; // odd keys from 5
      else key = -2 - (this.bigs.get(v) ?? -1); // keys from -1 down
    } else key = v === null ? 0 : v ? 1 : 2;
    return this.intern(key);
  }

  intern(key: number): number {
    let id = this.classes.get(key);
    if (id === undefined) this.classes.set(key, (id = this.classes.size));
    return id;
  }

  /** Fills `out` with what the machines on this field look up for the value `v`. */
  describe(v: Scalar, out: Seen): void {
    out.v = v;
    out.n = NaN;
    out.big = false;
    out.exact = -1;
    out.folded = -1;
    out.prefixes = NONE;
    out.suffixes = NONE;
    if (typeof v === "string") {
      if (this.exacts.size > 0) out.exact = this.exacts.get(v) ?? -1;
      if (this.foldeds.size > 0) out.folded = this.foldeds.get(foldCase(v)) ?? -1;
      if (this.prefixes.size > 0) out.prefixes = affixes(this.prefixes, this.prefixLengths, v, false);
      if (this.suffixes.size > 0) out.suffixes = affixes(this.suffixes, this.suffixLengths, v, true);
    } else if (typeof v === "number") {
      out.big = !inNumericRange(v);
      out.n = out.big ? v : comparableNumber(v);
    }
  }
}

function newSeen(): Seen {
  return {v: null, n: NaN, big: false, exact: -1, folded: -1, prefixes: NONE, suffixes: NONE};
}

function numbered<K>(map: Map<K, number>, text: K): number {
  let id = map.get(text);
  if (id === undefined) map.set(text, (id = map.size));
  return id;
}

/** The number of the longest prefix (or suffix) in `byText` that `text` has, or -1. */
function longest(byText: Map<string, number>, lengths: number[], text: string, suffix: boolean): number {
  for (let i = lengths.length - 1; i >= 0; i--) {
    const n = lengths[i];
    if (n > text.length) continue;
    const id = byText.get(suffix ? text.slice(text.length - n) : text.slice(0, n));
    if (id !== undefined) return id;
  }
  return -1;
}

/** The numbers of the prefixes (or suffixes) in `byText` that `text` has, shortest first. */
function affixes(byText: Map<string, number>, lengths: number[], text: string, suffix: boolean): number[] {
  let out = NONE;
  for (let i = 0; i < lengths.length && lengths[i] <= text.length; i++) {
    const n = lengths[i];
    const id = byText.get(suffix ? text.slice(text.length - n) : text.slice(0, n));
    if (id !== undefined) (out === NONE ? (out = []) : out).push(id);
  }
  return out;
}

/**
 * Numeric ranges by sorted bounds: the distinct bounds cut the line into elementary slots (each
 * bound, and each open gap between bounds); a segment tree over the slots files each range under
 * O(log n) nodes, and a number's slot (found by binary search) collects the ranges on its path.
 */
class RangeIndex {
  points: number[];
  lists: Array<number[] | undefined> = [];
  slots: number;

  constructor(ranges: Array<{lo: number; loIn: boolean; hi: number; hiIn: boolean; target: number}>) {
    const bounds = new Set<number>();
    for (const r of ranges) {
      if (r.lo !== -Infinity) bounds.add(r.lo);
      if (r.hi !== Infinity) bounds.add(r.hi);
    }
    this.points = [...bounds].sort((a, b) => a - b);
    const m = this.points.length;
    this.slots = 2 * m + 1;
    for (const r of ranges) {
      const [first, last] = this.span(r);
      if (first <= last) this.insert(1, 0, this.slots - 1, first, last, r.target);
    }
  }

  /** The first and last elementary slots a range covers (first > last: none). */
  span(r: {lo: number; loIn: boolean; hi: number; hiIn: boolean}): [number, number] {
    const m = this.points.length;
    return [r.lo === -Infinity ? 0 : 2 * this.index(r.lo) + (r.loIn ? 1 : 2), r.hi === Infinity ? 2 * m : 2 * this.index(r.hi) + (r.hiIn ? 1 : 0)];
  }

  /** The number of bounds below x. */
  index(x: number): number {
    let lo = 0;
    let hi = this.points.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.points[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(node: number, lo: number, hi: number, first: number, last: number, target: number): void {
    if (first <= lo && hi <= last) return void (this.lists[node] ??= []).push(target);
    const mid = (lo + hi) >> 1;
    if (first <= mid) this.insert(2 * node, lo, mid, first, last, target);
    if (last > mid) this.insert(2 * node + 1, mid + 1, hi, first, last, target);
  }

  query(n: number, emit: Emit): void {
    const i = this.index(n);
    const slot = i < this.points.length && this.points[i] === n ? 2 * i + 1 : 2 * i;
    let node = 1;
    let lo = 0;
    let hi = this.slots - 1;
    for (;;) {
      emitAll(this.lists[node], emit);
      if (lo === hi) return;
      const mid = (lo + hi) >> 1;
      if (slot <= mid) (node = 2 * node), (hi = mid);
      else (node = 2 * node + 1), (lo = mid + 1);
    }
  }
}
