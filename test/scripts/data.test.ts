import {cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import matter from "gray-matter";
import {loadData, loadScenario} from "../../scripts/data.js";
import {newPage} from "../../scripts/new-page.js";
import {knownScenarios, findScenario} from "../../scripts/experiment.js";

function copyProject(): string {
  const root = mkdtempSync(join(tmpdir(), "workbook-"));
  cpSync("data", join(root, "data"), {recursive: true});
  cpSync("src", join(root, "src"), {recursive: true, filter: (f) => !f.includes(".observablehq") && !f.includes("/components/")});
  return root;
}

describe("data files", () => {
  it.each(["pages", "event-types", "quiz"])("data/%s.json is valid against its schema", (name) => {
    if (!existsSync(`data/${name}.json`)) return;
    expect(() => loadData(name)).not.toThrow();
  });

  it.each(readdirSync("data/scenarios").map((f) => f.replace(/\.json$/, "")))("data/scenarios/%s.json is valid", (name) => {
    expect(() => loadScenario(name)).not.toThrow();
  });

  it("a bad file fails with the file, the field and what was expected", () => {
    const root = copyProject();
    const messages = JSON.parse(readFileSync(join(root, "data/event-types.json"), "utf8"));
    messages[3].kind = "event";
    delete messages[4].explanation;
    writeFileSync(join(root, "data/event-types.json"), JSON.stringify(messages));
    expect(() => loadData("event-types", "event-types", root)).toThrow(
      /data\/event-types.json is invalid:\n.*\/3\/kind: one of "domain event", "integration event", "command"[\s\S]*\/4: must have required property 'explanation'/
    );
    writeFileSync(join(root, "data/event-types.json"), "[{");
    expect(() => loadData("event-types", "event-types", root)).toThrow(/data\/event-types.json is not valid JSON/);
  });

  it("a scenario with a wrong parameter names it", () => {
    const root = copyProject();
    const scenario = JSON.parse(readFileSync(join(root, "data/scenarios/work-queue-crash.json"), "utf8"));
    scenario.parameters.messages = "many";
    writeFileSync(join(root, "data/scenarios/bad.json"), JSON.stringify(scenario));
    expect(() => loadData("scenarios/bad", "scenario", root)).toThrow(/\/parameters\/messages: must be integer/);
  });
});

describe("a scenario given by its path", () => {
  it("is checked against the same schema as the ones in data/scenarios", () => {
    const root = copyProject();
    const path = join(root, "mine.json");
    const scenario = JSON.parse(readFileSync("data/scenarios/work-queue-crash.json", "utf8"));
    writeFileSync(path, JSON.stringify(scenario));
    expect(loadScenario(path)).toEqual(scenario);
    scenario.parameters.messages = -3;
    writeFileSync(path, JSON.stringify(scenario));
    expect(() => loadScenario(path)).toThrow(/mine.json is invalid:\n.*\/parameters\/messages: must be >= 1/);
  });
});

describe("npm run new-page", () => {
  it("copies a page and its scenario and lists it after its source", () => {
    const root = copyProject();
    const written = newPage(root, "my-lab", "event-driven-vs-request-driven", "My lab");
    expect(written).toEqual(["src/my-lab.md", "data/scenarios/my-lab.json", "data/pages.json"]);
    const page = readFileSync(join(root, "src/my-lab.md"), "utf8");
    expect(page).toMatch(/^title: "My lab"$/m);
    expect(page).toContain('FileAttachment("data/scenarios/my-lab.json")');
    // The lab file is the source's, under the new page's path, and still valid.
    const lab = loadScenario<{page: string; experiments: unknown}>(join(root, "data/scenarios/my-lab.json"));
    expect(lab.page).toBe("/my-lab");
    expect(lab.experiments).toEqual(JSON.parse(readFileSync("data/scenarios/event-driven-vs-request-driven.json", "utf8")).experiments);
    const sections = loadData<{pages: {path: string}[]}[]>("pages", "pages", root);
    const paths = sections[0].pages.map((p) => p.path);
    expect(paths.indexOf("/my-lab")).toBe(paths.indexOf("/event-driven-vs-request-driven") + 1);
  });

  it("refuses a bad slug, a missing source and an existing page", () => {
    const root = copyProject();
    expect(() => newPage(root, "My Lab", "event-types")).toThrow(/lower-case words/);
    expect(() => newPage(root, "x", "nope")).toThrow(/no page src\/nope.md/);
    expect(() => newPage(root, "event-types", "brokers")).toThrow(/exists already/);
  });
});

describe("npm run new-page names (issue 16 defect 9)", () => {
  it.each(["Kafka: the log", "$& and $1 and $$", 'A "quoted" # not a comment', "'single' and {braces} [and] & *stars*", "a, b: c - d"])("writes %j as it is, in valid front matter", (name) => {
    const root = copyProject();
    newPage(root, "hostile", "event-types", name);
    const page = readFileSync(join(root, "src/hostile.md"), "utf8");
    expect(matter(page).data).toEqual({title: name});
    expect(page).toContain(`\n# ${name}\n`);
    const sections = loadData<{pages: {name: string; path: string}[]}[]>("pages", "pages", root);
    expect(sections.flatMap((s) => s.pages).find((p) => p.path === "/hostile")?.name).toBe(name);
  });

  it.each([
    ["", /empty/],
    ["   ", /empty/],
    ["Title\nsidebar: false", /one line/],
    ["Title\r", /one line/],
    ["Tab\there", /control character/],
    ["x".repeat(81), /81 characters long; at most 80/],
    ["--- a", /cannot start with "---"/]
  ])("refuses the name %j and writes nothing", (name, message) => {
    const root = copyProject();
    const before = readFileSync(join(root, "data/pages.json"), "utf8");
    expect(() => newPage(root, "refused", "event-driven-vs-request-driven", name)).toThrow(message);
    expect(existsSync(join(root, "src/refused.md"))).toBe(false);
    expect(existsSync(join(root, "data/scenarios/refused.json"))).toBe(false);
    expect(readFileSync(join(root, "data/pages.json"), "utf8")).toBe(before);
  });
});

describe("scenario files (issue 16 defects 10 and 11)", () => {
  it.each(["consumer-crash-before-commit", "work-queue-crash"])("%s refuses an unknown parameter", (name) => {
    const root = copyProject();
    const scenario = JSON.parse(readFileSync(join(root, `data/scenarios/${name}.json`), "utf8"));
    scenario.parameters.typoField = true;
    writeFileSync(join(root, "data/scenarios/bad.json"), JSON.stringify(scenario));
    expect(() => loadData("scenarios/bad", "scenario", root)).toThrow(/\/parameters: must NOT have additional properties/);
  });

  it("npm run experiment with an unknown name lists the scenarios it knows", () => {
    expect(knownScenarios()).toEqual(["consumer-crash-before-commit", "work-queue-crash"]);
    expect(() => findScenario("work-queue-crsh")).toThrow('no scenario "work-queue-crsh" in data/scenarios/; npm run experiment knows: consumer-crash-before-commit, work-queue-crash');
    expect(() => findScenario("missing/file.json")).toThrow("no scenario file missing/file.json");
    expect(findScenario("work-queue-crash")).toMatchObject({kind: "rabbitmq"});
  });
});
