// The schema lab's experiments as the claims run them: `example` stands for the files' versions,
// the readers' metrics count what a reader fills in and skips, the page's own texts win over the
// example, and bad parameters give a clear message.
import {describe, expect, it} from "vitest";
import {measure} from "../../../src/components/claims/claim.js";
import {experiments as loaded, runEvolution, schemaExperiments} from "../../../src/components/labs/schema/index.js";
import {readSchemaFiles, versionTexts} from "../../../src/components/labs/schema/files.js";

const files = await readSchemaFiles();
const experiments = loaded!;
const evolution = (set: object) => measure(experiments.evolution, experiments.evolution.run({seed: 1, example: "original", level: "BACKWARD", ...set}) as never);
const value = (fields: object) => JSON.stringify({orderId: "o-1", customerId: "c-7", items: 3, total: 42.5, currency: "EUR", deliveryType: "EXPRESS", ...fields});
const bytes = (set: object) => measure(experiments.bytes, experiments.bytes.run({seed: 1, example: "original", level: "BACKWARD", version: "v3", value: value({}), ...set}) as never);

describe("the schema lab", () => {
  it("in Node, its experiments run on the files of data/schemas/", () => {
    expect(Object.keys(experiments)).toEqual(["evolution", "deploy", "bytes"]);
    expect(files.versions.map((v) => v.name)).toEqual(["v1", "v2", "v3"]);
    expect(files.examples.length).toBeGreaterThanOrEqual(8);
  });

  it("an example stands for v1 and that change, with v3 empty; an unknown one is named", () => {
    const texts = versionTexts(files, "rename");
    expect(texts[0]).toBe(files.versions[0].text);
    expect(JSON.parse(texts[1]).fields.map((f: {name: string}) => f.name)).toContain("buyerId");
    expect(texts[2]).toBe("");
    expect(() => versionTexts(files, "renam")).toThrow(/no example "renam".*the examples are original, add-with-default/);
  });

  it("correction 1: the new reader fills the field from its default, the old reader skips it", () => {
    expect(evolution({})).toMatchObject({filledFromDefault: 1, skippedByOldReader: 1, v2Full: true, newReaderFails: false});
    expect(evolution({example: "add-without-default"})).toMatchObject({filledFromDefault: 0, skippedByOldReader: 1, newReaderFails: true, v2Backward: false, v2Forward: true});
  });

  it("corrections 3 and 4: FORWARD deletes only fields with a default; an alias makes a rename BACKWARD", () => {
    expect(evolution({example: "delete-without-default"})).toMatchObject({v2Backward: true, v2Forward: false});
    expect(evolution({example: "delete-with-default"})).toMatchObject({v2Full: true});
    expect(evolution({example: "rename"})).toMatchObject({v2Backward: false, v2Forward: false});
    expect(evolution({example: "rename-with-alias"})).toMatchObject({v2Backward: true, v2Forward: false});
  });

  it("the registry at the chosen level counts what it registered and refused", () => {
    expect(evolution({})).toMatchObject({registered: 3, refused: 0});
    expect(evolution({level: "FULL_TRANSITIVE"})).toMatchObject({registered: 2, refused: 1});
    expect(evolution({level: "NONE", example: "change-type"})).toMatchObject({registered: 2, refused: 0});
  });

  it("the editor's texts win over the example", () => {
    const v2 = files.versions[1].text.replace(/,\s*"default": "STANDARD"/, "");
    expect(v2).not.toBe(files.versions[1].text);
    const run = runEvolution(files, {seed: 1, example: "original", level: "BACKWARD", texts: [files.versions[0].text, v2, ""]});
    expect(measure(experiments.evolution, run)).toMatchObject({v2Backward: false, newReaderFails: true});
  });

  it("deploy order decides which change fails", async () => {
    const deploy = async (order: string, level = "auto") =>
      measure(experiments.deploy, (await experiments.deploy.run({seed: 1, order, level, backwardChange: "delete-without-default", forwardChange: "add-without-default"})) as never);
    expect(await deploy("producers-first")).toMatchObject({backwardFailed: expect.any(Number), forwardFailed: 0});
    expect((await deploy("producers-first")).backwardFailed).toBeGreaterThan(100);
    expect(await deploy("consumers-first")).toMatchObject({backwardFailed: 0});
    expect((await deploy("consumers-first")).forwardFailed).toBeGreaterThan(100);
    expect((await deploy("producers-first", "BACKWARD")).forwardRejected).toBeGreaterThan(100);
  });

  it("the byte inspector: a varint grows with the value, v1 has no deliveryType, a bad symbol is refused", () => {
    expect(bytes({})).toMatchObject({framed: true, schemaId: 3, itemsBytes: 1, deliveryTypeBytes: 1});
    expect(bytes({value: value({items: 300})})).toMatchObject({itemsBytes: 2});
    expect(bytes({value: value({items: 300})}).bytes).toBe((bytes({}).bytes as number) + 1);
    expect(bytes({version: "v1"})).toMatchObject({framed: true, schemaId: 1, deliveryTypeBytes: 0});
    expect(bytes({value: value({deliveryType: "DRONE"})})).toMatchObject({framed: false, valueProblems: 1});
    expect(() => bytes({version: "v9"})).toThrow(/no version "v9"/);
  });

  it("the same files give the same experiments", () => {
    const again = schemaExperiments(files);
    const p = {seed: 1, example: "rename-with-alias", level: "BACKWARD"};
    expect(measure(again.evolution, again.evolution.run(p) as never)).toEqual(evolution(p));
  });
});
