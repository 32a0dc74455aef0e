// The import graph of src/components: no cycles, and the layers of the README (issue 13): the kernel
// imports only itself; a broker model imports only the kernel and its own folder; a lab is imported
// only from inside itself; ui/ and claims/ know no lab and no broker model. Every relative import
// counts, `import type` included (ts.preProcessFile sees them all).
import {existsSync, readdirSync, readFileSync} from "node:fs";
import {dirname, join, relative, resolve} from "node:path";
import ts from "typescript";
import {describe, expect, it} from "vitest";

const ROOT = resolve(import.meta.dirname, "../../src/components");
const BROKER_MODELS = ["kafka", "rabbitmq", "eventbridge", "schema"];

/** Every .ts file under `dir`, as paths relative to src/components ("kafka/cluster.ts"). */
function sources(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") ? [relative(ROOT, path)] : [];
  });
}

/** A relative specifier to the file it names ("./log.js" is log.ts on disk), relative to src/components. */
function resolveImport(from: string, specifier: string): string {
  const base = resolve(ROOT, dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, ".ts"), base, `${base}.ts`, join(base, "index.ts")];
  return relative(ROOT, candidates.find((c) => existsSync(c)) ?? base);
}

const files = sources(ROOT).sort();
const imports = new Map<string, string[]>(
  files.map((file) => {
    const {importedFiles} = ts.preProcessFile(readFileSync(join(ROOT, file), "utf8"), true, true);
    const targets = importedFiles.map((f) => f.fileName).filter((s) => s.startsWith(".")).map((s) => resolveImport(file, s));
    return [file, [...new Set(targets)]];
  })
);

/** Every cycle the depth-first search meets, each as "a.ts -> b.ts -> a.ts". */
function cycles(): string[] {
  const found: string[] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    stack.push(file);
    for (const next of imports.get(file) ?? []) {
      if (state.get(next) === "open") found.push([...stack.slice(stack.indexOf(next)), next].join(" -> "));
      else if (!state.has(next) && imports.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return found;
}

/** Top folder under src/components ("kafka"), or ".." for anything outside it. */
const area = (file: string) => (file.startsWith("..") ? ".." : file.split("/")[0]);
/** "labs/<lab>" for a lab's files, else null. */
const lab = (file: string) => (area(file) === "labs" ? file.split("/").slice(0, 2).join("/") : null);

/** "from -> to" for every import that `allowed(from, to)` refuses. */
function violations(applies: (from: string) => boolean, allowed: (from: string, to: string) => boolean): string[] {
  return files.filter(applies).flatMap((from) => (imports.get(from) ?? []).filter((to) => !allowed(from, to)).map((to) => `${from} -> ${to}`));
}

describe("imports under src/components", () => {
  it("sees the files and their imports, type-only ones included", () => {
    expect(files.length).toBeGreaterThan(50);
    expect(imports.get("kafka/cluster.ts")).toContain("sim/index.ts");
    expect(imports.get("kafka/producer.ts")).toContain("kafka/protocol.ts"); // an `import {type ...}` one
  });

  it("form no cycle", () => {
    expect(cycles()).toEqual([]);
  });

  it("keep the kernel (sim/) to itself", () => {
    expect(violations((f) => area(f) === "sim", (_, to) => area(to) === "sim")).toEqual([]);
  });

  it("keep each broker model to the kernel and its own folder (schema's vendor/ is inside it)", () => {
    expect(violations((f) => BROKER_MODELS.includes(area(f)), (from, to) => area(to) === "sim" || area(to) === area(from))).toEqual([]);
  });

  it("import a lab only from inside that lab", () => {
    expect(violations(() => true, (from, to) => lab(to) === null || lab(to) === lab(from))).toEqual([]);
  });

  it("let Kafka's clients reach the cluster only through protocol.ts (the broker side is not theirs to import)", () => {
    const brokerSide = ["cluster", "partition", "group", "transactions"].map((f) => `kafka/${f}.ts`);
    expect(violations((f) => ["kafka/producer.ts", "kafka/consumer.ts"].includes(f), (_, to) => !brokerSide.includes(to))).toEqual([]);
  });

  it("keep ui/ and claims/ free of labs and broker models", () => {
    expect(violations((f) => ["ui", "claims"].includes(area(f)), (_, to) => area(to) !== "labs" && !BROKER_MODELS.includes(area(to)))).toEqual([]);
  });
});
