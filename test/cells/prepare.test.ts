import {describe, expect, it} from "vitest";
import {EXPERIMENT_FILE, ExperimentSyntaxError, locate, prepare, stackLocation} from "../../src/components/cells/prepare.js";

const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<unknown>;
const run = (code: string, names: string[] = [], values: unknown[] = []) => new AsyncFunction(...names, `${prepare(code)}\n//# sourceURL=${EXPERIMENT_FILE}`)(...values);

function syntaxError(code: string): ExperimentSyntaxError {
  try {
    prepare(code);
  } catch (error) {
    if (error instanceof ExperimentSyntaxError) return error;
    throw error;
  }
  throw new Error("expected a syntax error");
}

describe("prepare", () => {
  it("strips types and keeps every line where it was", () => {
    const code = "interface Order {\n  id: string;\n}\nconst order: Order = {id: 'a'};\nenum Kind {A, B}\norder.id";
    const body = prepare(code);
    expect(body.split("\n")).toHaveLength(code.split("\n").length);
    expect(body.split("\n")[3]).toContain("const order");
  });

  it("returns the last expression, like a notebook cell", async () => {
    expect(await run("const a = 1\nconst b = 2\na + b")).toBe(3);
    expect(await run("({a: 1})")).toEqual({a: 1});
    expect(await run("await Promise.resolve(7)")).toBe(7);
    expect(await run("const x = 1;")).toBeUndefined();
    expect(await run("if (true) { return 'early' }\n'late'")).toBe("early");
  });

  it("blanks imports: their names are already in scope", async () => {
    const code = 'import {Kafka} from "kafkajs";\nimport type {Admin} from "kafkajs";\nnew Kafka().name';
    expect(await run(code, ["Kafka"], [class {name = "sim-kafka";}])).toBe("sim-kafka");
    expect(prepare(code).split("\n")).toHaveLength(3);
  });

  it("refuses export with its line", () => {
    expect(syntaxError("const a = 1\nexport {a}").location.line).toBe(2);
  });

  it("reports TypeScript and JavaScript syntax errors at the editor's line and column", () => {
    const error = syntaxError("const a: number = 1;\nconst b = ;\n");
    expect(error.location).toEqual({line: 2, column: 11});
    expect(error.message).toBe("Unexpected token");
    expect(syntaxError("let x: = 1").location.line).toBe(1);
    expect(syntaxError("const a = 1\n\n\nfunction (").location.line).toBe(4);
  });
});

describe("locate", () => {
  it("gives 1-based line and column", () => {
    expect(locate("ab\ncd", 0)).toEqual({line: 1, column: 1});
    expect(locate("ab\ncd", 4)).toEqual({line: 2, column: 2});
    expect(locate("ab", 99)).toEqual({line: 1, column: 3});
  });
});

describe("stackLocation", () => {
  it("reads V8 and Firefox frames, minus the wrapper's header lines", () => {
    const v8 = `TypeError: x is not a function\n    at eval (${EXPERIMENT_FILE}:6:9)\n    at async worker.js:1:2`;
    expect(stackLocation(v8, 2)).toEqual({line: 4, column: 9});
    const firefox = `f@${EXPERIMENT_FILE}:5:3\n@blob:http://127.0.0.1/x:1:1`;
    expect(stackLocation(firefox, 2)).toEqual({line: 3, column: 3});
    expect(stackLocation("Error\n    at worker.js:1:1", 2)).toBeNull();
    expect(stackLocation(undefined, 2)).toBeNull();
  });

  it("maps a runtime error thrown by prepared code to the editor's line", async () => {
    // The wrapper's header, measured as the worker measures it.
    const header = await run("throw new Error()").catch((e: Error) => stackLocation(e.stack, 0)!.line - 1);
    const code = "type T = {a: number};\nconst t: T | null = null;\n\nconst v = (t as any).a;";
    const error = await run(code).catch((e: Error) => e);
    expect(stackLocation((error as Error).stack, header as number)?.line).toBe(4);
  });
});
