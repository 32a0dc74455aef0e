// WORKBOOK_DIST may name the build by an absolute path (a build in /tmp) as well as a relative one:
// the browser tests' server must serve it either way.
import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, relative} from "node:path";
import {afterEach, expect, it} from "vitest";
import type {TestProject} from "vitest/node";
import setup from "../e2e/global-setup.js";

const saved = process.env.WORKBOOK_DIST;
afterEach(() => {
  if (saved === undefined) delete process.env.WORKBOOK_DIST;
  else process.env.WORKBOOK_DIST = saved;
});

/** The index page the browser tests' server answers for WORKBOOK_DIST = `dist`. */
async function servedIndex(dist: string): Promise<string> {
  process.env.WORKBOOK_DIST = dist;
  let baseUrl = "";
  const project = {provide: (_key: string, url: string) => void (baseUrl = url)} as unknown as TestProject;
  const teardown = await setup(project);
  try {
    return await (await fetch(baseUrl)).text();
  } finally {
    await teardown();
  }
}

function build(): string {
  const dist = mkdtempSync(join(tmpdir(), "workbook-dist-"));
  writeFileSync(join(dist, "index.html"), "<h1>the workbook</h1>");
  return dist;
}

it("serves WORKBOOK_DIST given as an absolute path", async () => {
  expect(await servedIndex(build())).toBe("<h1>the workbook</h1>");
});

it("serves WORKBOOK_DIST given relative to the working directory", async () => {
  expect(await servedIndex(relative(process.cwd(), build()))).toBe("<h1>the workbook</h1>");
});

it("says to build first when WORKBOOK_DIST has no build", async () => {
  await expect(servedIndex(join(build(), "missing"))).rejects.toThrow(/missing: run `npm run build`/);
});
