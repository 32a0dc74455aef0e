import {cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {loadData, loadScenario} from "../../scripts/data.js";
import {newPage} from "../../scripts/new-page.js";

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
    expect(page).toMatch(/^title: My lab$/m);
    expect(page).toContain('FileAttachment("data/scenarios/my-lab.json")');
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
