// Small schema builders shared by the schema tests.
export type Field = {name: string; type: unknown; default?: unknown; aliases?: string[]};

export function record(name: string, fields: Field[], extra: Record<string, unknown> = {}) {
  return {type: "record", name, fields, ...extra};
}

/** The Order record of the examples, v1. */
export const orderV1 = record("Order", [
  {name: "id", type: "long"},
  {name: "amount", type: "double"}
]);
