// `npm run new-page -- <slug> --from <page> [--name "Sidebar title"]`: copies src/<page>.md and
// its scenario (data/scenarios/<page>.json, if it has one; a lab file gets the new page's path)
// to a new page, and lists the page in data/pages.json right after the one it was copied from.
// Everything is checked before anything is written: the slug, the name (it goes into YAML front
// matter and the sidebar), the lab file and pages.json against their schemas.
import {existsSync, readFileSync, writeFileSync} from "node:fs";
import {parseArgs} from "node:util";
import {checkData, loadData, type PageSection} from "./data.js";

const MAX_NAME = 80;

/** Why `name` cannot title a page (null when it can): it goes into YAML front matter, a heading and the sidebar. */
export function nameProblem(name: string): string | null {
  if (name.trim() === "") return "the page's name is empty";
  if (/[\n\r\u2028\u2029]/.test(name)) return "the page's name must be one line";
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return "the page's name holds a control character";
  if (name.length > MAX_NAME) return `the page's name is ${name.length} characters long; at most ${MAX_NAME}`;
  if (/^\s*---/.test(name)) return 'the page\'s name cannot start with "---" (it would end the front matter)';
  return null;
}

/** A YAML scalar for any one-line text: a JSON string is a valid YAML double-quoted scalar. */
const yamlString = (text: string) => JSON.stringify(text);

export function newPage(root: string, slug: string, from: string, name?: string): string[] {
  const valid = /^[a-z0-9][a-z0-9-]*$/;
  if (!valid.test(slug) || slug.length > MAX_NAME) throw new Error(`the new page's slug must be lower-case words joined by "-" (at most ${MAX_NAME} characters), got ${JSON.stringify(slug)}`);
  if (!valid.test(from)) throw new Error(`--from must name a page by its slug, got ${JSON.stringify(from)}`);
  const source = `${root}/src/${from}.md`;
  const target = `${root}/src/${slug}.md`;
  if (!existsSync(source)) throw new Error(`no page src/${from}.md to copy`);
  if (existsSync(target)) throw new Error(`src/${slug}.md exists already`);
  if (existsSync(`${root}/data/scenarios/${slug}.json`)) throw new Error(`data/scenarios/${slug}.json exists already`);
  const title = name ?? slug.replace(/-/g, " ").replace(/^./, (c) => c.toUpperCase());
  const problem = nameProblem(title);
  if (problem) throw new Error(problem);
  const sections = loadData<PageSection[]>("pages", "pages", root);
  const section = sections.find((s) => s.pages.some((p) => p.path === `/${from}`));
  if (!section) throw new Error(`/${from} is not listed in data/pages.json`);

  // Function replacers: a title holding "$&" or "$1" is written as it is.
  let page = readFileSync(source, "utf8")
    .replace(/^title: .*$/m, () => `title: ${yamlString(title)}`)
    .replace(/^# .*$/m, () => `# ${title}`);
  const files: [string, string][] = [];
  const scenarioFile = `${root}/data/scenarios/${from}.json`;
  if (existsSync(scenarioFile)) {
    const scenario = JSON.parse(readFileSync(scenarioFile, "utf8")) as {kind?: string; page?: string};
    if (scenario.kind === "lab") {
      scenario.page = `/${slug}`;
      checkData(scenario, `data/scenarios/${slug}.json`, "lab", root);
    }
    files.push([`data/scenarios/${slug}.json`, `${JSON.stringify(scenario, null, 2)}\n`]);
    page = page.replaceAll(`data/scenarios/${from}.json`, `data/scenarios/${slug}.json`);
  }
  const index = section.pages.findIndex((p) => p.path === `/${from}`);
  section.pages.splice(index + 1, 0, {name: title, path: `/${slug}`});
  checkData(sections, "data/pages.json", "pages", root); // never write a sidebar that breaks every later build
  files.unshift([`src/${slug}.md`, page]);
  files.push(["data/pages.json", `${JSON.stringify(sections, null, 2)}\n`]);
  for (const [file, text] of files) writeFileSync(`${root}/${file}`, text);
  return files.map(([file]) => file);
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
