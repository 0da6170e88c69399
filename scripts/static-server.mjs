#!/usr/bin/env node
// A tiny static file server for the end-to-end tests (no dependency): serves a built site directory
// on the loopback interface under a base path, the way GitHub Pages serves a project site.
//
//   node scripts/static-server.mjs --dir DIR [--port 4173] [--base /oomlens/] [--host 127.0.0.1] [--gzip 1]
//
// --gzip 1 compresses every response (gzip -9, as GitHub Pages serves text, js and wasm) for a client
// that accepts it: scripts/bench-load.mjs measures loads that way.
// GET/HEAD only. `<base>` and `<base>index.html` give index.html; a missing file under the base
// gives the site's 404.html with status 404 (as Pages does); anything outside the base is a plain
// 404, so a build that asks for a root-absolute asset fails loudly. Files are served with exact
// MIME types (application/wasm matters for streaming compilation) and `no-store` caching.
import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.yaml': 'text/plain; charset=utf-8',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

function parseArgs(argv) {
  const opts = { dir: null, port: 4173, base: '/', host: '127.0.0.1', gzip: false };
  for (let i = 0; i < argv.length; i += 2) {
    const [key, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`missing value for ${key}`);
    if (key === '--dir') opts.dir = resolve(value);
    else if (key === '--port') opts.port = Number(value);
    else if (key === '--base') opts.base = value;
    else if (key === '--host') opts.host = value;
    else if (key === '--gzip') opts.gzip = value === '1';
    else throw new Error(`unknown option ${key}`);
  }
  if (!opts.dir) throw new Error('--dir is required');
  if (!opts.base.startsWith('/') || !opts.base.endsWith('/')) throw new Error('--base must start and end with /');
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error('bad --port');
  return opts;
}

async function fileAt(root, rel) {
  const path = resolve(join(root, rel));
  if (path !== root && !path.startsWith(root + sep)) return null; // no escaping the site directory
  try {
    const st = await stat(path);
    if (st.isDirectory()) return fileAt(root, join(rel, 'index.html'));
    return st.isFile() ? path : null;
  } catch {
    return null;
  }
}

const gzipped = new Map();

function send(req, res, status, type, raw, gzip = false) {
  let body = raw;
  const headers = { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
  if (gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
    if (!gzipped.has(raw)) gzipped.set(raw, gzipSync(raw, { level: 9 }));
    body = gzipped.get(raw);
    headers['Content-Encoding'] = 'gzip';
    headers.Vary = 'Accept-Encoding';
  }
  headers['Content-Length'] = body.length;
  res.writeHead(status, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

const files = new Map();
async function cachedRead(path, cache) {
  if (!cache) return readFile(path);
  if (!files.has(path)) files.set(path, await readFile(path));
  return files.get(path);
}

export function startServer({ dir, port, base, host, gzip = false }) {
  const server = createServer(async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return send(req, res, 405, 'text/plain; charset=utf-8', Buffer.from('method not allowed\n'));
      }
      const pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
      if (!pathname.startsWith(base)) {
        return send(req, res, 404, 'text/plain; charset=utf-8', Buffer.from(`not under ${base}\n`));
      }
      const found = await fileAt(dir, pathname.slice(base.length) || 'index.html');
      if (found) {
        const type = MIME[extname(found)] ?? 'application/octet-stream';
        return send(req, res, 200, type, await cachedRead(found, gzip), gzip);
      }
      const notFound = await fileAt(dir, '404.html');
      if (notFound) return send(req, res, 404, MIME['.html'], await readFile(notFound));
      return send(req, res, 404, 'text/plain; charset=utf-8', Buffer.from('not found\n'));
    } catch (err) {
      send(req, res, 400, 'text/plain; charset=utf-8', Buffer.from(`bad request: ${err.message}\n`));
    }
  });
  return new Promise((ok) => server.listen(port, host, () => ok(server)));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
    await stat(join(opts.dir, 'index.html'));
  } catch (err) {
    console.error(`static-server: ${err.message}`);
    process.exit(2);
  }
  const server = await startServer(opts);
  const { port } = server.address();
  console.log(`static-server: ${opts.dir} at http://${opts.host}:${port}${opts.base}`);
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
}
