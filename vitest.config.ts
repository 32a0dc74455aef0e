import {defineConfig} from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/e2e/**", "node_modules/**"],
    globalSetup: ["test/setup/rabbitmq.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000
  }
});
