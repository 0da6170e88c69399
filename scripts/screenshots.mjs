// Screenshots of the built app in the states a reviewer should look at, in English and Chinese, at
// desktop and phone sizes, light theme (and dark for the first state). Not a test: it writes PNGs
// for people to look at (README "Looking at the pages").
//
//   node scripts/screenshots.mjs [--dist dist] [--out screenshots] [--only name,name] [--lang en,zh]
//     [--sizes 1280x720,phone] [--lessons]
//
// It serves the build itself (scripts/static-server.mjs) on a free loopback port and drives Debian's
// chromium ($CHROMIUM, default /usr/bin/chromium) through Playwright; it downloads nothing.
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { deflateRawSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { args, opt } from './options.mjs';

const dist = opt('dist', 'dist');
const out = opt('out', 'screenshots');
const only = opt('only', '');
const langs = opt('lang', 'en,zh').split(',');
const sizes = opt('sizes', '1280x720,phone').split(',');
const root = fileURLToPath(new URL('..', import.meta.url));

// Pastes `text` into the incident page as a user's paste, then waits for the analysis.
async function pasteIncident(page, text) {
  await page.locator('#incident-input').waitFor();
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    const el = document.querySelector('#incident-input');
    el.focus();
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);
  await page.locator('.status.done').waitFor({ timeout: 20_000 });
}

const SIZES = [
  { name: '1280x720', width: 1280, height: 720 },
  { name: 'phone', width: 390, height: 844, mobile: true },
];

/** On a phone the results are a tab: open it (nothing to do on wide screens). */
async function showResults(page) {
  const tab = page.getByTestId('tab-results');
  if (await tab.isVisible()) await tab.click();
}

