// Offline and first load (issue "First load in a blink, then offline"), against the built site,
// for the root and the sub-path build. The service worker (public/sw.js, precache list written by
// scripts/postbuild.mjs) is allowed here; every other spec blocks it.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../scripts/static-server.mjs';
import { test, expect, openApp } from './fixtures.mjs';

test.use({ serviceWorkers: 'allow' });

/** Waits until this page's service worker has installed the build and controls a reload. */
async function installed(page) {
  const state = await page.evaluate(async () => {
    const worker = (await navigator.serviceWorker.ready).active;
    if (worker.state !== 'activated') {
      await new Promise((resolve) =>
        worker.addEventListener('statechange', () => worker.state === 'activated' && resolve()),
      );
    }
    return worker.state;
  });
  expect(state).toBe('activated');
}

const incidentModule = /oomlens-incident-[0-9a-f]{16}(_bg\.wasm|\.js)$/;

test.describe('lazy parts (no service worker, whose precaching would fetch everything)', () => {
  test.use({ serviceWorkers: 'block' });

  test('the calculator loads without the incident module; the incident page loads it', async ({ page, guard }) => {
    // No idle time ever comes: only opening the page may load the module.
    await page.addInitScript(() => {
      window.requestIdleCallback = () => 0;
    });
    await openApp(page);
    await expect(page.getByTestId('allocatable').first()).toBeVisible();
    await page.waitForTimeout(500);
    expect(guard.requests.filter((u) => incidentModule.test(u))).toEqual([]);
    expect(guard.requests.filter((u) => /incident-[0-9a-f]{16}\.css$/.test(u))).toEqual([]);
    await page.getByTestId('nav-incident').click();
    const root = page.locator('[data-route="incident"]');
    await expect(root.locator('#incident-input')).toBeVisible();
    await expect(root.locator('#incident-loading')).toHaveCount(0);
    expect(guard.requests.some((u) => /incident-[0-9a-f]{16}\.css$/.test(u))).toBe(true);
    expect(guard.requests.filter((u) => incidentModule.test(u)).length).toBeGreaterThanOrEqual(2);
    await root.locator('[data-sample="container-limit"]').click();
    await expect(root.locator('.status.done')).toBeVisible();
  });

  test('Chinese is fetched only when chosen, and the switch waits for it', async ({ page, guard }) => {
    await openApp(page);
    await expect(page.getByTestId('allocatable').first()).toBeVisible();
    expect(guard.requests.filter((u) => /zh-[0-9a-f]{16}\.txt$/.test(u))).toEqual([]);
    await page.getByTestId('lang-switch').click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(page.getByTestId('nav-calculator')).toHaveText('计算器');
    expect(guard.requests.filter((u) => /zh-[0-9a-f]{16}\.txt$/.test(u)).length).toBe(1);
    // A visit that starts in Chinese renders Chinese from the first paint, with one fetch.
    await page.reload();
    await expect(page.getByTestId('nav-calculator')).toHaveText('计算器');
    expect(guard.requests.filter((u) => /zh-[0-9a-f]{16}\.txt$/.test(u)).length).toBe(2);
  });
});

test('after one visit, every page and both languages work with the network off', async ({ page, context }) => {
  await openApp(page);
  await expect(page.getByTestId('allocatable').first()).toBeVisible();
  await installed(page);
  // The page's own idle load of the second module (600 KB since it holds training mode) must
  // finish before the network goes: a response still in flight would be counted below as one
  // the reloaded page did not get from the cache.
  await page.waitForLoadState('networkidle');

  await context.setOffline(true);
  const fromCache = [];
  page.on('response', (r) => fromCache.push([r.url(), r.fromServiceWorker()]));
  await page.reload();
  await expect(page.getByTestId('allocatable').first()).toBeVisible();
  expect(fromCache.length).toBeGreaterThan(3);
  expect(fromCache.filter(([, sw]) => !sw)).toEqual([]);

  // The incident page: its module, its stylesheet and its web worker all come from the cache.
  await page.getByTestId('nav-incident').click();
  const root = page.locator('[data-route="incident"]');
  await root.locator('[data-sample="node-besteffort"]').click();
  await expect(root.locator('.status.done')).toBeVisible();
  await expect(root.locator('article.event[data-mechanism="inc.mech.node"]')).toHaveCount(1);

  // Chinese, never fetched online in this visit, comes from the cache too.
  await page.getByTestId('lang-switch').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(root.locator('article.event .mech').first()).toHaveText('节点内存耗尽（内核 OOM）');
  await page.getByTestId('nav-calculator').click();
  await expect(page.getByTestId('nav-calculator')).toHaveText('计算器');

  // Training mode, never opened online: its page and stylesheet come from the cache.
  await page.getByTestId('nav-learn').click();
  await expect(page.locator('.lesson-card').first()).toBeVisible();
  await page.locator('.lesson-card a.button').first().click();
  await expect(page.getByTestId('ask').first()).toBeVisible();
  expect(await page.locator('.learn-bar').evaluate((el) => getComputedStyle(el).display)).toBe('flex');

  // A new tab on a deep link opens offline as well, in the language chosen.
  const tab = await context.newPage();
  await openApp(tab, '#/incident');
  await expect(tab.locator('#incident-input')).toBeVisible();
  await expect(tab.getByTestId('nav-calculator')).toHaveText('计算器');
  await openApp(tab, '#/learn?lesson=memory-qos&step=2');
  await expect(tab.locator('article.learn-lesson')).toHaveAttribute('data-step', '2');
  await tab.close();
  await context.setOffline(false);
});

