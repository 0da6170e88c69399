// Screenshots of the built app in the states a reviewer should look at, in English and Chinese, at
// desktop and phone sizes, light theme (and dark for the first state). Not a test: it writes PNGs
// for people to look at (README "Looking at the pages").
//
//   node scripts/screenshots.mjs [--dist dist] [--out screenshots] [--only name,name] [--lang en,zh]
//
// It serves the build itself (scripts/static-server.mjs) on a free loopback port and drives Debian's
// chromium ($CHROMIUM, default /usr/bin/chromium) through Playwright; it downloads nothing.
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const dist = opt('dist', 'dist');
const out = opt('out', 'screenshots');
const only = opt('only', '');
const langs = opt('lang', 'en,zh').split(',');
const root = fileURLToPath(new URL('..', import.meta.url));

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
    name: 'incident-empty',
    route: '#/incident',
  },
  ...['container-limit', 'node-besteffort', 'eviction', 'node-and-pods'].map((id) => ({
    name: `incident-${id}`,
    route: '#/incident',
    act: async (page) => {
      await page.locator(`button.sample[data-sample="${id}"]`).click();
      await page.locator('.status.done').waitFor({ timeout: 20_000 });
    },
  })),
];

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
      for (const size of SIZES) {
        const themes = state.name === 'calculator' && size.name === '1280x720' ? ['light', 'dark'] : ['light'];
        for (const theme of themes) {
          const ctx = await browser.newContext({
            viewport: { width: size.width, height: size.height },
            deviceScaleFactor: 1,
            isMobile: !!size.mobile,
            hasTouch: !!size.mobile,
            locale: lang === 'zh' ? 'zh-CN' : 'en-US',
            colorScheme: theme,
            serviceWorkers: 'block',
          });
          const page = await ctx.newPage();
          await page.goto(`http://127.0.0.1:${port}/${state.route}`);
          await page.locator('main').waitFor();
          await page.waitForTimeout(300);
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
}
