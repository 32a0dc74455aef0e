import {cpSync, mkdtempSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {loadData, loadExercises, type PageSection} from "../../scripts/data.js";
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

  it("holds the 11.3 and 11.4 exercises, each valid against its schema and its model, with at least 200 seeds", () => {
    expect(all.map((e) => e.exercise.section)).toEqual(expect.arrayContaining(["11.3", "11.4"]));
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
});
