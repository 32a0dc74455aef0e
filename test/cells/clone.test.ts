import {describe, expect, it} from "vitest";
import {inspect, toCloneable} from "../../src/components/cells/clone.js";
import {formatError, formatStatus, idleResult, isRecordArray} from "../../src/components/cells/outcome.js";
import {mergeScope, scope, ScopeConflictError} from "../../src/components/cells/scope.js";
import {scopeDocs} from "../../src/components/cells/scope-docs.js";

describe("toCloneable", () => {
  it("gives data structuredClone accepts, keeping records as records", () => {
    class Partition {
      log = [1, 2];
      constructor(readonly id: number) {}
      append() {}
    }
    const cyclic: Record<string, unknown> = {name: "a"};
    cyclic.self = cyclic;
    const value = {
      partitions: [new Partition(0), new Partition(1)],
      offsets: new Map([["orders-0", 4]]),
      byNumber: new Map([[1, "x"]]),
      seen: new Set(["a"]),
      fn: function handler() {},
      bytes: new Uint8Array([0, 1]),
      big: 10n,
      cyclic,
      error: new RangeError("bad")
    };
    const plain = toCloneable(value);
    expect(() => structuredClone(plain)).not.toThrow();
    expect(plain).toEqual({
      partitions: [{log: [1, 2], id: 0}, {log: [1, 2], id: 1}],
      offsets: {"orders-0": 4},
      byNumber: [[1, "x"]],
      seen: ["a"],
      fn: "ƒ handler()",
      bytes: new Uint8Array([0, 1]),
      big: 10n,
      cyclic: {name: "a", self: "[Circular]"},
      error: {name: "RangeError", message: "bad"}
    });
  });

  it("keeps a repeated (not cyclic) object in both places", () => {
    const shared = {a: 1};
    expect(toCloneable([shared, shared])).toEqual([{a: 1}, {a: 1}]);
  });
});

describe("inspect", () => {
  it("prints console arguments as a console would", () => {
    expect(inspect("text")).toBe("text");
    expect(inspect(3)).toBe("3");
    expect(inspect(undefined)).toBe("undefined");
    expect(inspect(5n)).toBe("5n");
    expect(inspect({a: [1, {b: undefined}]})).toBe('{"a":[1,{"b":"undefined"}]}');
    expect(inspect(new Uint8Array([0, 255]))).toBe("<Uint8Array 00 ff>");
  });
});

describe("outcome", () => {
  it("names the line of an error", () => {
    expect(formatError({kind: "syntax", name: "SyntaxError", message: "Unexpected token", location: {line: 2, column: 11}})).toBe("SyntaxError on line 2, column 11: Unexpected token");
    expect(formatError({kind: "timeout", name: "TimeoutError", message: "stopped after 2 s", location: null})).toBe("TimeoutError: stopped after 2 s");
  });

  it("says when a shared page has run nothing", () => {
    const idle = idleResult;
    expect(formatStatus(idle, {shared: true})).toContain("nothing has run");
    expect(formatStatus({...idle, status: "timeout", durationMs: 2000})).toBe("Stopped after 2 s (the time limit).");
  });

  it("draws arrays of records as tables", () => {
    expect(isRecordArray([{a: 1}, {b: 2}])).toBe(true);
    expect(isRecordArray([])).toBe(false);
    expect(isRecordArray([1, 2])).toBe(false);
    expect(isRecordArray([[1], [2]])).toBe(false);
  });
});

describe("scope", () => {
  it("documents only names the worker really exposes", () => {
    const runNames = new Set(["sim", "params"]);
    for (const doc of scopeDocs) expect(runNames.has(doc.name) || doc.name in scope, doc.name).toBe(true);
  });

  it("refuses two modules exporting different values under one name", () => {
    expect(() => mergeScope({a: {Kafka: 1}, b: {Kafka: 2}})).toThrow(ScopeConflictError);
    expect(mergeScope({a: {x: 1}, b: {x: 1, y: 2}})).toEqual({x: 1, y: 2});
  });
});
