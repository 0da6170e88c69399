#!/usr/bin/env node
// trunk's post_build hook (Trunk.toml): finishes the staged site before trunk moves it to dist.
//  1. Names the incident module's files (trunk does not hash a worker's output), the stylesheets of the incident page and training mode, the
//     analyser's worker.js and zh.txt after their SHA-256, so a host's cache can never pair an old file with a new page.
//  2. Fills the @…@ marks in index.html (Trunk.toml's pattern_script; the manifest link's base) and
//     fails if any is left.
//  3. Writes the service worker's precache list into sw.js: every file but sw.js and 404.html, with
//     its SHA-256, and a version that is the digest of that list and of sw.js itself.
// Reads TRUNK_STAGING_DIR and TRUNK_PUBLIC_URL; `node scripts/postbuild.mjs DIR [BASE]` by hand.
// With OOMLENS_SW=off (scripts/serve.sh, where every rebuild is a new build) the page registers no
// service worker and sw.js is one that removes itself and its caches, so a worker left on the port
// by an earlier build stops answering with an old copy.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2];
const base = process.env.TRUNK_PUBLIC_URL || process.argv[3] || '/';
if (!dir) {
  console.error('postbuild: no staging directory (TRUNK_STAGING_DIR or an argument)');
  process.exit(2);
}
const die = (msg) => {
  console.error(`postbuild: ${msg}`);
  process.exit(1);
};
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');
const path = (name) => join(dir, name);

// 1. Hash-named files.
const js = 'oomlens-incident.js';
const wasm = 'oomlens-incident_bg.wasm';
for (const f of [js, wasm, 'zh.txt', 'incident.css', 'learn.css', 'worker.js']) {
  try {
    statSync(path(f));
  } catch (_) {
    die(`${f} is not in ${dir}: is the incident module's <link data-type="worker"> in index.html?`);
  }
}
const moduleHash = sha256(Buffer.concat([readFileSync(path(js)), readFileSync(path(wasm))])).slice(0, 16);
const names = {
  INCIDENT_JS: `oomlens-incident-${moduleHash}.js`,
  INCIDENT_WASM: `oomlens-incident-${moduleHash}_bg.wasm`,
  LEARN_CSS: `learn-${sha256(readFileSync(path('learn.css'))).slice(0, 16)}.css`,
  ZH: `zh-${sha256(readFileSync(path('zh.txt'))).slice(0, 16)}.txt`,
  INCIDENT_CSS: `incident-${sha256(readFileSync(path('incident.css'))).slice(0, 16)}.css`,
  WORKER: `worker-${sha256(readFileSync(path('worker.js'))).slice(0, 16)}.js`,
  SW: process.env.OOMLENS_SW === 'off' ? 'off' : 'on',
  BASE: base,
};
renameSync(path(js), path(names.INCIDENT_JS));
renameSync(path(wasm), path(names.INCIDENT_WASM));
renameSync(path('learn.css'), path(names.LEARN_CSS));
renameSync(path('zh.txt'), path(names.ZH));
renameSync(path('incident.css'), path(names.INCIDENT_CSS));
renameSync(path('worker.js'), path(names.WORKER));

// 2. index.html.
let html = readFileSync(path('index.html'), 'utf8');
html = html.replace(/@(INCIDENT_JS|INCIDENT_WASM|INCIDENT_CSS|LEARN_CSS|WORKER|ZH|BASE|SW)@/g, (_, key) => names[key]);
const left = html.match(/@[A-Z_]+@/);
if (left) die(`index.html still has ${left[0]}`);
writeFileSync(path('index.html'), html);

// 3. sw.js.
function walk(d) {
  return readdirSync(d).flatMap((name) => {
    const p = join(d, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
const files = walk(dir)
  .map((p) => relative(dir, p).split('\\').join('/'))
  .filter((f) => f !== 'sw.js' && f !== '404.html')
  .sort()
  .map((f) => [f, sha256(readFileSync(path(f)))]);
const line = /^const PRECACHE = .*$/m;
let sw;
try {
  sw = readFileSync(path('sw.js'), 'utf8');
} catch (_) {
  die('sw.js is not in the build: is public/sw.js copied by index.html?');
}
if (!line.test(sw)) die('sw.js has no PRECACHE line');
if (names.SW === 'off') {
  writeFileSync(
    path('sw.js'),
    `// Development build (OOMLENS_SW=off): no offline copy; this worker removes itself and its caches.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) =>
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key.startsWith('oomlens-')) await caches.delete(key);
      await self.registration.unregister();
    })(),
  ),
);
`,
  );
  console.log(`postbuild: incident module ${moduleHash}, service worker off`);
  process.exit(0);
}
// The version covers the worker's own code too: a deploy that changes only sw.js gets a new cache
// instead of refilling the one in use.
const version = sha256(JSON.stringify(files) + sw).slice(0, 16);
sw = sw.replace(line, `const PRECACHE = ${JSON.stringify({ version, files })};`);
writeFileSync(path('sw.js'), sw);
console.log(`postbuild: incident module ${moduleHash}, ${files.length} files precached, version ${version}`);
