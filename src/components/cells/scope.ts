// What an experiment can use without importing it: the names of each module below, merged.
// Adding a facade is one line in `modules` (and, for completion help, a few lines in
// scope-docs.ts). Besides these, every run gets `sim` (a fresh simulation seeded with
// `params.seed`, default 1) and `params` (the cell's parameters): see worker.ts.
import * as kernel from "../sim/index.js";
import * as kafkajs from "../kafka/kafkajs.js";
import * as amqplib from "../rabbitmq/amqplib.js";
import {createBroker} from "../rabbitmq/broker.js";
import * as eventbridge from "../eventbridge/sdk.js";
import * as schemaRegistry from "../schema/registry.js";
import * as schemaWire from "../schema/wire.js";
import * as schemaSerde from "../schema/serde.js";
import * as schemaCompatibility from "../schema/compatibility.js";
import * as tables from "../tables/index.js";
import {anomalyMoments, checkHistory, compareRuns, kafkaHistory, messageId, tally} from "../history/index.js";
import {logView} from "../ui/log-state.js";

const modules: Record<string, Record<string, unknown>> = {
  kernel,
  kafkajs,
  amqplib,
  rabbitmqBroker: {createBroker},
  eventbridge,
  schemaRegistry,
  schemaWire,
  schemaSerde,
  schemaCompatibility,
  tables,
  // The history checker and the counterfactual comparison (not its duplicateDeliveries: the tables' one keeps the name).
  history: {checkHistory, tally, compareRuns, anomalyMoments, kafkaHistory, messageId},
  // Returns plain data ({kind: "log-view", topic, events}) that the page draws with ui/log-view.ts.
  logView: {logView}
};

export class ScopeConflictError extends Error {
  override name = "ScopeConflictError";
}

/** One namespace from several modules; two modules exporting different values under one name is a mistake, not an override. */
export function mergeScope(sources: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const scope: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  for (const [moduleName, exports] of Object.entries(sources)) {
    for (const [name, value] of Object.entries(exports)) {
      if (name in scope && scope[name] !== value) {
        throw new ScopeConflictError(`"${name}" is exported by both ${origin[name]} and ${moduleName}: expose one of them under another name`);
      }
      scope[name] = value;
      origin[name] = moduleName;
    }
  }
  return scope;
}

export const scope = mergeScope(modules);

/** Names every run defines on top of `scope`. */
export const RUN_NAMES = ["sim", "params"] as const;