/** The states: a name, the route, and what to do once the page is ready. */
export const STATES = [
  { name: 'calculator', route: '#/calculator' },
  { name: 'calculator-strip', route: '#/calculator', act: showResults },
  {
    name: 'calculator-preset',
    route: '#/calculator',
    act: async (page) => {
      await page.getByTestId('node.preset').selectOption('gke');
    },
  },
  {
    name: 'calculator-invalid',
    route: '#/calculator',
    act: async (page) => {
      await page.getByTestId('node.memory').fill('16Gx');
      await page.getByTestId('pod-name').first().fill('');
      await showResults(page);
      await page.getByTestId('error-summary').scrollIntoViewIfNeeded();
    },
  },
  {
    name: 'calculator-paste-clash',
    route: '#/calculator',
    act: async (page) => {
      const name = await page.getByTestId('pod-name').first().inputValue();
      const ns = await page.getByTestId('pod-namespace').first().inputValue();
      await page.getByTestId('pod-paste').fill(`apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: {containers: [{name: app}]}\n`);
      await page.getByTestId('pod-paste-add').click();
      await page.getByTestId('pod-paste-status').scrollIntoViewIfNeeded();
    },
  },
  {
    name: 'calculator-results',
    route: '#/calculator',
    act: async (page) => {
      await showResults(page);
      await page.getByTestId('pods-results').scrollIntoViewIfNeeded();
    },
  },
  {
    name: 'calculator-example',
    route: '#/calculator',
    // An example other than the default, which the second module supplies.
    act: async (page) => {
      await page.getByTestId('examples').selectOption('burstable-over-request');
      await page.getByTestId('status').filter({ hasText: /burstable|Burstable|突发/ }).waitFor();
    },
  },
  {
    name: 'calculator-link-damaged',
    route: '#/calculator?s=AAAA',
  },
  {
    // A share link written before the app wrote JSON, when the module that reads YAML cannot load:
    // the status says why, and the link and the stored scenario are kept.
    name: 'calculator-link-yaml-unreadable',
    route: `#/calculator?s=${deflateRawSync(Buffer.from('node:\n  memory: 20Gi\n')).toString('base64url')}`,
    before: (page) => page.route(/oomlens-incident-[0-9a-f]+(_bg\.wasm|\.js)/, (r) => r.fulfill({ status: 404, body: '' })),
  },
  {
    name: 'incident-loading',
    route: '#/incident',
    // The incident module never arrives: the shell's notice stays.
    before: (page) => page.route(/oomlens-incident-[0-9a-f]+\.js$/, () => {}),
    wait: '#incident-loading',
  },
  {
    name: 'incident-empty',
    route: '#/incident',
  },
  ...['container-limit', 'node-besteffort', 'eviction', 'node-and-pods'].map((id) => ({
    name: `incident-${id}`,
    route: '#/incident',
    act: async (page) => {
      await page.locator('#incident-input').waitFor();
      await page.locator(`button.sample[data-sample="${id}"]`).click();
      await page.locator('.status.done').waitFor({ timeout: 20_000 });
    },
  })),
  {
    // An OOM storm: one container's process killed 2,000 times, grouped into one verdict.
    name: 'incident-storm',
    route: '#/incident',
    act: async (page) => {
      const lines = [];
      for (let i = 0; i < 2000; i++) {
        lines.push(`[${1000 + i}.000001] Memory cgroup out of memory: Killed process ${5000 + i} (java) total-vm:100kB, anon-rss:50kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:984`);
      }
      await pasteIncident(page, `${lines.join('\n')}\n`);
    },
  },
  {
    // Sections of `kubectl describe node` pasted without their header (a MemoryPressure row,
    // Capacity/Allocatable with huge pages) and kubelet failing to load its configuration: real
    // pastes from crates/oomlens-core/tests/fixtures/k8s.
    name: 'incident-node-fragments',
    route: '#/incident',
    act: async (page) => {
      const fixture = (f) => readFileSync(join(root, 'crates/oomlens-core/tests/fixtures/k8s', f), 'utf8');
      await pasteIncident(page, [
        'describe_node_condition_k8s_107899.txt',
        'describe_node_hugepages_k8s_64691.txt',
        'kubelet_load_failure_opsnull_458.txt',
      ].map(fixture).join('\n'));
    },
  },
  {
    name: 'calculator-compare',
    route: '#/calculator',
    act: async (page) => {
      await showResults(page);
      await page.getByTestId('examples').selectOption('sidecar-tiny-request');
      await page.getByTestId('compare-with').selectOption('1.31');
      await page.getByTestId('compare-lines').scrollIntoViewIfNeeded();
    },
  },
  { name: 'learn-catalogue', route: '#/learn', wait: '.lesson-list' },
  // A step that asks, before an answer (the reveal locked), then after a wrong answer is checked.
  { name: 'learn-ask', route: '#/learn?lesson=limit-is-a-wall&step=3', wait: '[data-testid="ask"]' },
  {
    name: 'learn-answered',
    route: '#/learn?lesson=limit-is-a-wall&step=3',
    wait: '[data-testid="ask"]',
    act: async (page) => {
      await page.locator('.choice input').first().check();
      await page.getByTestId('check').click();
      await page.getByTestId('answer').waitFor();
    },
  },
  {
    name: 'learn-presenter',
    route: '#/learn?lesson=limit-is-a-wall&step=5',
    wait: '[data-testid="ask"]',
    act: async (page) => {
      await page.keyboard.press('p');
      await page.getByTestId('reveal-room').click();
      await page.getByTestId('answer').waitFor();
    },
  },
  { name: 'learn-handout', route: '#/learn?lesson=eviction-order-is-not-qos-order&handout=1', wait: '[data-testid="handout"]' },
  {
    name: 'learn-changes',
    route: '#/learn?lesson=sidecar-dies-first&step=4',
    wait: '.learn-numbers',
  },
  {
    name: 'update-available',
    route: '#/calculator',
    // A new deploy found on this visit: the service worker installs it and the page offers a reload.
    deploy: true,
  },
];

