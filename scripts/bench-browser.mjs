#!/usr/bin/env node
// Browser benchmark of the calculator page (issue 5): the time from a keystroke in the node memory
// field to the page being fully updated — scenario rebuilt, model re-evaluated, every chart redrawn,
// every table cell updated and the layout recomputed — on the 110-pod example
// (examples/scenarios/node-110-pods.yaml). Measured inside the page with performance marks; prints
// the median (and p90) over many keystrokes. It is a figure to read, not a timed test.
//
//   node scripts/bench-browser.mjs [--dist dist] [--runs 60] [--stages]
//
// With --stages it also prints the median time of each stage the app measures with
// performance.measure (window.oomlensPerf, see src/widgets/perf.rs): form → scenario, evaluate, each
// chart's SVG string; the rest of a keystroke is Leptos updating the DOM, and style + layout.
//
// The site must be built first (scripts/build.sh for the release figure). Debian's chromium
// ($CHROMIUM, default /usr/bin/chromium) is driven by Playwright, never downloaded.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { args, opt } from './options.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = resolve(process.cwd(), opt('dist', resolve(root, 'dist')));
const runs = Number(opt('runs', '60'));
const port = Number(opt('port', '4391'));
const stages = args.includes('--stages');

const { chromium } = await import(process.env.PLAYWRIGHT_MODULE ?? '@playwright/test');

const server = spawn(process.execPath, [resolve(root, 'scripts/static-server.mjs'), '--dir', dist, '--port', String(port), '--base', '/'], {
  stdio: 'ignore',
});
const stop = () => server.kill();
process.on('exit', stop);

async function waitForServer(url) {
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${url} did not start`);
}

const base = `http://127.0.0.1:${port}/`;
await waitForServer(base);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  if (stages) await page.addInitScript(() => { window.oomlensPerf = true; });
  await page.goto(`${base}#/calculator`);
  await page.getByTestId('examples').selectOption('node-110-pods');
  await page.locator('[data-testid="result-pod"]').nth(109).waitFor();
  const pods = await page.locator('[data-testid="result-pod"]').count();

  const times = await page.evaluate(async (n) => {
    const input = document.querySelector('[data-testid="node.memory"]');
    const alloc = document.querySelector('[data-testid="allocatable"]');
    // A macrotask boundary: runs after every microtask (Leptos effects) queued by the input event.
    const channel = new MessageChannel();
    const nextTask = () => new Promise((r) => {
      channel.port1.onmessage = () => r();
      channel.port2.postMessage(0);
    });
    const out = [];
    const stageRuns = [];
    for (let i = 0; i < n; i++) {
      performance.clearMeasures();
      performance.clearMarks();
      const value = `${60 + (i % 8)}Gi`;
      const before = alloc.dataset.bytes;
      performance.mark('oomlens-key-start');
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await nextTask();
      void document.body.offsetHeight; // style + layout of the updated DOM
      performance.mark('oomlens-key-end');
      const m = performance.measure('oomlens-recompute-redraw', 'oomlens-key-start', 'oomlens-key-end');
      if (alloc.dataset.bytes === before && i > 0) throw new Error(`allocatable did not change for ${value}`);
      out.push(m.duration);
      const st = {};
      for (const e of performance.getEntriesByType('measure')) {
        if (e.name.startsWith('calc:')) st[e.name] = (st[e.name] ?? 0) + e.duration;
      }
      stageRuns.push(st);
      await new Promise((r) => setTimeout(r, 20));
    }
    return { out, stageRuns };
  }, runs);

  const warm = times.out.slice(5).sort((a, b) => a - b);
  const q = (p) => warm[Math.min(warm.length - 1, Math.floor(p * warm.length))];
  console.log(`calculator keystroke → recompute + redraw, ${pods} pods, ${warm.length} runs (5 warm-up dropped)`);
  console.log(`median ${q(0.5).toFixed(2)} ms   p90 ${q(0.9).toFixed(2)} ms   min ${warm[0].toFixed(2)} ms   max ${warm[warm.length - 1].toFixed(2)} ms`);
  if (stages) {
    const runsWarm = times.stageRuns.slice(5);
    const names = [...new Set(runsWarm.flatMap((r) => Object.keys(r)))].sort();
    if (names.length === 0) console.log('no stage measures (a build without src/widgets/perf.rs?)');
    for (const name of names) {
      const v = runsWarm.map((r) => r[name] ?? 0).sort((a, b) => a - b);
      const med = v[Math.floor(v.length / 2)];
      console.log(`  ${name.padEnd(26)} median ${med.toFixed(2)} ms   p90 ${v[Math.min(v.length - 1, Math.floor(0.9 * v.length))].toFixed(2)} ms`);
    }
  }
} finally {
  await browser.close();
  stop();
}
