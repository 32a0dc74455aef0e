// `npm run new-page -- <slug> --from <page> [--name "Sidebar title"]`: copies src/<page>.md and
// its scenario (data/scenarios/<page>.json, if it has one) to a new page, and lists the page in
// data/pages.json right after the one it was copied from.
import {copyFileSync, existsSync, readFileSync, writeFileSync} from "node:fs";
import {parseArgs} from "node:util";
import {loadData, type PageSection} from "./data.js";

export function newPage(root: string, slug: string, from: string, name?: string): string[] {
  const valid = /^[a-z0-9][a-z0-9-]*$/;
  if (!valid.test(slug)) throw new Error(`the new page's slug must be lower-case words joined by "-", got "${slug}"`);
  const source = `${root}/src/${from}.md`;
  const target = `${root}/src/${slug}.md`;
  if (!existsSync(source)) throw new Error(`no page src/${from}.md to copy`);
  if (existsSync(target)) throw new Error(`src/${slug}.md exists already`);
  const sections = loadData<PageSection[]>("pages", "pages", root);
  const section = sections.find((s) => s.pages.some((p) => p.path === `/${from}`));
  if (!section) throw new Error(`/${from} is not listed in data/pages.json`);
  const title = name ?? slug.replace(/-/g, " ").replace(/^./, (c) => c.toUpperCase());
  const written = [`src/${slug}.md`];

  let page = readFileSync(source, "utf8").replace(/^title: .*$/m, `title: ${title}`).replace(/^# .*$/m, `# ${title}`);
  if (existsSync(`${root}/data/scenarios/${from}.json`)) {
    copyFileSync(`${root}/data/scenarios/${from}.json`, `${root}/data/scenarios/${slug}.json`);
    page = page.replaceAll(`data/scenarios/${from}.json`, `data/scenarios/${slug}.json`);
    written.push(`data/scenarios/${slug}.json`);
  }
  writeFileSync(target, page);
  const index = section.pages.findIndex((p) => p.path === `/${from}`);
  section.pages.splice(index + 1, 0, {name: title, path: `/${slug}`});
  writeFileSync(`${root}/data/pages.json`, `${JSON.stringify(sections, null, 2)}\n`);
  written.push("data/pages.json");
  return written;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const {values, positionals} = parseArgs({allowPositionals: true, options: {from: {type: "string"}, name: {type: "string"}}});
  if (positionals.length !== 1 || !values.from) {
    console.error('usage: npm run new-page -- <slug> --from <page> [--name "Sidebar title"]');
    process.exit(2);
  }
  try {
    for (const file of newPage(process.cwd(), positionals[0], values.from, values.name)) console.log(`wrote ${file}`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
