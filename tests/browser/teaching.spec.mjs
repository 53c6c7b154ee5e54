// The teaching layer: presets, captions, the over-suppression banner, the
// best-γ jump, the order check and the γ animation.
import { test, expect } from '@playwright/test';
import { coreSolve, setGamma, significant, tableRows, watchPage } from './helpers.mjs';

test('captions and the order check describe the current numbers', async ({ page }) => {
  const problems = watchPage(page);
  await page.goto('./');
  const captions = page.getByTestId('captions').locator('li');
  await expect(captions).toHaveCount(4);
  await expect(captions.nth(0)).toHaveText('At γ = 2, tiger gains 1436% and the head (cows) loses 15%.');
  await expect(captions.nth(1)).toHaveText('No class is over-suppressed: no class rarer than an amplified one is pushed down.');
  await expect(page.getByTestId('order-check')).toContainText('✓ Order preserved');
  await setGamma(page, 0);
  await expect(captions.nth(0)).toContainText('nothing moves');
  expect(problems).toEqual([]);
});

test('the tiny-tail preset at γ = 5 shows the over-suppression banner; 99 : 1 never does', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('preset-select').selectOption('tinytail');
  await setGamma(page, 5);
  const banner = page.getByTestId('oversuppression-banner');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('tiny tail');
  const rows = await tableRows(page);
  expect(rows[9][0]).toBe('tiny tail');
  expect(rows[9][5]).toBe('over-suppressed');
  // The jump goes to the tail's best γ, where it is no longer over-suppressed.
  await page.getByTestId('best-gamma-button').click();
  const best = Number(await page.getByTestId('gamma-input').inputValue());
  expect(best).toBeGreaterThan(5);
  await expect.poll(async () => (await tableRows(page))[9][5]).toBe('amplified');

  await page.getByTestId('preset-select').selectOption('cows');
  for (const gamma of [0.5, 2, 5, 20, 60]) {
    await setGamma(page, gamma);
    const core = coreSolve([99, 1], gamma);
    await expect.poll(async () => (await tableRows(page))[1][3]).toBe(significant(core.q[1]));
    await expect(page.getByTestId('oversuppression-banner')).toHaveCount(0);
  }
});

test('presets load their classes', async ({ page }) => {
  await page.goto('./');
  const expectations = { cifar10lt: 10, cifar100lt: 100, imagenetlt: 200, balanced: 10, million: 2 };
  for (const [key, rows] of Object.entries(expectations)) {
    await page.getByTestId('preset-select').selectOption(key);
    await expect(page.getByTestId('class-table').locator('tbody tr')).toHaveCount(rows);
  }
  await expect(page.getByText('Showing 200 of 1000 classes.')).toHaveCount(0);
  await page.getByTestId('preset-select').selectOption('imagenetlt');
  await expect(page.getByText('Showing 200 of 1000 classes.')).toBeVisible();
});

test('play sweeps γ smoothly and pause stops it where it is', async ({ page }) => {
  await page.goto('./?gamma=0');
  await page.getByTestId('play-button').click();
  await expect(page.getByTestId('play-button')).toHaveAttribute('aria-pressed', 'true');
  await page.waitForTimeout(1200);
  await page.getByTestId('play-button').click();
  await expect(page.getByTestId('play-button')).toHaveAttribute('aria-pressed', 'false');
  const paused = Number(await page.getByTestId('gamma-input').inputValue());
  expect(paused).toBeGreaterThan(1);
  expect(paused).toBeLessThan(10);
  await page.waitForTimeout(500);
  expect(Number(await page.getByTestId('gamma-input').inputValue())).toBe(paused);
});

test('keyboard: the γ slider and the sort buttons work without a mouse', async ({ page }) => {
  await page.goto('./?gamma=2');
  await page.getByTestId('gamma-slider').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('gamma-input')).toHaveValue('2.02');
  await page.getByRole('button', { name: 'q*/p' }).focus();
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await tableRows(page))[0][0]).toBe('tiger');
});

test('exports: the table and the sweep as full-precision CSV, the plots as PNG', async ({ page }) => {
  await page.goto('./?counts=99,1&labels=cows,tiger&gamma=2');
  const core = coreSolve([99, 1], 2);
  const [tableFile] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  expect(tableFile.suggestedFilename()).toBe('focal-entropy-classes.csv');
  const table = (await (await tableFile.createReadStream()).toArray()).join('').split('\n');
  expect(table[0]).toBe('label,count,p,q,q_over_p,regime');
  const tiger = table[2].split(',');
  expect(tiger[0]).toBe('tiger');
  expect(Math.abs(Number(tiger[3]) / core.q[1] - 1)).toBeLessThan(1e-13);
  const [sweepFile] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-sweep-csv').click()]);
  const sweep = (await (await sweepFile.createReadStream()).toArray()).join('').trim().split('\n');
  expect(sweep[0]).toBe('gamma,mu,fe_min,fe_at_p,shannon_q,kl_p_q,q[cows],q[tiger]');
  expect(sweep).toHaveLength(257);
  expect(sweep[1].startsWith('0,1,')).toBe(true);
  const downloads = [];
  page.on('download', (d) => downloads.push(d.suggestedFilename()));
  await page.getByTestId('export-png').click();
  await expect.poll(() => downloads.length).toBe(3);
  expect(downloads.sort()).toEqual(['focal-entropy-plot-distribution.png', 'focal-entropy-plot-entropy.png', 'focal-entropy-plot-reshaping.png']);
});
