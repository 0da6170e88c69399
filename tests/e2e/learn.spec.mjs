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
  // Each card says which kubelet releases its answers are checked on.
  await expect(page.locator('.lesson-card[data-lesson="reading-the-evidence"] .muted')).toContainText(/1\.27.*1\.28.*1\.32/);
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
            // Choose with the keyboard: Tab to a choice, Space selects it, R checks it.
            for (let tabs = 0; tabs < 40; tabs += 1) {
              if (await page.evaluate(() => document.activeElement?.type === 'radio' && !document.activeElement.disabled)) break;
              await page.keyboard.press('Tab');
            }
            await expect(page.locator('.choice input:focus')).toHaveCount(1);
            await page.keyboard.press('Space');
            await expect(page.getByTestId('check')).toBeEnabled();
            await page.keyboard.press('r');
            const answer = page.getByTestId('answer');
            await expect(answer).toBeVisible();
            await expect(answer).toHaveClass(/right|wrong/);
            if (lang === 'zh') await expect(answer.locator('.learn-verdict')).toHaveText(CJK);
            // The author's explanation comes with the answer, never before it.
            await expect(answer.getByTestId('explain')).not.toBeEmpty();
            if (lang === 'zh') await expect(answer.getByTestId('explain')).toHaveText(CJK);
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

for (const theme of ['light', 'dark']) {
  test(`presenter mode (${theme}): large type, no chrome, keys, the trainer reveals for the room`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    await openApp(page, '#/learn?lesson=eviction-order-is-not-qos-order&step=1');
    await page.getByTestId('ask').first().waitFor();
    await page.keyboard.press('p');
    const px = (loc) => loc.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    // The story, the question and the choices at the 28 px body size; tables at about 20 px,
    // every column inside the 1280 px window.
    expect(await px(page.locator('.learn-text'))).toBeGreaterThanOrEqual(28);
    expect(await px(page.locator('.learn-ask legend'))).toBeGreaterThanOrEqual(28);
    expect(await px(page.locator('.learn-pods td').first())).toBeGreaterThanOrEqual(19);
    const fits = await page.locator('.learn-numbers .table-scroll').evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
    expect(fits).toBe(true);
    // No greyed text: muted words read in the body colour.
    const colours = await page.locator('.learn-lesson-title').evaluate((el) => [
      getComputedStyle(el).color,
      getComputedStyle(el.closest('.learn')).color,
    ]);
    expect(colours[0]).toBe(colours[1]);
    await expect(page.getByTestId('app-header')).toBeHidden();
    await expect(page.getByTestId('answer')).toHaveCount(0);
    // R with no choice made reveals for the room (presenter mode only).
    await page.keyboard.press('r');
    await expect(page.getByTestId('answer')).toHaveClass(/room/);
    // Space steps on; ← steps back, the room's reveal kept.
    await page.keyboard.press('Space');
    await expect(page.locator('article.learn-lesson')).toHaveAttribute('data-step', '2');
    await page.keyboard.press('ArrowLeft');
    await expect(page.locator('article.learn-lesson')).toHaveAttribute('data-step', '1');
    await expect(page.getByTestId('answer')).toHaveClass(/room/);
    // The button does the same for a trainer with a mouse.
    await page.keyboard.press('ArrowRight');
    await page.getByTestId('reveal-room').click();
    await expect(page.getByTestId('answer')).toHaveClass(/room/);
    await page.keyboard.press('p');
    await expect(page.getByTestId('app-header')).toBeVisible();
  });
}

