#!/usr/bin/env node
// First-load benchmark (a measurement, not a test): serves each built site gzip-compressed on
// loopback (scripts/static-server.mjs --gzip 1), loads it in chromium with the network emulated
// through the Chrome DevTools Protocol, and prints medians of N runs (default 5):
//   ready     navigation start → the boot notice is gone and the calculator's allocatable is on
//             screen, on a first visit (empty cache) and on a later visit (the service worker's);
//   incident  a click on "Incident" → the paste area is on screen, the first time the page is
//             opened (right after the calculator is ready, and via a deep link #/incident).
// Several sites are measured interleaved (run 1 of each, run 2 of each, …), so a before/after
// comparison shares the machine's state.
//
//   node scripts/bench-load.mjs [--runs 5] DIR [DIR…]
import { chromium } from '@playwright/test';
import { resolve } from 'node:path';
import { startServer } from './static-server.mjs';

const args = process.argv.slice(2);
let runs = 5;
const dirs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') runs = Number(args[++i]);
  else dirs.push(resolve(args[i]));
}
if (!dirs.length || !(runs > 0)) {
  console.error('usage: bench-load.mjs [--runs N] DIR [DIR…]');
  process.exit(2);
}

// Emulated networks: bytes/s and one-way-added latency, as DevTools applies them per request.
const NETWORKS = [
  { name: 'loopback', latency: 0, down: -1, up: -1 },
  { name: '10 Mbit/s, 40 ms', latency: 40, down: (10e6 / 8) | 0, up: (5e6 / 8) | 0 },
  { name: '1.6 Mbit/s, 150 ms', latency: 150, down: (1.6e6 / 8) | 0, up: (750e3 / 8) | 0 },
];

// Recorded inside the page (performance.now(), ms since navigation start) by a MutationObserver,
// so the figures carry no round trip to the test driver: __ready when the boot notice is gone and
// allocatable is on screen; __incidentClick / __incidentReady when "Incident" is clicked and when
// its paste area is in a shown page.
function recordMilestones() {
  const incidentShown = () => {
    const input = document.getElementById('incident-input');
    const route = input && input.closest('[data-route]');
    return !!route && !route.hidden;
  };
  document.addEventListener(
    'click',
    (e) => {
      if (e.target.closest && e.target.closest('[data-testid="nav-incident"]')) {
        window.__incidentClick = performance.now();
      }
    },
    true,
  );
  new MutationObserver(() => {
    const now = performance.now();
    if (window.__ready === undefined && !document.getElementById('boot') && document.querySelector('[data-testid="allocatable"]')) {
      window.__ready = now;
    }
    if (window.__incidentReady === undefined && incidentShown()) window.__incidentReady = now;
  }).observe(document, { childList: true, subtree: true, attributes: true });
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'],
});
const servers = await Promise.all(dirs.map((dir) => startServer({ dir, port: 0, base: '/', host: '127.0.0.1', gzip: true })));
const urls = servers.map((s) => `http://127.0.0.1:${s.address().port}/`);

async function context(net) {
  const ctx = await browser.newContext({ bypassCSP: true, serviceWorkers: 'allow', viewport: { width: 1280, height: 720 } });
  await ctx.addInitScript(recordMilestones);
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: net.latency,
    downloadThroughput: net.down,
    uploadThroughput: net.up,
  });
  return { ctx, page };
}

const milestone = (page, name) =>
  page.waitForFunction((n) => window[n], name, { timeout: 60_000 }).then((h) => h.jsonValue());

/** ms from navigation start to ready. */
async function load(page, url) {
  await page.goto(url, { waitUntil: 'commit' });
  return milestone(page, '__ready');
}

/** ms from the click on "Incident" to its paste area on screen. */
async function openIncident(page) {
  await page.getByTestId('nav-incident').click();
  const ready = await milestone(page, '__incidentReady');
  return ready - (await milestone(page, '__incidentClick'));
}

const results = dirs.map(() => ({}));
const push = (i, key, v) => (results[i][key] ??= []).push(v);

for (let r = 0; r < runs; r++) {
  for (const net of NETWORKS) {
    for (let i = 0; i < dirs.length; i++) {
      const { ctx, page } = await context(net);
      push(i, `first ${net.name}`, await load(page, urls[i]));
      if (net.name === 'loopback') push(i, 'incident opened after ready (loopback)', await openIncident(page));
      // The service worker installs after the first load; the next visit is served from it.
      // (A build without one, as before this benchmark existed, refetches everything: the server
      // sends no-store, as the e2e server does; GitHub Pages would allow a 10-minute HTTP cache.)
      await page.evaluate(async () => {
        for (let t = 0; t < 40; t++) {
          if (await navigator.serviceWorker.getRegistration()) return navigator.serviceWorker.ready;
          await new Promise((r) => setTimeout(r, 50));
        }
      });
      push(i, `later ${net.name}`, await load(page, urls[i]));
      await ctx.close();
    }
  }
  for (let i = 0; i < dirs.length; i++) {
    const { ctx, page } = await context(NETWORKS[0]);
    await page.goto(`${urls[i]}#/incident`, { waitUntil: 'commit' });
    push(i, 'incident deep link (loopback)', await milestone(page, '__incidentReady'));
    await ctx.close();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const keys = Object.keys(results[0]);
const width = Math.max(...keys.map((k) => k.length));
console.log(`Load times, median of ${runs} (ms); sites: ${dirs.map((d, i) => `[${i + 1}] ${d}`).join(', ')}`);
console.log(`${'measure'.padEnd(width)} | ${dirs.map((_, i) => `[${i + 1}]`.padStart(8)).join(' | ')}`);
for (const k of keys) {
  console.log(`${k.padEnd(width)} | ${results.map((res) => String(Math.round(median(res[k]))).padStart(8)).join(' | ')}`);
}
await browser.close();
for (const s of servers) s.close();
