import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {expect, it} from "vitest";
import {minifyBuild} from "../../scripts/minify.js";

const module = `// a comment
export class LimitError extends RangeError {
  name = "LimitError";
}
export function longestName(values) {
  let longestSoFar = "";
  for (const value of values) if (value.length > longestSoFar.length) longestSoFar = value;
  return longestSoFar;
}
`;

function build(): string {
  const dist = mkdtempSync(join(tmpdir(), "workbook-dist-"));
  mkdirSync(join(dist, "_import/components/kafka"), {recursive: true});
  mkdirSync(join(dist, "_import/components/ui/vendor"), {recursive: true});
  writeFileSync(join(dist, "_import/components/kafka/names.0a1b2c3d.js"), module);
  writeFileSync(join(dist, "_import/components/ui/vendor/plot.0a1b2c3d.js"), module);
  return dist;
}

it("shrinks the build's own modules, which still export what they did", async () => {
  const dist = build();
  const {modules, before, after} = await minifyBuild(dist);
  expect(modules).toBe(1);
  expect(after).toBeLessThan(before);
  const file = join(dist, "_import/components/kafka/names.0a1b2c3d.js");
  expect(readFileSync(file, "utf8")).not.toContain("a comment");
  const names = await import(file);
  expect(names.longestName(["a", "abc", "ab"])).toBe("abc");
  expect(new names.LimitError("too many").name).toBe("LimitError");
});

it("leaves vendor bundles as they are", async () => {
  const dist = build();
  await minifyBuild(dist);
  expect(readFileSync(join(dist, "_import/components/ui/vendor/plot.0a1b2c3d.js"), "utf8")).toBe(module);
});

it("says what is wrong when there is no build to minify", async () => {
  const dist = mkdtempSync(join(tmpdir(), "workbook-dist-"));
  await expect(minifyBuild(dist)).rejects.toThrow(/_import has no modules: run `observable build` first/);
});
