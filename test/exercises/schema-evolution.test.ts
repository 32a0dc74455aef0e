import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {schemaEvolutionExercise} from "../../src/components/exercises/schema-evolution.js";
import {createRandom} from "../../src/components/sim/index.js";
import {cellValue, exercise, expectCaught, expectPasses} from "./grading.js";

const file = (name: string) => readFileSync(new URL(`../../data/schemas/${name}`, import.meta.url), "utf8");
const v3Exercise = exercise("schema-v3-full-transitive");
const {model} = v3Exercise;

type Schema = {fields: {name: string; type: unknown; default?: unknown}[]};
/** v2 with `couponCode` as given, then `edit` applied: the solutions below differ from the reference in one place each. */
function v3(couponCode: object, edit: (schema: Schema) => void = () => {}): string {
  const schema = JSON.parse(file("v2.avsc")) as Schema;
  schema.fields.push({name: "couponCode", ...couponCode} as Schema["fields"][number]);
  edit(schema);
  return JSON.stringify(schema, null, 2);
}
const field = (schema: Schema, name: string) => schema.fields.find((f) => f.name === name)!;

// An optional field: a union with null first, and null as its default.
const REFERENCE = v3({type: ["null", "string"], default: null});

describe("11.5 exercise: a v3 that stays FULL_TRANSITIVE with the registry's history", () => {
  it("passes the reference (couponCode optional, with a default) on every seed", async () => {
    await expectPasses(v3Exercise, REFERENCE);
  });

  it("passes a string with a default too: there is more than one right answer", async () => {
    await expectPasses(v3Exercise, v3({type: "string", default: ""}));
  });

  it("catches the starter: a new field without a default, refused by the registry with the versions it conflicts with", async () => {
    await expectCaught(v3Exercise, await cellValue(v3Exercise.file.starter), /^the registry refused v3 under FULL_TRANSITIVE: v3 cannot read records written with v2: the reader's field "couponCode" \(string\) has no default.*; v3 cannot read records written with v1:/);
  });

  it("catches a v3 that also makes deliveryType required (the page's v3): v1 records have none", async () => {
    const required = v3({type: ["null", "string"], default: null}, (s) => delete field(s, "deliveryType").default);
    await expectCaught(v3Exercise, required, /^the registry refused v3 under FULL_TRANSITIVE: v3 cannot read records written with v1: the reader's field "deliveryType"/);
  });

  it("catches a changed default, which the registry accepts: v1 orders would read as EXPRESS under v3 and STANDARD under v2", async () => {
    const express = v3({type: ["null", "string"], default: null}, (s) => void (field(s, "deliveryType").default = "EXPRESS"));
    const {faults} = await expectCaught(v3Exercise, express, /^at t = \d+\.\d\d s, record \d+ written with v1 \(\{"orderId":.*\}\) and read by v3's consumer: v1 has no deliveryType, and v3 reads it as "EXPRESS", but v2's consumers read such records as "STANDARD" \(its default\)/);
    expect(faults.some((f) => / of v1, read by v3$/.test(f.target!))).toBe(true);
  });

  it("catches orderId turned into bytes, which Avro's string↔bytes promotion lets through: the value changes type on the way", async () => {
    const bytes = v3({type: ["null", "string"], default: null}, (s) => void (field(s, "orderId").type = "bytes"));
    await expectCaught(v3Exercise, bytes, /record \d+ written with v\d .* read by v\d's consumer: orderId reads as .*, but v\d wrote (".*"|"<bytes[ 0-9a-f]*>")/);
  });

  it("needs a history to evolve, and says so", () => {
    expect(() => schemaEvolutionExercise({history: []})).toThrow(/^history must hold at least one earlier version/);
  });

  it("asks for the field the task names", async () => {
    expect(await model.run(model.solution(file("v2.avsc")), {seed: 0, faults: []})).toEqual({ok: false, problem: "v3 has no field couponCode: the task asks for it"});
  });

  it("refuses what is not a schema with the parser's message", () => {
    expect(() => model.solution('{"type": "record",')).toThrow(/^v3 is not a valid schema: invalid JSON at 1:19: /);
    expect(() => model.solution(v3({type: ["string", "null"], default: null}))).toThrow(/^v3 is not a valid schema: invalid Avro schema: .*union defaults must match the first branch's type/);
    expect(() => model.solution(3)).toThrow(/^v3 must be an Avro schema, as JSON text or an object, got number/);
    expect(model.solution(JSON.parse(REFERENCE))).toHaveProperty("type");
  });

  it("draws reads between different versions, the same for the same seed", () => {
    const faults = model.faults(createRandom("4/faults"));
    expect(faults).toEqual(model.faults(createRandom("4/faults")));
    expect(faults.length).toBeGreaterThan(0);
    for (const f of faults) {
      const [, writer, reader] = /^record \d+ of (v[123]), read by (v[123])$/.exec(f.target!)!;
      expect(writer).not.toBe(reader);
    }
  });
});
