// Every exercise model by its id, as data files (data/exercises/<id>.json) name them. A model
// entry says which fault kinds it knows and its default scenario parameters, so the build can check
// an exercise file against it; gradeExercise is what the sandbox's worker runs for a Grade press.
// Adding a model: implement ExerciseModel in this folder and add one entry here.
import type {ExerciseModel} from "./exercise.js";
import {grade, type GradeReport} from "./grade.js";
import {ackingWorkQueue, WORK_QUEUE_FAULTS, workQueueDefaults} from "./acking-work-queue.js";
import {idempotentConsumer, IDEMPOTENT_CONSUMER_FAULTS, idempotentConsumerDefaults} from "./idempotent-consumer.js";
import {exactlyOncePipeline, PIPELINE_FAULTS, pipelineDefaults} from "./exactly-once-pipeline.js";
import {checkoutDefaults, checkoutExercise, CHECKOUT_FAULTS} from "./checkout.js";
import {translatorDefaults, translatorExercise, TRANSLATOR_FAULTS} from "./translator.js";
import {schemaEvolutionDefaults, schemaEvolutionExercise, SCHEMA_EVOLUTION_FAULTS, type SchemaEvolutionOptions} from "./schema-evolution.js";

export interface ModelEntry {
  /** The fault kinds its faults() may draw (an exercise picks some of them). */
  faultKinds: readonly string[];
  /** Its scenario parameters and their defaults: an exercise may set any of these, no other. */
  defaults: object;
  /** The model for one exercise: its parameters over the defaults, faultKinds included. */
  create(parameters: Record<string, unknown>): ExerciseModel<unknown>;
  /**
   * Parameters that an exercise file gives as paths under data/ ("schemas/v1.avsc"): the build
   * (src/data/exercises.json.ts) hands the model the files' texts instead, as the worker reads no files.
   */
  dataFiles?: readonly string[];
}

export const EXERCISE_MODELS: Readonly<Record<string, ModelEntry>> = {
  "acking-work-queue": {faultKinds: WORK_QUEUE_FAULTS, defaults: workQueueDefaults, create: (parameters) => ackingWorkQueue(parameters) as ExerciseModel<unknown>},
  "idempotent-consumer": {faultKinds: IDEMPOTENT_CONSUMER_FAULTS, defaults: idempotentConsumerDefaults, create: (parameters) => idempotentConsumer(parameters) as ExerciseModel<unknown>},
  "exactly-once-pipeline": {faultKinds: PIPELINE_FAULTS, defaults: pipelineDefaults, create: (parameters) => exactlyOncePipeline(parameters) as ExerciseModel<unknown>},
  checkout: {faultKinds: CHECKOUT_FAULTS, defaults: checkoutDefaults, create: (parameters) => checkoutExercise(parameters) as ExerciseModel<unknown>},
  translator: {faultKinds: TRANSLATOR_FAULTS, defaults: translatorDefaults, create: (parameters) => translatorExercise(parameters) as ExerciseModel<unknown>},
  "schema-evolution": {
    faultKinds: SCHEMA_EVOLUTION_FAULTS,
    defaults: schemaEvolutionDefaults,
    create: (parameters) => schemaEvolutionExercise({...schemaEvolutionDefaults, ...parameters} as SchemaEvolutionOptions) as ExerciseModel<unknown>,
    dataFiles: ["history"]
  }
};

/** What the page asks the worker to do with the value the reader's cell returned. */
export interface GradeRequest {
  model: string;
  /** The exercise's scenario parameters (its file's `parameters`, with `faultKinds`). */
  parameters: Record<string, unknown>;
  seeds: number;
  seed: number;
  /** Replay one reported run instead of exploring. */
  replay?: {seed: number; faults: {kind: string; at: number; target?: string}[]};
}

/** Whether a message claims to be a GradeRequest (the worker checks before it grades). */
export function isGradeRequest(value: unknown): value is GradeRequest {
  const r = value as GradeRequest;
  return typeof value === "object" && value !== null && typeof r.model === "string" && typeof r.parameters === "object" && r.parameters !== null && Number.isInteger(r.seeds) && r.seeds >= 1 && r.seeds <= 10_000 && Number.isFinite(r.seed);
}

export function gradeExercise(request: GradeRequest, value: unknown): Promise<GradeReport> {
  const entry = Object.hasOwn(EXERCISE_MODELS, request.model) ? EXERCISE_MODELS[request.model] : undefined;
  if (!entry) return Promise.resolve({status: "invalid", problem: `no exercise model "${request.model}" (known: ${Object.keys(EXERCISE_MODELS).join(", ")})`});
  return grade(entry.create(request.parameters), value, {seeds: request.seeds, seed: request.seed, replay: request.replay});
}
