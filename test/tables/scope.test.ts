// The cells' scope carries the tables: every table function, aq and op, and the completions name
// only what exists.
import {describe, expect, it} from "vitest";
import {scope} from "../../src/components/cells/scope.js";
import {scopeDocs} from "../../src/components/cells/scope-docs.js";
import {aq, tableDocs} from "../../src/components/tables/index.js";

describe("tables in the cells' scope", () => {
  it("has every documented table function, aq and op", () => {
    const names = Object.keys(tableDocs);
    expect(names.length).toBeGreaterThanOrEqual(17);
    for (const name of names) expect(typeof scope[name], name).toBe("function");
    expect(scope.aq).toBe(aq);
    expect(scope.op).toBe(aq.op);
    for (const name of [...names, "aq", "op"]) expect(scopeDocs.some((d) => d.name === name), name).toBe(true);
  });

  it("completes only members arquero has", () => {
    for (const owner of ["aq", "op"]) {
      const members = scopeDocs.find((d) => d.name === owner)!.members!;
      expect(members.length).toBeGreaterThan(5);
      const api = (owner === "aq" ? aq : aq.op) as unknown as Record<string, unknown>;
      for (const m of members) expect(typeof api[m.name], `${owner}.${m.name}`).toBe("function");
    }
  });
});
