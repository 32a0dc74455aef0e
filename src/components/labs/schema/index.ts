// 11.5's experiments, as the claims and the page run them, on the schema files of data/schemas/:
// the versions' verdicts at every level, a record read both ways round and the registry
// (`evolution`), producers and consumers upgraded in either order (`deploy`), and a record's
// framed bytes (`bytes`). A parameter `example` picks the original v1 → v2 → v3 or v1 and one
// of the example changes; the page may pass `texts`, the editor's versions, instead.
// Defaults, presets and claims: data/scenarios/schema-evolution.json.
import {experiment} from "../../claims/claim.js";
import type {CompatibilityLevel} from "../../schema/compatibility.js";
import {
  deployPair, exampleVerdicts, inspectValue, parseVersions, readBothWays, registerVersions, runDeploy, versionVerdicts,
  type DeployOrder, type DeployRun, type Registration, type Version
} from "./model.js";
import {readSchemaFiles, versionTexts, type SchemaFiles} from "./files.js";

interface VersionParameters {
  seed: number | string;
  example: string;
  /** The registry's level for subject orders-value. */
  level: CompatibilityLevel;
  /** The editor's versions, when the page has them; else the example's. */
  texts?: string[];
}

const inUse = (versions: Version[]) => versions.filter((v): v is Extract<Version, {blank: false}> => !v.blank);

export function runEvolution(files: SchemaFiles, p: VersionParameters) {
  const texts = p.texts ?? versionTexts(files, p.example);
  const versions = parseVersions(texts);
  const [older, newer] = inUse(versions);
  return {
    parameters: p,
    texts,
    versions,
    verdicts: versionVerdicts(versions),
    readings: newer ? readBothWays(older, newer) : {error: "write a v2 in the editor"},
    registered: registerVersions(versions, p.level),
    /** Each example change against this v1. */
    rules: exampleVerdicts(texts[0], files.examples)
  };
}
export type EvolutionRun = ReturnType<typeof runEvolution>;

/** Whether the registry at `level` would accept version `name` after the versions before it. */
const accepts = (r: EvolutionRun, name: string, level: CompatibilityLevel) => {
  const verdict = r.verdicts.find((v) => v.name === name);
  return verdict?.ok === true && verdict.reports[level].compatible;
};
const reading = (r: EvolutionRun, i: number) => (Array.isArray(r.readings) ? r.readings[i] : undefined);
const keys = (value: unknown) => (value !== null && typeof value === "object" ? Object.keys(value) : []);

/** The experiment `deploy`: the example changes that are BACKWARD only and FORWARD only, and the reader's own v1 → v2. */
interface DeployParameters {
  seed: number;
  order: DeployOrder;
  /** "auto": the strictest level the change passes, as a team would set it. */
  level: CompatibilityLevel | "auto";
  backwardChange: string;
  forwardChange: string;
  texts?: string[];
}

export interface DeployCase {
  kind: "backward" | "forward" | "yours";
  /** The example's id, or "editor". */
  id: string;
  run: DeployRun | {error: string};
}

export async function runDeployCases(files: SchemaFiles, p: DeployParameters): Promise<{parameters: DeployParameters; cases: DeployCase[]}> {
  const v1 = files.versions[0].text;
  const [ownV1, ownV2] = p.texts ?? versionTexts(files, "original");
  const pairs = [
    {kind: "backward" as const, id: p.backwardChange, pair: deployPair(v1, versionTexts(files, p.backwardChange)[1])},
    {kind: "forward" as const, id: p.forwardChange, pair: deployPair(v1, versionTexts(files, p.forwardChange)[1])},
    {kind: "yours" as const, id: "editor", pair: deployPair(ownV1, ownV2)}
  ];
  const cases = await Promise.all(pairs.map(async ({kind, id, pair}) => ({
    kind, id,
    run: "error" in pair ? pair : await runDeploy(pair.v1, pair.v2, {order: p.order, level: p.level, seed: p.seed}).catch((error: Error) => ({error: error.message}))
  })));
  return {parameters: p, cases};
}
export type DeployCasesRun = Awaited<ReturnType<typeof runDeployCases>>;

const totals = (r: DeployCasesRun, kind: DeployCase["kind"]) => {
  const run = r.cases.find((c) => c.kind === kind)?.run;
  if (!run || "error" in run) throw new Error(`the ${kind} change did not run${run ? `: ${run.error}` : ""}`);
  return run.totals;
};

