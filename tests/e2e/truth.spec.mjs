// No silent wrong or stale number (issue 16): a preset over typed values, pasted pods whose names
// clash, invalid input (error summary, stale marker), and results tables that never overlap or
// cut a value at the widths people use (1280, 1440, 1920).
import { test, expect, openApp } from './fixtures.mjs';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

async function openCalculator(page) {
  await openApp(page, '#/calculator');
  await expect(page.getByTestId('allocatable')).toHaveAttribute('data-bytes', /^\d+$/);
}

test('a preset over a typed kube-reserved says so, and "use preset" makes the preset apply', async ({ page }) => {
  await openCalculator(page);
  const alloc = page.getByTestId('allocatable');
  // The default example types kubeReserved 1Gi, systemReserved 512Mi, evictionHard 100Mi.
  await page.getByTestId('node.preset').selectOption('gke');
  const notice = page.getByTestId('preset-overrides');
  await expect(notice).toBeVisible();
  const item = notice.locator('[data-field="node.kubeletConfig.kubeReserved.memory"]');
  await expect(item).toContainText('1Gi');
  await expect(item).toContainText('2.60 GiB');
  // Until the user chooses, the typed 1Gi applies, and the summary says so by its number.
  await expect(alloc).toHaveAttribute('data-bytes', String(16 * GiB - GiB - 512 * MiB - 100 * MiB));
  await item.getByTestId('use-preset').click();
  await expect(notice).toHaveCount(0);
  await expect(page.getByTestId('node.kube_reserved')).toHaveValue('');
  // GKE on 16 GiB: 25 % of 4 GiB + 20 % of 4 GiB + 10 % of 8 GiB, floored to a byte.
  const gke = Math.floor((4 * GiB * 25 + 4 * GiB * 20 + 8 * GiB * 10) / 100);
  await expect(page.getByTestId('kube-reserved')).toHaveAttribute('data-bytes', String(gke));
  await expect(alloc).toHaveAttribute('data-bytes', String(16 * GiB - gke - 512 * MiB - 100 * MiB));
  // The empty field shows what is in effect.
  await expect(page.getByTestId('node.kube_reserved')).toHaveAttribute('placeholder', /2\.60 GiB/);
});

test('pasted pods with taken names are renamed and said so; results stay live', async ({ page }) => {
  await openCalculator(page);
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec: {containers: [{name: app, resources: {requests: {memory: 256Mi}}}]}\n';
  await page.getByTestId('pod-paste').fill(`${pod}---\n${pod}`);
  await page.getByTestId('pod-paste-add').click();
  const status = page.getByTestId('pod-paste-status');
  await expect(status).toContainText('shop/web → shop/web-2');
  await expect(status).toContainText('shop/web → shop/web-3');
  await expect(page.getByTestId('error-summary')).toHaveCount(0);
  await expect(page.locator('[data-testid="result-pod"][data-pod="shop/web-3"]')).toHaveCount(1);
  // The first added pod is brought into view with the cursor in its name.
  await expect(page.locator('input[data-testid="pod-name"]:focus')).toHaveValue('web-2');
});

test('invalid input: a summary names each field, focuses it on click, and marks the results stale', async ({ page }) => {
  await openCalculator(page);
  const before = await page.getByTestId('allocatable').getAttribute('data-bytes');
  await page.getByTestId('node.memory').fill('16Gx');
  await page.getByTestId('ctr-mem_lim').first().fill('1..5Gi');
  const summary = page.getByTestId('error-summary');
  await expect(summary).toBeVisible();
  const links = summary.getByTestId('error-link');
  await expect(links).toHaveCount(2);
  await expect(summary).toContainText('Memory capacity');
  await expect(summary).toContainText('shop/web/app');
  await expect(summary.getByTestId('stale-note')).toBeVisible();
  await expect(page.getByTestId('stale-badge')).toBeVisible();
  // The numbers shown are the last valid ones, and marked so.
  await expect(page.getByTestId('allocatable')).toHaveAttribute('data-bytes', before);
  await links.filter({ hasText: 'Memory capacity' }).click();
  await expect(page.locator('#node-memory')).toBeFocused();
  await links.filter({ hasText: 'shop/web/app' }).click();
  await expect(page.locator('input[data-testid="ctr-mem_lim"]').first()).toBeFocused();
  await page.getByTestId('node.memory').fill('16Gi');
  await page.getByTestId('ctr-mem_lim').first().fill('1Gi');
  await expect(summary).toHaveCount(0);
  await expect(page.getByTestId('stale-badge')).toHaveCount(0);
});

test('the summary strip marks what the last edit changed', async ({ page }) => {
  await openCalculator(page);
  const strip = page.getByTestId('summary-strip');
  await expect(strip.getByTestId('strip-allocatable')).toContainText('GiB');
  await expect(strip.locator('.changed')).toHaveCount(0);
  await page.getByTestId('node.memory').fill('32Gi');
  await expect(strip.getByTestId('strip-allocatable')).toHaveClass(/changed/);
  await expect(strip.getByTestId('strip-evicted')).not.toHaveClass(/changed/);
});

async function noCellOverlaps(page, width) {
  await page.setViewportSize({ width, height: 900 });
  await openCalculator(page);
  // The default example has the widest values: a 10-digit priority, "never evicted", flags.
  for (const table of ['pods-results', 'thresholds']) {
    const bad = await page.getByTestId(table).evaluate((t) => {
      const out = [];
      for (const row of t.querySelectorAll('tr')) {
        const cells = [...row.children];
        cells.forEach((c, i) => {
          // A cut value: content wider than its cell.
          if (c.scrollWidth > c.clientWidth + 1) out.push(`cut: ${row.textContent.slice(0, 40)} [${i}] ${c.textContent}`);
          const next = cells[i + 1];
          if (next && c.getBoundingClientRect().right > next.getBoundingClientRect().left + 1) {
            out.push(`overlap: [${i}] ${c.textContent}`);
          }
        });
      }
      return out;
    });
    expect(bad, `${table} at ${width}px`).toEqual([]);
  }
}

test.describe('in Chinese', () => {
  test.use({ locale: 'zh-CN' });
  test('no results table cell overlaps or cuts its neighbour at 1280 px', async ({ page }) => {
    await noCellOverlaps(page, 1280);
    await expect(page.locator('html')).toHaveAttribute('lang', /zh/);
  });
});

for (const width of [1280, 1440, 1920]) {
  test(`no results table cell overlaps or cuts its neighbour at ${width} px`, async ({ page }) => {
    await noCellOverlaps(page, width);
  });
}