/** Whether `text` holds `word` as a whole token (not inside a longer number or word). */
function holdsToken(text, word) {
  const esc = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^0-9A-Za-z.])${esc}($|[^0-9A-Za-z])`).test(text);
}

test('every handout prints its questions without answers, the key on its own page', async ({ page }) => {
  test.setTimeout(120_000);
  for (const id of LESSONS) {
    await page.emulateMedia({ media: 'screen' });
    await openApp(page, `#/learn?lesson=${id}&handout=1`);
    const key = page.getByTestId('answer-key');
    await expect(page.locator('.handout-ask').first()).toBeVisible();
    await expect(key).toBeHidden();
    await page.emulateMedia({ media: 'print' });
    await expect(key).toBeVisible();
    expect(await key.evaluate((el) => getComputedStyle(el).breakBefore), id).toBe('page');
    await expect(page.locator('.learn-bar')).toBeHidden();
    // Before the key: no answer, no explanation, and no answer the key spells out as a number
    // or size in any story or table (the choices list every candidate and are left out).
    await expect(page.locator('.handout-step .learn-answer, .handout-step .learn-explain')).toHaveCount(0);
    const asks = await page.locator('.handout-ask').count();
    const items = key.locator('li');
    await expect(items).toHaveCount(asks);
    const steps = await page.locator('.handout-step').evaluateAll((els) =>
      els.map((el) => {
        const copy = el.cloneNode(true);
        copy.querySelectorAll('.handout-choices').forEach((c) => c.remove());
        return copy.textContent;
      }));
    // (An answer may equal an input its own step states, such as memory.min = the request; the
    // steps after its question must not state it.)
    for (const item of await items.all()) {
      const answer = (await item.locator('strong').nth(1).textContent()).trim();
      const at = Number((await item.textContent()).match(/\d+/g)[1]);
      if (!/^-?\d{2,}$|^\d+(\.\d+)?[KMGT]i$/.test(answer)) continue;
      for (const [i, text] of steps.entries()) {
        if (i + 1 > at) expect(holdsToken(text, answer), `${id}: ${answer} shows in step ${i + 1}`).toBe(false);
      }
    }
    // Each answer in the key comes with its explanation.
    for (const e of await key.locator('.learn-explain').allTextContents()) expect(e.trim().length, id).toBeGreaterThan(20);
  }
  await page.emulateMedia({ media: 'screen' });
  await page.getByTestId('show-key').click();
  await expect(page.getByTestId('answer-key')).toBeVisible();
});

test('where time matters the timeline plays, and leaving it mid-play is safe', async ({ page }) => {
  await openApp(page, '#/learn?lesson=limit-is-a-wall&step=3');
  // "What fires first" is the question: the timeline waits for the answer. Once answered, the
  // timeline and the model's reasons still wait, since they name whom step 4 asks about.
  await expect(page.getByTestId('learn-timeline')).toHaveCount(0);
  await page.locator('.choice input').first().check();
  await page.getByTestId('check').click();
  await expect(page.getByTestId('answer')).toBeVisible();
  await expect(page.getByTestId('answer')).not.toContainText('web/batch');
  await expect(page.getByTestId('learn-timeline')).toHaveCount(0);
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('article.learn-lesson')).toHaveAttribute('data-step', '4');
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
  await expect(page.locator('article.learn-lesson')).toHaveAttribute('data-step', '5');
  await page.waitForTimeout(500);
  // Back on step 3, with step 4 answered, its timeline shows.
  await page.goto('./#/learn?lesson=limit-is-a-wall&step=3');
  await expect(page.getByTestId('learn-timeline')).toBeVisible();
});

test('"Try it yourself" opens the step in the calculator with everything loaded', async ({ page, context }) => {
  // limit-is-a-wall step 1: an 8Gi node, kube-reserved 512Mi, evictionHard 100Mi, pod web/api.
  await openApp(page, '#/learn?lesson=limit-is-a-wall&step=1');
  const [calc] = await Promise.all([
    context.waitForEvent('page'),
    page.locator('.learn-try a').click(),
  ]);
  await calc.waitForLoadState();
  await expect(calc).toHaveURL(/#\/calculator\?/);
  await expect(calc.getByTestId('node.memory')).toHaveValue('8Gi');
  // allocatable = 8Gi − 512Mi − 100Mi = 7580Mi.
  await expect(calc.getByTestId('allocatable')).toHaveAttribute('data-bytes', String(7580 * 1024 * 1024));
  await expect(calc.getByText('web/api').first()).toBeVisible();
});
