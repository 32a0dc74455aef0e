// The checker is read by labs, scripts and (later) pages: it imports nothing but the kernel.
import {readdirSync, readFileSync} from "node:fs";
import {resolve} from "node:path";
import ts from "typescript";
import {expect, it} from "vitest";

const dir = resolve(import.meta.dirname, "../../src/components/history");

it("components/history imports only itself and the kernel (sim/)", () => {
  const files = readdirSync(dir).filter((f) => f.endsWith(".ts"));
  expect(files.length).toBeGreaterThan(1);
  const imports = files.flatMap((f) => ts.preProcessFile(readFileSync(resolve(dir, f), "utf8"), true, true).importedFiles.map((i) => i.fileName));
  expect(imports).toContain("./history.js");
  expect(imports.filter((s) => !/^\.\/[\w-]+\.js$/.test(s) && !/^\.\.\/sim\//.test(s))).toEqual([]);
});