// `--lessons`: every step of every lesson answered for the room in presenter mode, and every
// handout as printed (a reviewer's pass over the whole catalogue; ~100 states).
if (args.includes('--lessons')) {
  const dir = join(root, 'examples/lessons');
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const id = f.replace(/\.yaml$/, '');
    const steps = (readFileSync(join(dir, f), 'utf8').match(/^  - title:/gm) ?? []).length;
    for (let n = 1; n <= steps; n += 1) {
      STATES.push({
        name: `lesson-${id}-${n}`,
        route: `#/learn?lesson=${id}&step=${n}`,
        wait: 'article.learn-lesson',
        act: async (page) => {
          await page.keyboard.press('p');
          const reveal = page.getByTestId('reveal-room');
          if (await reveal.count()) {
            await reveal.click();
            await page.getByTestId('answer').waitFor();
          }
        },
      });
    }
    STATES.push({
      name: `lesson-${id}-handout-print`,
      route: `#/learn?lesson=${id}&handout=1`,
      wait: '[data-testid="handout"]',
      act: async (page) => page.emulateMedia({ media: 'print' }),
    });
  }
}

for (const st of STATES) {
  if (st.route === '#/incident' && !st.wait) st.wait = '#incident-input';
}

async function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const port = await freePort();
const server = spawn('node', [`${root}/scripts/static-server.mjs`, '--dir', dist, '--port', String(port), '--base', '/'], {
  stdio: 'ignore',
});
// A copy of the site whose sw.js the "deploy" states rewrite (the next build's worker).
const copy = mkdtempSync(join(tmpdir(), 'oomlens-shots-'));
cpSync(dist, copy, { recursive: true });
const swPath = join(copy, 'sw.js');
const swText = readFileSync(swPath, 'utf8');
const copyPort = await freePort();
const copyServer = spawn('node', [`${root}/scripts/static-server.mjs`, '--dir', copy, '--port', String(copyPort), '--base', '/'], {
  stdio: 'ignore',
});
try {
  await new Promise((r) => setTimeout(r, 500));
  mkdirSync(out, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  const wanted = only ? only.split(',') : null;
  for (const state of STATES.filter((s) => !wanted || wanted.includes(s.name))) {
    for (const lang of langs) {
      for (const size of SIZES.filter((z) => sizes.includes(z.name))) {
        const themes = state.name === 'calculator' && size.name === '1280x720' ? ['light', 'dark'] : ['light'];
        for (const theme of themes) {
          const ctx = await browser.newContext({
            viewport: { width: size.width, height: size.height },
            deviceScaleFactor: 1,
            isMobile: !!size.mobile,
            hasTouch: !!size.mobile,
            locale: lang === 'zh' ? 'zh-CN' : 'en-US',
            colorScheme: theme,
            serviceWorkers: state.deploy ? 'allow' : 'block',
          });
          const page = await ctx.newPage();
          if (state.before) await state.before(page);
          if (state.deploy) writeFileSync(swPath, swText);
          const origin = `http://127.0.0.1:${state.deploy ? copyPort : port}/`;
          await page.goto(`${origin}${state.route}`);
          await page.locator('main').waitFor();
          if (state.wait) await page.locator(state.wait).waitFor();
          await page.waitForTimeout(300);
          if (state.deploy) {
            await page.evaluate(async () => navigator.serviceWorker.ready);
            await page.reload();
            await page.locator('main').waitFor();
            writeFileSync(swPath, swText.replace(/"version":"/, '"version":"next'));
            await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
            await page.locator('#update').waitFor({ timeout: 20_000 });
          }
          if (state.act) await state.act(page);
          await page.waitForTimeout(300);
          const file = `${out}/${state.name}-${lang}-${size.name}${theme === 'dark' ? '-dark' : ''}.png`;
          await page.screenshot({ path: file, fullPage: false });
          await page.screenshot({ path: file.replace('.png', '-full.png'), fullPage: true });
          console.log(file);
          await ctx.close();
        }
      }
    }
  }
  await browser.close();
} finally {
  server.kill();
  copyServer.kill();
  rmSync(copy, { recursive: true, force: true });
}
