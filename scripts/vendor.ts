// Pre-bundles what Framework cannot serve from node_modules as it is, into
// src/components/cells/vendor/ (ignored by git, rebuilt before dev and build):
// - worker.js: the code cells' worker (src/components/cells/worker.ts) with sucrase (whose
//   CommonJS dependencies lose their named exports in the browser; see README "Offline by
//   design"), acorn, the simulation and the facades, as one classic script (a module worker
//   cannot start from a blob: URL inside an opaque-origin frame);
// - sandbox.html: the frame the worker runs in (runner.ts). It is loaded into an
//   <iframe sandbox="allow-scripts">, so it has an opaque origin, and carries its own
//   Content-Security-Policy: its one inline script by hash, 'unsafe-eval' for the reader's code
//   (which the blob: worker inherits), and no network at all (default-src 'none').
// - ui/vendor/plot.js: the Plot exports listed in src/components/ui/plot.ts with only the d3
//   modules they use (Framework would serve Plot with all of d3: issue 15 §2, first load).
// Each lab's worker.ts (its experiments off the page's thread: our own code, not the reader's),
// and any other *-worker.ts beside it, becomes a module worker in the lab's own vendor/ folder
// (ignored by git likewise).
import {createHash} from "node:crypto";
import {mkdirSync, readdirSync, writeFileSync} from "node:fs";
import {build, type Plugin} from "esbuild";

const outdir = "src/components/cells/vendor";

await build({
  entryPoints: ["src/components/cells/worker.ts"],
  bundle: true,
  format: "iife",
  platform: "browser",
  target: "es2022",
  minify: true,
  legalComments: "eof",
  // The worker has no `process`; some dependencies test process.env.NODE_ENV.
  define: {"process.env.NODE_ENV": '"production"'},
  outfile: `${outdir}/worker.js`,
  logLevel: "warning"
});

// The frame's bootstrap: the first message from its parent carries the worker's code (a Blob)
// and the private port, which goes straight to the worker. The frame tells its parent one thing
// only: that the worker failed (to load, or with an uncaught error).
const bootstrap = `addEventListener("message", function boot(event) {
  if (event.source !== parent || !(event.data && event.data.worker instanceof Blob) || event.ports.length !== 1) return;
  removeEventListener("message", boot);
  const fail = (message) => parent.postMessage({type: "failed", message: String(message || "the experiment worker failed to load").slice(0, 2000)}, "*");
  try {
    const worker = new Worker(URL.createObjectURL(event.data.worker), {name: "experiment"});
    worker.addEventListener("error", (error) => { error.preventDefault(); fail(error.message); });
    worker.postMessage({port: event.ports[0]}, [event.ports[0]]);
  } catch (error) {
    fail(error && error.message);
  }
});`;

const sandboxPolicy = [
  "default-src 'none'",
  `script-src 'sha256-${createHash("sha256").update(bootstrap).digest("base64")}' 'unsafe-eval' blob:`,
  "worker-src blob:"
].join("; ");

mkdirSync(outdir, {recursive: true});
writeFileSync(
  `${outdir}/sandbox.html`,
  `<!doctype html>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${sandboxPolicy}">
<title>Experiment sandbox</title>
<script>${bootstrap}</script>
`
);

// Our own ES modules (the Plot subset, the labs' workers), minified for the browser.
const bundle = (entry: string, outfile: string, plugins: Plugin[] = []) =>
  build({entryPoints: [entry], bundle: true, format: "esm", platform: "browser", target: "es2022", minify: true, legalComments: "eof", outfile, plugins, logLevel: "warning"});

// No chart of ours has a map projection, but Plot keeps all of d3-geo (26 KB of the bundle):
// plot.js builds a geoPath for every chart, and a line or link draws with it only when the chart
// has a projection (Plot's src/marks/line.js). Each d3-geo export becomes a function that says so;
// geoTransform, which Plot's projection.js calls as it loads, returns a transform whose stream does.
const geoNames = Object.keys(await import("d3-geo"));
const withoutGeo: Plugin = {
  name: "without-d3-geo",
  setup(plugin) {
    plugin.onResolve({filter: /^d3-geo$/}, () => ({path: "d3-geo", namespace: "without-d3-geo"}));
    plugin.onLoad({filter: /.*/, namespace: "without-d3-geo"}, () => ({
      contents: [
        `const unavailable = (name) => function () { throw new Error("d3." + name + ": map projections are not in the workbook's Plot bundle (src/components/ui/plot.ts)"); };`,
        ...geoNames.map((name) =>
          name === "geoTransform"
            ? `export const geoTransform = () => ({stream: unavailable("geoTransform")});`
            : `export const ${name} = unavailable(${JSON.stringify(name)});`
        )
      ].join("\n")
    }));
  }
};

// A lab may have more than one (11.3's summary tables have their own, with arquero: tables-worker.ts).
const labWorkers = readdirSync("src/components/labs", {withFileTypes: true})
  .filter((lab) => lab.isDirectory())
  .flatMap((lab) => readdirSync(`src/components/labs/${lab.name}`).filter((file) => /(^|-)worker\.ts$/.test(file)).map((file) => `src/components/labs/${lab.name}/${file}`));

await Promise.all([
  bundle("src/components/ui/plot.ts", "src/components/ui/vendor/plot.js", [withoutGeo]),
  ...labWorkers.map((entry) => bundle(entry, entry.replace(/([^/]*worker)\.ts$/, "vendor/$1.js")))
]);
