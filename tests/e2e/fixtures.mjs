// The end-to-end harness every spec imports instead of '@playwright/test':
//   import { test, expect } from './fixtures.mjs';
// An automatic `guard` fixture records, for the whole browser context of each test:
//   - every request (it must stay on the page's own origin and under the site's base path),
//   - console errors and uncaught page errors,
//   - Content-Security-Policy violations (`securitypolicyviolation` events, reported through a
//     binding so none is lost across navigations, and console messages about the policy),
//   - failed requests (except the idle fetch of the incident module, or the browser's favicon
//     fetch, cancelled by a navigation)
//     and HTTP responses >= 400,
// and fails the test if any was seen. A test that provokes one on purpose says so first with
// guard.allowConsole(/re/), guard.allowResponse(/re/) or guard.allowCsp(/re/) (never for requests).
import { test as base, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export { expect };

/** The repository root (the CLI runs from there, as in the README). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const CSP_TEXT = /content[- ]security[- ]policy/i;

class Guard {
  constructor(baseURL) {
    const url = new URL(baseURL);
    this.origin = url.origin;
    this.basePath = url.pathname;
    this.requests = [];
    this.consoleErrors = [];
    this.pageErrors = [];
    this.csp = [];
    this.failedRequests = [];
    this.badResponses = [];
    this.allowed = { console: [], response: [], csp: [] };
  }

  /** Tolerates console errors matching `re` in this test. */
  allowConsole(re) {
    this.allowed.console.push(re);
  }

  /** Tolerates HTTP error responses whose "status url" matches `re` in this test. */
  allowResponse(re) {
    this.allowed.response.push(re);
  }

  /** Tolerates CSP violations whose description matches `re` in this test. */
  allowCsp(re) {
    this.allowed.csp.push(re);
  }

  /** Requests that left the origin or the base path. */
  foreignRequests() {
    return this.requests.filter((u) => {
      let url;
      try {
        url = new URL(u);
      } catch {
        return true;
      }
      return url.origin !== this.origin || !url.pathname.startsWith(this.basePath);
    });
  }

  problems() {
    const keep = (list, res) => list.filter((s) => !res.some((re) => re.test(s)));
    const out = [];
    const add = (what, list) => list.length && out.push(`${what}:\n    ${list.join('\n    ')}`);
    add(`requests outside ${this.origin}${this.basePath}`, this.foreignRequests());
    add('CSP violations', keep(this.csp, this.allowed.csp));
    add('console errors', keep(this.consoleErrors, [...this.allowed.console, ...this.allowed.csp]));
    add('uncaught page errors', this.pageErrors);
    add('failed requests', this.failedRequests);
    add('HTTP error responses', keep(this.badResponses, this.allowed.response));
    return out;
  }
}

/** Waits until every binding call and console event already sent by the pages has arrived. */
export async function settle(context) {
  for (const p of context.pages()) {
    if (!p.isClosed()) await p.evaluate(() => new Promise((r) => setTimeout(r, 50))).catch(() => {});
  }
}

export const test = base.extend({
  guard: [
    // Depends on `page` so that it is torn down first, while the page can still be settled.
    async ({ context, page, baseURL }, use) => {
      const g = new Guard(baseURL);
      await context.exposeBinding('__oomlensCspViolation', (_source, v) => {
        g.csp.push(`${v.directive} blocked ${v.blocked || '(inline)'} at ${v.source}:${v.line} ${v.sample}`);
      });
      await context.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          window.__oomlensCspViolation({
            directive: e.effectiveDirective || e.violatedDirective,
            blocked: e.blockedURI,
            source: e.sourceFile,
            line: e.lineNumber,
            sample: e.sample,
          });
        });
      });
      context.on('request', (r) => g.requests.push(r.url()));
      context.on('requestfailed', (r) => {
        const error = r.failure()?.errorText;
        // The incident module is fetched on idle after the calculator is ready; a reload or a
        // navigation in the meantime cancels that fetch, which is no fault of the page.
        if (error === 'net::ERR_ABORTED' && /\/oomlens-incident-[0-9a-f]{16}(_bg\.wasm|\.js)(\?retry=\d+)?$/.test(r.url())) return;
        // The favicon is the browser's own request, not the page's; a reload or the end of the
        // test while it is in flight cancels it.
        if (error === 'net::ERR_ABORTED' && /\/favicon-[0-9a-f]{16}\.svg$/.test(r.url())) return;
        g.failedRequests.push(`${r.url()} (${error})`);
      });
      context.on('response', (r) => r.status() >= 400 && g.badResponses.push(`${r.status()} ${r.url()}`));
      context.on('console', (m) => {
        const text = `${m.text()} [${m.location().url}:${m.location().lineNumber}]`;
        if (CSP_TEXT.test(m.text())) g.csp.push(`console ${m.type()}: ${text}`);
        if (m.type() === 'error') g.consoleErrors.push(text);
      });
      context.on('weberror', (e) => g.pageErrors.push(String(e.error()?.stack ?? e.error())));

      await use(g);

      await settle(context);
      const problems = g.problems();
      expect(problems, `the page did something the app forbids:\n${problems.join('\n')}`).toEqual([]);
    },
    { auto: true },
  ],
});

let expectedAllocatable;
/**
 * node.allocatable_bytes of examples/scenarios/default.yaml as the native CLI computes it
 * (`oomlens calc … --format json`): the page must show the very same number.
 */
export function expectedAllocatableBytes() {
  if (expectedAllocatable !== undefined) return expectedAllocatable;
  const cli = process.env.OOMLENS_CLI ?? `${REPO_ROOT}target/release/oomlens`;
  const args = ['calc', 'examples/scenarios/default.yaml', '--format', 'json'];
  let out;
  try {
    out = execFileSync(cli, args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    throw new Error(`${cli} ${args.join(' ')} failed (${err.status ?? err.code}): ${err.stderr ?? err.message}`);
  }
  const bytes = JSON.parse(out)?.node?.allocatable_bytes;
  if (!Number.isSafeInteger(bytes) || bytes < 0) {
    throw new Error(`the CLI's JSON has no exact node.allocatable_bytes: ${JSON.stringify(bytes)}`);
  }
  expectedAllocatable = bytes;
  return bytes;
}

/** Opens the app at `route` (relative to the site's base, e.g. '#/incident') and waits for the shell. */
export async function openApp(page, route = '') {
  const response = await page.goto(`./${route}`);
  await expect(page.getByTestId('app-header')).toBeVisible();
  return response;
}
