import {defineConfig} from "vitest/config";

export default defineConfig({
  // In Node the charts' vendored Plot (built by scripts/vendor.ts before dev and build) is its
  // entry, src/components/ui/plot.ts: the same exports, straight from node_modules.
  resolve: {alias: [{find: /^(.*\/ui)\/vendor\/plot\.js$/, replacement: "$1/plot.js"}]},
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/e2e/**", "node_modules/**"],
    globalSetup: ["test/setup/rabbitmq.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000
  }
});
