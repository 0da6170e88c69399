// The service worker: after one visit, the whole app (both pages, both languages, the built-in
// samples) works with the network off, and later visits start from the cache.
//
// scripts/postbuild.mjs replaces the PRECACHE line below with every file of the build and its
// SHA-256, so this file changes with every deploy and the browser installs the new worker. The
// worker fills a cache of its own (`oomlens-<version>`) and checks each file's digest: a deploy
// still in progress (a file of another build) fails the install, and the next visit retries. So a
// cache holds exactly one build, and the page is always served from one cache.
const PRECACHE = { version: 'dev', files: [] }; // replaced by scripts/postbuild.mjs
const scope = () => self.registration.scope;
// Caches are named after the site's path and the build, so two sites on one origin (a root build
// and a sub-path one) never delete each other's.
const PREFIX = `oomlens-${new URL(scope()).pathname}-`;
const CACHE = `${PREFIX}${PRECACHE.version}`;

const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      for (const [path, digest] of PRECACHE.files) {
        const url = new URL(path, scope()).href;
        // The HTTP cache may answer (the page just loaded these files): the digest decides.
        const response = await fetch(url);
        if (response.redirected) throw new Error(`${path}: redirected`);
        if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
        const body = await response.clone().arrayBuffer();
        if (hex(await crypto.subtle.digest('SHA-256', body)) !== digest) {
          throw new Error(`${path}: not this build's file (a deploy in progress?)`);
        }
        await cache.put(url, response);
      }
      await self.skipWaiting();
    })().catch(async (err) => {
      await caches.delete(CACHE);
      throw err;
    }),
  );
});

// Keeps this build's cache and the one before it (a tab still open on the previous build can load
// its incident module from there); deletes older ones.
self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const ours = (await caches.keys()).filter((k) => k.startsWith(PREFIX) && k !== CACHE);
      const keep = ours.slice(-1);
      await Promise.all(ours.filter((k) => !keep.includes(k)).map((k) => caches.delete(k)));
    })(),
  );
});

// Cache first for the app's own files; a navigation anywhere under the scope gets this build's
// index.html (routes are fragments; deep paths are what 404.html answers on the host).
self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.href.startsWith(scope())) return;
  event.respondWith(
    (async () => {
      // caches.match with a cacheName never creates the cache (caches.open would, empty).
      const hit =
        request.mode === 'navigate'
          ? await caches.match(new URL('index.html', scope()).href, { cacheName: CACHE })
          : (await caches.match(request, { cacheName: CACHE })) || (await caches.match(request));
      return hit || fetch(request);
    })(),
  );
});
