// Pre-bundles what Framework cannot serve from node_modules as it is. The code cells' worker
// (src/components/cells/worker.ts) carries sucrase (whose CommonJS dependencies lose their named
// exports in the browser; see README "Offline by design"), acorn, the simulation and the
// facades in one file, which the page loads with FileAttachment only when a cell first runs.
// Output goes to src/components/cells/vendor/ (ignored by git, rebuilt before dev and build).
// Each lab with a worker.ts (its experiments off the page's thread) gets one too, in the lab's
// own vendor/ folder (ignored by git likewise).
import {existsSync, readdirSync} from "node:fs";
import {build} from "esbuild";

const labWorkers = readdirSync("src/components/labs")
  .map((lab) => `src/components/labs/${lab}/worker.ts`)
  .filter((file) => existsSync(file));

await Promise.all(
  ["src/components/cells/worker.ts", ...labWorkers].map((entry) =>
    build({
      entryPoints: [entry],
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      minify: true,
      legalComments: "eof",
      // The worker has no `process`; some dependencies test process.env.NODE_ENV.
      define: {"process.env.NODE_ENV": '"production"'},
      outfile: entry.replace(/worker\.ts$/, "vendor/worker.js"),
      logLevel: "warning"
    })
  )
);
