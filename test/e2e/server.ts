// A small static server for dist/ on 127.0.0.1, with Framework's clean URLs (/brokers → brokers.html).
// `base` mounts the site under a sub-path, as a publisher hosting it at /workbook/ would.
// `rewrite: false` serves files exactly by their path, as a plain static host does (S3,
// `python3 -m http.server`): no clean URLs; a missing file gets 404.html with status 404, as
// GitHub Pages and S3's error document do.
import {createServer, type Server} from "node:http";
import {existsSync} from "node:fs";
import {readFile, stat} from "node:fs/promises";
import {extname, join, normalize, resolve} from "node:path";

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".avsc": "application/json"
};

/** The build to serve: $WORKBOOK_DIST, absolute or relative to the working directory; default dist/. */
export function builtDist(): string {
  const dist = resolve(process.env.WORKBOOK_DIST ?? "dist");
  if (!existsSync(join(dist, "index.html"))) throw new Error(`${dist}/ is missing: run \`npm run build\` first`);
  return dist;
}

export async function serveDist(root: string, {base = "/", rewrite = true}: {base?: string; rewrite?: boolean} = {}): Promise<{server: Server; url: string}> {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
    if (!path.startsWith(base)) return void res.writeHead(404).end("not found");
    let file = normalize(join(root, path.slice(base.length - 1)));
    if (!file.startsWith(normalize(root))) return void res.writeHead(403).end();
    if (file.endsWith("/")) file += "index.html";
    for (const candidate of rewrite ? [file, `${file}.html`] : [file]) {
      const info = await stat(candidate).catch(() => null);
      if (info?.isFile()) {
        res.writeHead(200, {"content-type": types[extname(candidate)] ?? "application/octet-stream"});
        return void res.end(await readFile(candidate));
      }
    }
    const notFound = rewrite ? null : await readFile(join(root, "404.html")).catch(() => null);
    if (notFound) return void res.writeHead(404, {"content-type": types[".html"]}).end(notFound);
    res.writeHead(404).end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("server has no port");
  return {server, url: `http://127.0.0.1:${address.port}${base}`};
}
