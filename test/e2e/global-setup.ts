// Serves the built site for the browser tests. `npm test` builds first; run `npm run build`
// before `npm run test:e2e` on its own.
import type {TestProject} from "vitest/node";
import {builtDist, serveDist} from "./server.js";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const {server, url} = await serveDist(builtDist());
  project.provide("baseUrl", url);
  return () => new Promise((resolve) => server.close(() => resolve()));
}
