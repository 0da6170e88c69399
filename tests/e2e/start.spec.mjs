// Where a calculator visit starts, and YAML in the calculator (issue 19). Share links are
// decompressed by the browser's streams, bounded, before the first render. The first load reads
// JSON only, and YAML (share links and stored scenarios written before the app wrote JSON,
// imported files, pasted manifests) is read by the second module (src/bridge). The first render
// waits for an older link to be read, so the default's numbers never show in its place; a module
// that cannot load leaves the link and the stored scenario untouched.
import { test, expect, openApp } from './fixtures.mjs';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
// kubeReserved 1Gi, systemReserved 512Mi, evictionHard 100Mi, as in the default example.
const YAML = [
  'kubeletVersion: "1.34"',
  'node:',
  '  memory: 20Gi',
  '  kubeletConfig:',
  '    kubeReserved: {memory: 1Gi}',
  '    systemReserved: {memory: 512Mi}',
  '    evictionHard: {memory.available: 100Mi}',
  'pods:',
  '  - metadata: {name: legacy, namespace: old}',
  '    spec:',
  '      containers:',
  '        - name: app',
  '          resources: {requests: {memory: 256Mi}}',
  '',
].join('\n');
const ALLOCATABLE = String(20 * GiB - GiB - 512 * MiB - 100 * MiB);
const DEFAULT_ALLOCATABLE = String(16 * GiB - GiB - 512 * MiB - 100 * MiB);

/** A share link payload as the app wrote it before it wrote JSON (raw deflate, base64url). */
const encode = (text) => deflateRawSync(Buffer.from(text), { level: 9 }).toString('base64url');
const decode = (data) => inflateRawSync(Buffer.from(data, 'base64url')).toString();
const incidentModule = /oomlens-incident-[0-9a-f]{16}(_bg\.wasm|\.js)(\?.*)?$/;

/** Records every value the allocatable figure ever shows. */
async function recordAllocatable(page) {
  await page.addInitScript(() => {
    window.__allocatable = [];
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('[data-testid="allocatable"][data-bytes]')) {
        const v = el.getAttribute('data-bytes');
        if (window.__allocatable.at(-1) !== v) window.__allocatable.push(v);
      }
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
}

test('an older YAML share link opens its scenario, never the default first', async ({ page }) => {
  await recordAllocatable(page);
  await openApp(page, `#/calculator?s=${encode(YAML)}`);
  await expect(page.getByTestId('allocatable').first()).toHaveAttribute('data-bytes', ALLOCATABLE);
  await expect(page.locator('[data-testid="result-pod"][data-pod="old/legacy"]')).toBeVisible();
  await expect(page.getByTestId('status')).toContainText('share link');
  expect(await page.evaluate(() => window.__allocatable)).toEqual([ALLOCATABLE]);
  // The link in the address bar is rewritten in the app's JSON form, same scenario.
  await expect.poll(() => decode(new URL(page.url()).hash.split('s=')[1]).startsWith('{')).toBe(true);
  const json = JSON.parse(decode(new URL(page.url()).hash.split('s=')[1]));
  expect(json.node.memory).toBe('20Gi');
  expect(json.pods[0].metadata.name).toBe('legacy');
});

test('a YAML scenario stored by an older version is restored', async ({ page }) => {
  await recordAllocatable(page);
  await page.addInitScript((yaml) => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem('oomlens.calculator.scenario', yaml);
      sessionStorage.setItem('seeded', '1');
    }
  }, YAML);
  await openApp(page, '#/calculator');
  await expect(page.getByTestId('allocatable').first()).toHaveAttribute('data-bytes', ALLOCATABLE);
  expect(await page.evaluate(() => window.__allocatable)).toEqual([ALLOCATABLE]);
  // Saved again as JSON.
  await expect
    .poll(() => page.evaluate(() => localStorage.getItem('oomlens.calculator.scenario')?.startsWith('{')))
    .toBe(true);
});

