// Training mode (#/learn): every lesson walked end to end with the keyboard in English and
// Chinese (the reveal locked until an answer is chosen, then the model's answer shown), presenter
// mode's type size and keys, a step link opening that step, answers kept in the browser, and the
// handout printing without its answers (the key on a page of its own).
import { test, expect, openApp } from './fixtures.mjs';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const LESSONS = readdirSync(fileURLToPath(new URL('../../examples/lessons', import.meta.url)))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .sort();
const CJK = /[\u4e00-\u9fff]/;

/** Steps on with the keyboard (→) and waits for the next step's article. */
async function next(page, n) {
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('article.learn-lesson')).toHaveAttribute('data-step', String(n));
}

test('the catalogue lists every lesson, each with a start and a handout link', async ({ page }) => {
  await openApp(page, '#/learn');
  await expect(page.locator('.lesson-card')).toHaveCount(LESSONS.length);
  expect(LESSONS.length).toBeGreaterThanOrEqual(12);
  await expect(page.locator('h1:visible')).toHaveCount(1);
  await expect(page).toHaveTitle(/training/);
});

for (const lang of ['en', 'zh']) {
  test.describe(`every lesson with the keyboard (${lang})`, () => {
    test.use({ locale: lang === 'zh' ? 'zh-CN' : 'en-US' });
    for (const id of LESSONS) {
      test(`${id}: predict, reveal, step to the end`, async ({ page }) => {
        await openApp(page, `#/learn?lesson=${id}&step=1`);
        const article = page.locator('article.learn-lesson');
        await expect(article).toHaveAttribute('data-step', '1');
        const total = Number((await page.locator('.learn-pos').textContent()).match(/\d+/g)[1]);
        expect(total).toBeGreaterThanOrEqual(4);
        for (let step = 1; step <= total; step += 1) {
          const h1 = page.locator('h1:visible');
          await expect(h1).toHaveCount(1);
          if (lang === 'zh') await expect(h1).toHaveText(CJK);
          await expect(page).toHaveURL(new RegExp(`lesson=${id}&step=${step}$`));
          if (await page.getByTestId('ask').count()) {
            // Locked: no answer, nothing to check, and R does nothing before a choice.
            await expect(page.getByTestId('answer')).toHaveCount(0);
            await expect(page.getByTestId('check')).toBeDisabled();
            await page.keyboard.press('r');
            await expect(page.getByTestId('answer')).toHaveCount(0);
            // Choose with the keyboard: focus the first choice, Space selects it, R checks it.
            await page.locator('.choice input').first().focus();
            await page.keyboard.press('Space');
            await expect(page.getByTestId('check')).toBeEnabled();
            await page.keyboard.press('r');
            const answer = page.getByTestId('answer');
            await expect(answer).toBeVisible();
            await expect(answer).toHaveClass(/right|wrong/);
            if (lang === 'zh') await expect(answer.locator('.learn-verdict')).toHaveText(CJK);
            // The choices lock once checked (focus leaves them, so the arrows step again).
            await expect(page.locator('.choice input').first()).toBeDisabled();
          }
          if (step < total) await next(page, step + 1);
        }
        // The end: a score and the sources.
        await expect(page.locator('.learn-done')).toBeVisible();
        await expect(page.locator('.learn-sources a').first()).toHaveAttribute('href', /^https:\/\//);
        // Answers stay in this browser: a reload keeps them, and the catalogue counts them. (The
        // page's own requests, the icon among them, finish first: a reload would cancel them.)
        await page.waitForLoadState('networkidle');
        await page.reload();
        await expect(page.locator('.learn-done')).toBeVisible();
        await page.goto('./#/learn');
        await expect(page.locator(`.lesson-card[data-lesson="${id}"] .muted`)).not.toContainText(/ 0\/| 0 of /);
      });
    }
  });
}

test('a step link opens that step, and ← goes back through the URL', async ({ page }) => {
  await openApp(page, '#/learn?lesson=sidecar-dies-first&step=4');
  await expect(page.locator('article.learn-lesson')).toHaveAttribute('data-step', '4');
  await page.keyboard.press('ArrowLeft');
  await expect(page.locator('article.learn-lesson')).toHaveAttribute('data-step', '3');
  await expect(page).toHaveURL(/lesson=sidecar-dies-first&step=3$/);
  await page.goBack();
  await expect(page.locator('article.learn-lesson')).toHaveAttribute('data-step', '4');
});

test('a step hides what would give its answer away until the reveal', async ({ page }) => {
  // Step 5 asks for web/api's oom_score_adj, which the table would otherwise show.
  await openApp(page, '#/learn?lesson=limit-is-a-wall&step=5');
  await expect(page.locator('.hidden-answer')).toHaveCount(1);
  await expect(page.locator('.learn-pods')).not.toContainText('-997');
  await expect(page.locator('.learn-changes')).not.toContainText('-997');
  await page.locator('.choice input').nth(1).check();
  await page.getByTestId('check').click();
  await expect(page.locator('.hidden-answer')).toHaveCount(0);
  await expect(page.locator('.learn-pods')).toContainText('-997');
});

test('presenter mode: large type, no chrome, the trainer reveals for the room', async ({ page }) => {
  await openApp(page, '#/learn?lesson=eviction-order-is-not-qos-order&step=1');
  await page.getByTestId('ask').first().waitFor();
  await page.keyboard.press('p');
  const size = await page.locator('.learn').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(size).toBeGreaterThanOrEqual(28);
  await expect(page.getByTestId('app-header')).toBeHidden();
  await expect(page.getByTestId('answer')).toHaveCount(0);
  await page.getByTestId('reveal-room').click();
  await expect(page.getByTestId('answer')).toHaveClass(/room/);
  await page.keyboard.press('p');
  await expect(page.getByTestId('app-header')).toBeVisible();
});

test('the handout prints its questions without answers, the key on its own page', async ({ page }) => {
  await openApp(page, '#/learn?lesson=eviction-order-is-not-qos-order&handout=1');
  const key = page.getByTestId('answer-key');
  await expect(page.locator('.handout-ask').first()).toBeVisible();
  await expect(key).toBeHidden();
  await page.emulateMedia({ media: 'print' });
  await expect(key).toBeVisible();
  expect(await key.evaluate((el) => getComputedStyle(el).breakBefore)).toBe('page');
  // Nothing before the key shows an answer or a hidden value.
  await expect(page.locator('.handout-step .learn-answer')).toHaveCount(0);
  await expect(page.locator('.learn-bar')).toBeHidden();
  const asks = await page.locator('.handout-ask').count();
  await expect(key.locator('li')).toHaveCount(asks);
  await page.emulateMedia({ media: 'screen' });
  await page.getByTestId('show-key').click();
  await expect(key).toBeVisible();
});

test('where time matters the timeline plays, and leaving it mid-play is safe', async ({ page }) => {
  await openApp(page, '#/learn?lesson=limit-is-a-wall&step=3');
  // "What fires first" is the question: the timeline waits for the answer.
  await expect(page.getByTestId('learn-timeline')).toHaveCount(0);
  await page.locator('.choice input').first().check();
  await page.getByTestId('check').click();
  const chart = page.getByTestId('learn-timeline');
  await expect(chart).toBeVisible();
  await expect(chart.locator('output')).toHaveText('t = 30 s');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'true');
  await expect(chart.locator('output')).not.toHaveText('t = 30 s');
  // The kill at 2 s appears once the played time passes it.
  await expect(chart.locator('svg circle')).toHaveCount(1, { timeout: 10_000 });
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('article.learn-lesson')).toHaveAttribute('data-step', '4');
  await page.waitForTimeout(500);
});
