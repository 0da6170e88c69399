// Playwright configuration for the oomlens end-to-end suite (tests/e2e). Run it through
// scripts/test.sh, which builds the site twice and sets the environment below; by hand:
//   scripts/build.sh --dist dist && scripts/build.sh --dist dist-subpath --public-url /oomlens/
//   E2E_DIST_ROOT=dist E2E_DIST_SUBPATH=dist-subpath npx playwright test
//
// The browser is Debian's chromium ($CHROMIUM, default /usr/bin/chromium): Playwright never downloads
// one. Two projects:
//   root     every spec, against the build served at http://127.0.0.1:<port>/
//   subpath  the foundation and offline specs, against the build made with --public-url /oomlens/ and served
//            only under /oomlens/ (anything outside it is a 404), as on GitHub Pages.
import { defineConfig } from '@playwright/test';

const env = process.env;
const portRoot = Number(env.E2E_PORT_ROOT ?? 4173);
const portSub = Number(env.E2E_PORT_SUBPATH ?? 4174);
const subpath = env.E2E_SUBPATH ?? '/oomlens/';
const distRoot = env.E2E_DIST_ROOT ?? 'dist';
const distSub = env.E2E_DIST_SUBPATH ?? 'dist-subpath';

const server = (dir, port, base) => ({
  command: `node scripts/static-server.mjs --dir "${dir}" --port ${port} --base ${base}`,
  url: `http://127.0.0.1:${port}${base}`,
  reuseExistingServer: false,
  timeout: 30_000,
  stdout: 'ignore',
  stderr: 'pipe',
});

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.mjs',
  outputDir: 'test-results',
  fullyParallel: true,
  forbidOnly: !!env.CI,
  retries: 0,
  workers: Number(env.E2E_WORKERS ?? 2),
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    locale: 'en-US',
    colorScheme: 'light',
    serviceWorkers: 'block',
    trace: 'off',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'root', grepInvert: /@timing/, use: { baseURL: `http://127.0.0.1:${portRoot}/` } },
    {
      name: 'subpath',
      testMatch: ['**/foundation.spec.mjs', '**/offline.spec.mjs'],
      use: { baseURL: `http://127.0.0.1:${portSub}${subpath}` },
    },
    // Responsiveness measurements (no main-thread task over 200 ms during a large paste) run last,
    // one at a time, after every other test: on a 2-core machine a parallel test would otherwise
    // compete for the CPU and the figure would measure the machine, not the page.
    {
      name: 'timing',
      grep: /@timing/,
      dependencies: ['root', 'subpath'],
      fullyParallel: false,
      use: { baseURL: `http://127.0.0.1:${portRoot}/` },
    },
  ],
  webServer: [server(distRoot, portRoot, '/'), server(distSub, portSub, subpath)],
});
