// Keyboard, screen readers and phones (issue 16): axe-core on both pages in the states people
// reach (an analysed incident with a term explained, invalid calculator input, the phone results
// tab), one h1 per page, focus returning to what opened the "why" panel, and the phone layout.
import { test, expect, openApp } from './fixtures.mjs';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));

/** axe violations of moderate impact or worse on the whole document, as readable lines. */
async function axeViolations(page) {
  await page.addScriptTag({ path: AXE });
  const results = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ['violations'] }),
  );
  return results.violations
    .filter((v) => v.impact !== 'minor')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

const STATES = [
  ['calculator', '#/calculator', async () => {}],
  ['calculator with invalid input', '#/calculator', async (page) => {
    await page.getByTestId('node.memory').fill('16Gx');
    await expect(page.getByTestId('error-summary')).toBeVisible();
  }],
  ['incident, empty', '#/incident', async () => {}],
  ['training, the catalogue', '#/learn', async () => {}],
  ['training, a step that asks', '#/learn?lesson=limit-is-a-wall&step=3', async () => {}],
  ['training, an answer revealed', '#/learn?lesson=eviction-order-is-not-qos-order&step=1', async (page) => {
    await page.locator('.choice input').first().check();
    await page.getByTestId('check').click();
    await expect(page.getByTestId('answer')).toBeVisible();
  }],
  ['training, a handout', '#/learn?lesson=memory-qos&handout=1', async () => {}],
  ['training, presenter mode with an answer', '#/learn?lesson=sidecar-dies-first&step=2', async (page) => {
    await page.getByTestId('ask').waitFor();
    await page.keyboard.press('p');
    await page.getByTestId('reveal-room').click();
    await expect(page.getByTestId('answer')).toBeVisible();
  }],
  ...['container-limit', 'node-besteffort', 'eviction', 'memory-stat', 'node-and-pods'].map((id) => [
    `incident, sample ${id} analysed, a term explained`,
    '#/incident',
    async (page) => {
      await page.locator(`button.sample[data-sample="${id}"]`).click();
      await expect(page.locator('.status.done')).toBeVisible();
      const term = page.locator('.term-btn').first();
      if (await term.count()) await term.click();
    },
  ]),
];

for (const [lang, theme] of [['en', 'light'], ['zh', 'dark']]) {
  test.describe(`axe (${lang}, ${theme})`, () => {
    test.use({ bypassCSP: true, colorScheme: theme, locale: lang === 'zh' ? 'zh-CN' : 'en-US' });
    for (const [name, route, act] of STATES) {
      test(`${name}: no axe violation, one h1`, async ({ page }) => {
        test.skip(!existsSync(AXE), 'axe-core is not installed (npm devDependency axe-core)');
        await openApp(page, route);
        await page.locator('h1:visible').waitFor();
        await act(page);
        await expect(page.locator('h1:visible')).toHaveCount(1);
        const bad = await axeViolations(page);
        expect(bad, bad.join('\n')).toEqual([]);
      });
    }
  });
}

test('the why panel returns focus to the button that opened it', async ({ page }) => {
  await openApp(page, '#/calculator');
  const button = page.getByTestId('allocatable').getByTestId('why');
  await button.click();
  const panel = page.getByTestId('why-panel');
  await expect(panel).toBeVisible();
  // It opens next to its button: its edge within a few pixels of the button's.
  const [b, p] = [await button.boundingBox(), await panel.boundingBox()];
  const gap = Math.min(Math.abs(p.y - (b.y + b.height)), Math.abs(b.y - (p.y + p.height)));
  expect(gap).toBeLessThan(12);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('why-panel')).toHaveCount(0);
  await expect(button).toBeFocused();
});

test('a term of art is explained on demand, in place', async ({ page }) => {
  await openApp(page, '#/incident');
  await page.locator('[data-route="incident"] button.sample[data-sample="container-limit"]').click();
  await expect(page.locator('.status.done')).toBeVisible();
  const badness = page.locator('.term-btn[data-term="badness"]').first();
  await badness.click();
  await expect(badness).toHaveAttribute('aria-expanded', 'true');
  const def = page.locator(`#${await badness.getAttribute('aria-controls')}`);
  await expect(def).toContainText('totalpages');
  await expect(def).toContainText('mm/oom_kill.c');
  await badness.click();
  await expect(def).toHaveCount(0);
});

test.describe('phone (390×844)', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  test('the first screen says what the page is for; results are one tap away', async ({ page }) => {
    await openApp(page, '#/calculator');
    await expect(page.locator('h1:visible')).toBeInViewport();
    const tab = page.getByTestId('tab-results');
    await expect(tab).toBeInViewport();
    await tab.tap();
    await expect(tab).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('summary-strip')).toBeInViewport();
    await expect(page.getByTestId('allocatable')).toBeVisible();
    await expect(page.locator('.calc-inputs')).toBeHidden();
    // No toolbar stacking one button per row: the first two actions share a row.
    const boxes = await page.locator('.calc-toolbar button').evaluateAll((bs) => bs.map((b) => b.getBoundingClientRect().top));
    expect(new Set(boxes.map(Math.round)).size).toBeLessThan(boxes.length);
    // Nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  test('incident: the verdict is on the first screen after a sample', async ({ page }) => {
    await openApp(page, '#/incident');
    await page.locator('button.sample[data-sample="node-besteffort"]').click();
    await expect(page.locator('.status.done')).toBeVisible();
    await expect(page.getByTestId('verdict').first().locator('h3')).toBeInViewport();
  });
});
