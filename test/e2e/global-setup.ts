// Serves the built site for the browser tests. `npm test` builds first; run `npm run build`
// before `npm run test:e2e` on its own.
import {existsSync} from "node:fs";
import type {TestProject} from "vitest/node";
import {serveDist} from "./server.js";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dist = process.env.WORKBOOK_DIST ?? "dist";
  if (!existsSync(`${dist}/index.html`)) throw new Error(`${dist}/ is missing: run \`npm run build\` before the browser tests`);
  const {server, url} = await serveDist(`${process.cwd()}/${dist}`);
  project.provide("baseUrl", url);
  return () => new Promise((resolve) => server.close(() => resolve()));
}