test('when the YAML reader cannot load, the link and the stored scenario are kept', async ({ page, guard }) => {
  guard.allowResponse(incidentModule);
  guard.allowConsole(/oomlens-incident|Failed to (load|fetch)|404/i);
  await page.route(incidentModule, (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.addInitScript(() => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem('oomlens.calculator.scenario', 'node: {memory: 8Gi}\n');
      sessionStorage.setItem('seeded', '1');
    }
  });
  const data = encode(YAML);
  await openApp(page, `#/calculator?s=${data}`);
  await expect(page.getByTestId('status')).toContainText('could not load');
  await expect(page.getByTestId('allocatable').first()).toHaveAttribute('data-bytes', DEFAULT_ALLOCATABLE);
  await page.waitForTimeout(800); // past the debounced save
  expect(new URL(page.url()).hash).toBe(`#/calculator?s=${data}`);
  expect(await page.evaluate(() => localStorage.getItem('oomlens.calculator.scenario'))).toBe('node: {memory: 8Gi}\n');
  // Edits are not saved either, so a reload can still read both.
  await page.getByTestId('node.memory').fill('24Gi');
  await page.waitForTimeout(800);
  expect(new URL(page.url()).hash).toBe(`#/calculator?s=${data}`);
  expect(await page.evaluate(() => localStorage.getItem('oomlens.calculator.scenario'))).toBe('node: {memory: 8Gi}\n');
});

test('the first render waits for the YAML reader 10 s at most, then says so', async ({ page, guard }) => {
  test.setTimeout(60_000);
  guard.allowResponse(incidentModule);
  // The module's script never answers.
  await page.route(incidentModule, () => {});
  await page.addInitScript(() => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem('oomlens.calculator.scenario', 'node: {memory: 8Gi}\n');
      sessionStorage.setItem('seeded', '1');
    }
  });
  const start = Date.now();
  await openApp(page, '#/calculator').catch(() => {});
  await expect(page.getByTestId('status')).toContainText('within 10 s', { timeout: 20_000 });
  expect(Date.now() - start).toBeLessThan(20_000);
  await expect(page.getByTestId('allocatable').first()).toHaveAttribute('data-bytes', DEFAULT_ALLOCATABLE);
});

test('an example still loading never replaces what the user did meanwhile', async ({ page }) => {
  let release;
  const gate = new Promise((r) => (release = r));
  await page.route(incidentModule, async (route) => {
    await gate;
    await route.continue();
  });
  await page.addInitScript(() => {
    window.requestIdleCallback = () => 0;
  });
  await openApp(page, '#/calculator');
  await expect(page.getByTestId('allocatable').first()).toHaveAttribute('data-bytes', DEFAULT_ALLOCATABLE);
  await page.getByTestId('examples').selectOption('node-110-pods');
  await page.getByTestId('node.memory').fill('20Gi');
  await expect(page.getByTestId('allocatable').first()).toHaveAttribute('data-bytes', ALLOCATABLE);
  release();
  await page.waitForTimeout(1500);
  await expect(page.getByTestId('node.memory')).toHaveValue('20Gi');
  await expect(page.getByTestId('status')).not.toContainText('Example loaded');
});

test('Share says whether the clipboard took the link; the link is shown either way', async ({ page }) => {
  await page.addInitScript(() => {
    navigator.clipboard.writeText = () => Promise.reject(new Error('denied for the test'));
  });
  await openApp(page, '#/calculator');
  await expect(page.getByTestId('allocatable').first()).toHaveAttribute('data-bytes', DEFAULT_ALLOCATABLE);
  await page.getByTestId('share').click();
  await expect(page.getByTestId('status')).toContainText('denied for the test');
  await expect(page.getByTestId('share-link')).toHaveValue(/#\/calculator\?s=/);
});

test('a browser without DecompressionStream says so instead of calling the link damaged', async ({ page }) => {
  await page.addInitScript(() => {
    delete globalThis.DecompressionStream;
  });
  await openApp(page, `#/calculator?s=${encode('{"node":{"memory":"20Gi"}}')}`);
  await expect(page.getByTestId('status')).toContainText('cannot decompress share links');
});

test('a JSON start, a JSON paste and a JSON import need no second module', async ({ page, guard }) => {
  await page.addInitScript(() => {
    window.requestIdleCallback = () => 0; // no idle time: only a need may load the module
  });
  await openApp(page, '#/calculator');
  await expect(page.getByTestId('allocatable').first()).toHaveAttribute('data-bytes', DEFAULT_ALLOCATABLE);
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'json-pod', namespace: 'j' },
    spec: { containers: [{ name: 'c', resources: { requests: { memory: '64Mi' } } }] } };
  await page.getByTestId('pod-paste').fill(JSON.stringify(pod));
  await page.getByTestId('pod-paste-add').click();
  await expect(page.locator('[data-testid="result-pod"][data-pod="j/json-pod"]')).toBeVisible();
  await page.getByTestId('import').setInputFiles({
    name: 'scenario.json', mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ node: { memory: '12Gi' } })),
  });
  await expect(page.getByTestId('status')).toContainText('scenario.json');
  await expect(page.getByTestId('node.memory')).toHaveValue('12Gi');
  expect(guard.requests.filter((u) => incidentModule.test(u))).toEqual([]);
});

