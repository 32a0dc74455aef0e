// Pre-bundles the browser dependencies that Framework cannot import from node_modules as they
// are (sucrase's CommonJS dependencies lose their named exports; see README "Offline by design").
// Output goes to src/components/cells/vendor/ (ignored by git, rebuilt before dev and build).
import {build} from "esbuild";

await build({
  stdin: {contents: `export {transform} from "sucrase";`, resolveDir: process.cwd(), loader: "js"},
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  legalComments: "eof",
  outfile: "src/components/cells/vendor/sucrase.js",
  logLevel: "warning"
});