/** The experiment `bytes`: one value framed with a version's schema under its registry id. */
interface BytesParameters extends VersionParameters {
  version: string;
  /** The value as JSON text, as the reader types it. */
  value: string;
}

export function runBytes(files: SchemaFiles, p: BytesParameters) {
  const versions = parseVersions(p.texts ?? versionTexts(files, p.example));
  const {registrations} = registerVersions(versions, p.level);
  const version = versions.find((v) => v.name === p.version);
  if (!version) throw new Error(`no version "${p.version}" (the versions are ${versions.map((v) => v.name).join(", ")})`);
  const schemaId = registrations.find((g): g is Extract<Registration, {ok: true}> => g.ok && g.name === p.version)?.id;
  return {parameters: p, version, schemaId, inspection: inspectValue(version, p.value, schemaId)};
}
export type BytesRun = ReturnType<typeof runBytes>;

const region = (r: BytesRun, field: string) => (r.inspection.ok ? r.inspection.regions.find((g) => g.kind === "field" && g.path === field) : undefined);

/** The lab's experiments on one set of schema files. */
export function schemaExperiments(files: SchemaFiles) {
  return {
    evolution: experiment({
      run: (p: VersionParameters) => runEvolution(files, p),
      metrics: {
        v2Backward: (r: EvolutionRun) => accepts(r, "v2", "BACKWARD"),
        v2Forward: (r: EvolutionRun) => accepts(r, "v2", "FORWARD"),
        v2Full: (r: EvolutionRun) => accepts(r, "v2", "FULL"),
        v3Backward: (r: EvolutionRun) => accepts(r, "v3", "BACKWARD"),
        v3BackwardTransitive: (r: EvolutionRun) => accepts(r, "v3", "BACKWARD_TRANSITIVE"),
        /** The new reader on old data: fields it returns that the record did not hold (filled from its defaults). */
        filledFromDefault: (r: EvolutionRun) => {
          const row = reading(r, 0);
          return row && !row.error ? keys(row.read).filter((k) => !keys(row.written).includes(k)).length : 0;
        },
        /** The old reader on new data: fields of the record it does not return (skipped). */
        skippedByOldReader: (r: EvolutionRun) => {
          const row = reading(r, 1);
          return row && !row.error ? keys(row.written).filter((k) => !keys(row.read).includes(k)).length : 0;
        },
        newReaderFails: (r: EvolutionRun) => Boolean(reading(r, 0)?.error),
        oldReaderFails: (r: EvolutionRun) => Boolean(reading(r, 1)?.error),
        registered: (r: EvolutionRun) => r.registered.registrations.filter((g) => g.ok).length,
        refused: (r: EvolutionRun) => r.registered.registrations.filter((g) => !g.ok).length
      }
    }),
    deploy: experiment({
      run: (p: DeployParameters) => runDeployCases(files, p),
      metrics: {
        backwardFailed: (r: DeployCasesRun) => totals(r, "backward").failed,
        backwardRejected: (r: DeployCasesRun) => totals(r, "backward").rejected,
        forwardFailed: (r: DeployCasesRun) => totals(r, "forward").failed,
        forwardRejected: (r: DeployCasesRun) => totals(r, "forward").rejected,
        /** Records each change's consumers received in the minute. */
        consumed: (r: DeployCasesRun) => totals(r, "backward").ok + totals(r, "backward").failed
      }
    }),
    bytes: experiment({
      run: (p: BytesParameters) => runBytes(files, p),
      metrics: {
        framed: (r: BytesRun) => r.inspection.ok,
        bytes: (r: BytesRun) => (r.inspection.ok ? r.inspection.bytes.length : 0),
        bodyBytes: (r: BytesRun) => (r.inspection.ok ? r.inspection.bytes.length - 5 : 0),
        schemaId: (r: BytesRun) => r.schemaId ?? 0,
        itemsBytes: (r: BytesRun) => {
          const g = region(r, "items");
          return g ? g.end - g.start : 0;
        },
        deliveryTypeBytes: (r: BytesRun) => {
          const g = region(r, "deliveryType");
          return g ? g.end - g.start : 0;
        },
        valueProblems: (r: BytesRun) => (!r.inspection.ok && r.inspection.problems ? r.inspection.problems.length : 0)
      }
    })
  };
}

/**
 * The experiments on the files in data/schemas/, for the claims and the tests in Node. A page
 * builds the same ones from the same files, delivered by its loader: schemaExperiments(await
 * FileAttachment("data/schemas.json").json()).
 */
export const experiments = globalThis.process?.versions?.node ? schemaExperiments(await readSchemaFiles()) : undefined;