test('a YAML import is read by the second module; its error names the line', async ({ page }) => {
  await openApp(page, '#/calculator');
  await expect(page.getByTestId('allocatable').first()).toHaveAttribute('data-bytes', DEFAULT_ALLOCATABLE);
  await page.getByTestId('import').setInputFiles({
    name: 'bad.yaml', mimeType: 'application/yaml',
    buffer: Buffer.from('node:\n  memory: 16Gi\n  colour: red\n'),
  });
  await expect(page.getByTestId('status')).toContainText('line 3');
  await page.getByTestId('import').setInputFiles({ name: 'good.yaml', mimeType: 'application/yaml', buffer: Buffer.from(YAML) });
  await expect(page.getByTestId('allocatable').first()).toHaveAttribute('data-bytes', ALLOCATABLE);
  // The export is YAML that reads back as the same scenario.
  const download = page.waitForEvent('download');
  await page.getByTestId('export-scenario').click();
  const file = await download;
  const text = await new Promise((resolve, reject) => {
    file.createReadStream().then((s) => {
      const parts = [];
      s.on('data', (d) => parts.push(d));
      s.on('end', () => resolve(Buffer.concat(parts).toString()));
      s.on('error', reject);
    });
  });
  expect(text).toContain('memory: 20Gi');
  expect(text).toContain('name: legacy');
  expect(text.trimStart().startsWith('{')).toBe(false);
});

test('a damaged, oversized or non-text link is reported and the default shown', async ({ context }) => {
  const cases = [
    ['AAAA', 'damaged compressed data'],
    [deflateRawSync(Buffer.alloc(5 * 1024 * 1024, 0x20), { level: 9 }).toString('base64url'), 'larger than 4194304 bytes'],
    [deflateRawSync(Buffer.from([0xff, 0xfe, 0x00])).toString('base64url'), 'not UTF-8 text'],
    ['ab$c', 'invalid character at position 2'],
  ];
  for (const [data, reason] of cases) {
    // A page of its own per link (navigating one page away could cancel its favicon request).
    const page = await context.newPage();
    await openApp(page, `#/calculator?s=${data}`);
    await expect(page.getByTestId('status')).toContainText(reason);
    await expect(page.getByTestId('allocatable').first()).toHaveAttribute('data-bytes', DEFAULT_ALLOCATABLE);
  }
});

test('the share button gives a JSON link of the scenario on screen, at once after a change', async ({ page }) => {
  await openApp(page, '#/calculator');
  await expect(page.getByTestId('allocatable').first()).toHaveAttribute('data-bytes', DEFAULT_ALLOCATABLE);
  await page.getByTestId('node.memory').fill('20Gi');
  // Clicked before the change has settled (the link is then made on the click) and after it.
  for (const wait of [0, 700]) {
    await page.waitForTimeout(wait);
    await page.getByTestId('share').click();
    await expect(page.getByTestId('share-link')).toHaveValue(/#\/calculator\?s=/);
    const data = (await page.getByTestId('share-link').inputValue()).split('s=')[1];
    expect(JSON.parse(decode(data)).node.memory).toBe('20Gi');
  }
});
