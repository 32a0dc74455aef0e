import {cpSync, mkdtempSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {loadData, loadExercises, withDataFiles, type PageSection} from "../../scripts/data.js";
import {exerciseProblems, type Exercise} from "../../src/components/exercises/data.js";

const pages = loadData<PageSection[]>("pages").flatMap((s) => s.pages.map((p) => p.path));

function withFile(mutate: (exercise: Record<string, unknown>) => void, name = "work-queue-acks"): string {
  const root = mkdtempSync(join(tmpdir(), "workbook-exercise-"));
  cpSync("data", join(root, "data"), {recursive: true});
  const exercise = JSON.parse(readFileSync(`data/exercises/${name}.json`, "utf8"));
  mutate(exercise);
  writeFileSync(join(root, `data/exercises/${name}.json`), JSON.stringify(exercise));
  return root;
}

describe("data/exercises", () => {
  const all = loadExercises<Exercise>();

  it("holds an exercise for each section 11.1 to 11.5, each valid against its schema and its model, with at least 200 seeds", () => {
    expect(new Set(all.map((e) => e.exercise.section))).toEqual(new Set(["11.1", "11.2", "11.3", "11.4", "11.5"]));
    for (const {name, exercise} of all) {
      expect(exerciseProblems(exercise, name, pages)).toEqual([]);
      expect(exercise.seeds).toBeGreaterThanOrEqual(200);
    }
  });

  it("a file that breaks the schema fails with the file, the field and what was expected", () => {
    const root = withFile((e) => {
      e.seeds = 20;
      delete e.property;
    });
    expect(() => loadExercises(root)).toThrow(/data\/exercises\/work-queue-acks.json is invalid:\n  \(top level\): must have required property 'property'\n  \/seeds: must be >= 200/);
    writeFileSync(join(root, "data/exercises/work-queue-acks.json"), "{");
    expect(() => loadExercises(root)).toThrow(/data\/exercises\/work-queue-acks.json is not valid JSON/);
  });

  it("a file the model cannot run names the model's fault kinds and parameters", () => {
    const {exercise} = loadExercises<Exercise>(
      withFile((e) => {
        e.faultKinds = ["crash", "meteor"];
        e.parameters = {tickets: 5, speed: 3};
        e.page = "/nowhere";
      })
    ).find((e) => e.name === "work-queue-acks")!;
    expect(exerciseProblems(exercise, "work-queue-acks", pages)).toEqual([
      `/page: "/nowhere" is not a page of data/pages.json`,
      `/faultKinds: "meteor" is not a fault of acking-work-queue (it knows crash, work-fails, connection-lost)`,
      expect.stringMatching(/^\/parameters\/speed: not a parameter of acking-work-queue \(it has tickets, gapMs/)
    ]);
    expect(exerciseProblems({...exercise, model: "nope"}, "other", pages)).toEqual([expect.stringMatching(/\/id: must be the file's name, "other"/), expect.stringMatching(/\/page/), expect.stringMatching(/no exercise model "nope" \(known: acking-work-queue, idempotent-consumer/)]);
  });

  it("hands a model the texts of the data/ files a parameter names, and names a path that is wrong", () => {
    const file = "data/exercises/schema-v3-full-transitive.json";
    const {history} = withDataFiles({history: ["schemas/v1.avsc"], requiredFields: ["couponCode"]}, ["history"], file);
    expect(history).toEqual([readFileSync("data/schemas/v1.avsc", "utf8")]);
    expect(() => withDataFiles({history: ["schemas/v9.avsc"]}, ["history"], file)).toThrow(`${file} is invalid:\n  /parameters/history/0: data/schemas/v9.avsc does not exist`);
    expect(() => withDataFiles({history: ["../package.json"]}, ["history"], file)).toThrow(/\/parameters\/history\/0: must be a path under data\/ such as "schemas\/v1.avsc", got "..\/package.json"/);
    expect(() => withDataFiles({history: "schemas/v1.avsc"}, ["history"], file)).toThrow(/\/parameters\/history: must be a list of paths under data\//);
  });
});