// A deploy is simulated on a copy of the site served by this worker process, whose files the test
// may change (the shared build must not move under other tests).
test.describe('deploys', () => {
  // TEST_PARALLEL_INDEX stays below the worker count (TEST_WORKER_INDEX grows when a worker restarts).
  const port = 4180 + Number(process.env.TEST_PARALLEL_INDEX ?? 0);
  let site;
  let server;
  test.use({ baseURL: `http://127.0.0.1:${port}/` });
  test.beforeEach(async ({}, info) => {
    test.skip(info.project.name !== 'root', 'one copy of the root build is enough');
    site = mkdtempSync(join(tmpdir(), 'oomlens-site-'));
    cpSync(process.env.E2E_DIST_ROOT ?? 'dist', site, { recursive: true });
    server = await startServer({ dir: site, port, base: '/', host: '127.0.0.1' });
  });
  test.afterEach(async () => {
    if (!server) return; // skipped
    await new Promise((resolve) => server.close(resolve));
    rmSync(site, { recursive: true, force: true });
    server = undefined;
  });
  /** Rewrites the site's sw.js as the next deploy's (its precache list differs, as every build's does). */
  const deploy = (edit) => {
    const path = join(site, 'sw.js');
    writeFileSync(path, edit(readFileSync(path, 'utf8')));
  };

  test('a new deploy is installed in the background and offered as a reload', async ({ page }) => {
    await openApp(page);
    await installed(page);
    // The next visit finds a new deploy: it is served by the old build, installs the new one.
    deploy((sw) => sw.replace(/"version":"([0-9a-f]+)"/, '"version":"next$1"'));
    await page.reload();
    await expect(page.getByTestId('allocatable').first()).toBeVisible();
    const notice = page.locator('#update');
    await expect(notice).toBeVisible();
    await expect(notice).toHaveAttribute('role', 'status');
    await expect(notice).toContainText('A new version is available');
    expect((await page.evaluate(() => caches.keys())).some((k) => /^oomlens-\/-next[0-9a-f]+$/.test(k))).toBe(true);
    await notice.getByRole('button', { name: 'Reload' }).click();
    await expect(page.getByTestId('allocatable').first()).toBeVisible();
    await expect(page.locator('#update')).toHaveCount(0);
    // The page now runs under the new worker, whose cache is the new build's.
    const active = await page.evaluate(async () => (await navigator.serviceWorker.ready).active.scriptURL);
    expect(active).toMatch(/sw\.js$/);
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.state)).toBe('activated');
  });

  test('a build whose files do not match its list is never installed (no mix of two builds)', async ({ page, context, guard }) => {
    await openApp(page);
    await installed(page);
    await page.reload();
    const before = await page.evaluate(() => caches.keys());
    // A deploy caught half-way: the new list names a worker script that is not the one served.
    deploy((sw) =>
      sw
        .replace(/"version":"([0-9a-f]+)"/, '"version":"half$1"')
        .replace(/("worker-[0-9a-f]{16}\.js",")[0-9a-f]{64}"/, `$1${'0'.repeat(64)}"`),
    );
    guard.allowConsole(/not this build's file|install/i);
    const outcome = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      await reg.update().catch(() => {});
      const w = reg.installing;
      if (!w) return 'no install';
      if (w.state === 'redundant') return w.state;
      return new Promise((resolve) => {
        w.addEventListener('statechange', () => {
          if (w.state === 'redundant' || w.state === 'activated') resolve(w.state);
        });
      });
    });
    expect(outcome).toBe('redundant');
    expect(await page.evaluate(() => caches.keys())).toEqual(before);
    await expect(page.locator('#update')).toHaveCount(0);
    // The page still runs, offline too, on the build it had.
    await context.setOffline(true);
    await page.reload();
    await expect(page.getByTestId('allocatable').first()).toBeVisible();
    await context.setOffline(false);
  });
});
