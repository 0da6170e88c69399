#!/usr/bin/env node
// Browser benchmark of the incident page (issue 17): a node journal chosen with the page's file
// picker, from the `change` event to every verdict on screen (the analysis finished, its banners
// and event cards rendered), and the longest main-thread task meanwhile. Each run opens the page
// afresh. It is a figure to read, not a timed test.
//
//   node scripts/bench-incident.mjs --file JOURNAL [--dist dist] [--runs 5]
//
// JOURNAL is e.g. `python3 ../shared/perf/gen_journal.py 50 500 42 /tmp/j50` (a 50 MB node
// journal with 500 OOM reports). The site must be built first (scripts/build.sh). Debian's
// chromium ($CHROMIUM, default /usr/bin/chromium) is driven by Playwright, never downloaded.
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import fs from 'node:fs';
import { startServer } from './static-server.mjs';
import { args, opt } from './options.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = resolve(process.cwd(), opt('dist', resolve(root, 'dist')));
const runs = Number(opt('runs', '5'));
const port = Number(opt('port', '4392'));
const file = opt('file', '');
if (!file || !fs.existsSync(file)) {
  console.error('usage: node scripts/bench-incident.mjs --file JOURNAL [--dist dist] [--runs 5]');
  process.exit(2);
}
const size = fs.statSync(file).size;

const { chromium } = await import(process.env.PLAYWRIGHT_MODULE ?? '@playwright/test');

const server = await startServer({ dir: dist, port, base: '/', host: '127.0.0.1' });
const stop = () => server.close();

const base = `http://127.0.0.1:${port}/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const results = [];
try {
  for (let r = 0; r < runs; r++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${base}#/incident`);
    await page.locator('#incident-input').waitFor();
    const input = page.locator('[data-route="incident"] input[type="file"]');
    // Observers first: the long tasks and the moment the file is chosen.
    await page.evaluate(() => {
      window.__bench = { longTasks: [], t0: null };
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__bench.longTasks.push(e.duration);
      }).observe({ type: 'longtask' });
      document
        .querySelector('[data-route="incident"] input[type="file"]')
        .addEventListener('change', () => { window.__bench.t0 = performance.now(); }, { capture: true });
    });
    await input.setInputFiles(file);
    const handle = await page.waitForFunction(
      () => {
        const status = document.querySelector('[data-route="incident"] .status');
        if (status && status.classList.contains('error')) return { error: status.textContent };
        if (!(status && status.classList.contains('done'))) return false;
        if (!document.querySelector('[data-testid="verdict"]') || !document.querySelector('article.event')) return false;
        return { t1: performance.now(), workerMs: Number(status.dataset.workerMs), status: status.textContent.trim() };
      },
      null,
      { timeout: 120_000, polling: 'raf' },
    );
    const done = await handle.jsonValue();
    if (done.error) throw new Error(`analysis failed: ${done.error}`);
    await page.waitForTimeout(300); // the last frame's tasks land in the observer
    const bench = await page.evaluate(() => window.__bench);
    const verdicts = await page.locator('[data-testid="verdict"]').count();
    results.push({ ms: done.t1 - bench.t0, workerMs: done.workerMs, longest: Math.max(0, ...bench.longTasks), verdicts });
    console.log(
      `run ${r + 1}: ${Math.round(done.t1 - bench.t0)} ms to every verdict (worker ${Math.round(done.workerMs)} ms), ` +
        `longest main-thread task ${Math.round(Math.max(0, ...bench.longTasks))} ms, ${verdicts} verdict banners; ${done.status}`,
    );
    await context.close();
  }
} finally {
  await browser.close();
  stop();
}
const med = (k) => {
  const v = results.map((x) => x[k]).sort((a, b) => a - b);
  return v[Math.floor((v.length - 1) / 2)];
};
console.log(
  `${(size / 1e6).toFixed(1)} MB, ${runs} runs: median ${Math.round(med('ms'))} ms to every verdict, worker ${Math.round(med('workerMs'))} ms, ` +
    `longest main-thread task ${Math.round(med('longest'))} ms`,
);
