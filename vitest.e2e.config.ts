import {defineConfig} from "vitest/config";

// Browser tests: one Chromium per file, files one after another (two cores; Chromium is heavy).
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.test.ts"],
    globalSetup: ["test/e2e/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000
  }
});
