// Builds src/components/schema/vendor/avsc.js: avsc's browser entry (types only) bundled with
// small Buffer and util shims, because Framework's rollup leaves avsc's `require("buffer")` and
// `require("util")` as bare imports that no browser resolves (reference/framework-notes.md).
import {fileURLToPath} from "node:url";
import {build} from "esbuild";

const vendor = fileURLToPath(new URL("../../src/components/schema/vendor/", import.meta.url));
export const bundlePath = `${vendor}avsc.js`;

export async function buildAvscBundle(): Promise<string> {
  const result = await build({
    stdin: {
      contents: `import avro from "avsc/etc/browser/avsc-types.js";\nexport {Buffer} from "buffer";\nexport default avro;\n`,
      resolveDir: process.cwd(),
      loader: "js"
    },
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    legalComments: "eof",
    alias: {buffer: `${vendor}buffer-shim.js`, util: `${vendor}util-shim.js`},
    banner: {js: "// Generated from avsc 5.7.9 (MIT) by test/schema/avsc-bundle.ts: UPDATE_AVSC_BUNDLE=1 npx vitest run test/schema/avsc-bundle.test.ts"},
    logLevel: "warning"
  });
  return result.outputFiles[0].text;
}
