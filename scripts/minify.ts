// After `observable build`: minifies our own modules in the build (issue 15 §2, first load).
// Framework 1.13 serves each local import as esbuild transpiled it, with its whitespace and long
// names: 38% of a section page's own modules. The files keep their names (and so the hashes that
// other modules import them by); only their text shrinks. Local names may change: no code of ours
// reads a function's or a class's name (our errors set their own `name`). Already minified, and
// skipped: the bundles scripts/vendor.ts writes into vendor/ folders, and Framework's _observablehq/
// and _node/ folders.
import {existsSync, readdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {transform} from "esbuild";

/** Every .js file under `dir`, except those in a vendor/ folder. */
function ownModules(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "vendor" ? [] : ownModules(path);
    return entry.name.endsWith(".js") ? [path] : [];
  });
}

/** Minifies the build's own modules in place; returns how many and their characters before and after. */
export async function minifyBuild(dist: string): Promise<{modules: number; before: number; after: number}> {
  const files = existsSync(join(dist, "_import")) ? ownModules(join(dist, "_import")) : [];
  if (files.length === 0) throw new Error(`${dist}/_import has no modules: run \`observable build\` first`);
  let [before, after] = [0, 0];
  for (const file of files) {
    const source = readFileSync(file, "utf8");
    const {code} = await transform(source, {loader: "js", format: "esm", target: "es2022", minify: true, legalComments: "eof", sourcefile: file});
    writeFileSync(file, code);
    before += source.length;
    after += code.length;
  }
  return {modules: files.length, before, after};
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dist = process.env.WORKBOOK_DIST ?? "dist";
  const {modules, before, after} = await minifyBuild(dist);
  console.log(`minify: ${modules} modules in ${dist}/_import, ${Math.round(before / 1000)} KB → ${Math.round(after / 1000)} KB`);
}
