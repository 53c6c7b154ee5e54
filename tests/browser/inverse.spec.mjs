// From model outputs back to probabilities: the panel against the `focal invert` tool.
import { test, expect } from '@playwright/test';
import { canvasImage, canvasIsDrawn, coreInvert, significant, watchPage } from './helpers.mjs';

/** Cells of the inverse table. */
async function invertRows(page) {
  return page.$$eval('[data-testid="invert-table"] tbody tr', (rows) =>
    rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent.trim())),
  );
}

test('pasted outputs give the posteriors the command-line tool gives', async ({ page }) => {
  const problems = watchPage(page);
  await page.goto('./?gamma=2');
  await canvasIsDrawn(page, 'invert-plot');
  const empty = await canvasImage(page, 'invert-plot');
  const rows = [[0.8, 0.15, 0.05], [0.5, 0.3, 0.2]];
  await page.getByTestId('invert-input').fill(`cat,dog,bird\n${rows.map((r) => r.join(',')).join('\n')}`);
  const core = coreInvert(rows, 2);
  await expect.poll(async () => (await invertRows(page)).length).toBe(6);
  const table = await invertRows(page);
  expect(table[0]).toEqual(['1', 'cat', significant(0.8), significant(core[0][0])]);
  expect(table[5]).toEqual(['2', 'bird', significant(0.2), significant(core[1][2])]);
  await expect(page.getByTestId('invert-summary')).toContainText('2 rows of 3 classes. Round trip:');
  // The outputs appear on the plot.
  await expect.poll(() => canvasImage(page, 'invert-plot')).not.toBe(empty);
  // The export is the tool's output, header included.
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('invert-export').click()]);
  const csv = (await (await file.createReadStream()).toArray()).join('').trim().split('\n');
  expect(csv[0]).toBe('cat,dog,bird');
  expect(csv[1].split(',').map(Number)).toEqual(core[0]);
  expect(csv[2].split(',').map(Number)).toEqual(core[1]);
  // γ moves the posteriors with it.
  await page.getByTestId('gamma-input').fill('5');
  const at5 = coreInvert(rows, 5);
  await expect.poll(async () => (await invertRows(page))[0][3]).toBe(significant(at5[0][0]));
  expect(problems).toEqual([]);
});

test('bad rows are named by line, and Q* of the current classes goes back to them', async ({ page }) => {
  await page.goto('./?counts=99,1&gamma=2');
  await page.getByTestId('invert-input').fill('0.5,0.5\n0.9,0.3');
  await expect(page.getByTestId('invert-error')).toHaveText('line 2: the probabilities sum to 1.2, not 1; a row within 1e-6 of 1 is renormalised, others are not distributions');
  await page.getByTestId('invert-use-qstar').click();
  await expect(page.getByTestId('invert-error')).toBeHidden();
  const table = await invertRows(page);
  expect(table.map((r) => r[3])).toEqual([significant(0.99), significant(0.01)]);
  await expect(page.getByTestId('invert-summary')).toContainText('Round trip: P → Q* at γ = 2 → back to P agrees with your classes to');
  const text = await page.getByTestId('invert-summary').textContent();
  const worst = Number(text.match(/to ([0-9.e-]+) \(largest/)[1]);
  expect(worst).toBeLessThan(1e-12);
  // It follows γ once γ rests (each γ it costs about as much as the solve).
  await page.getByTestId('gamma-input').fill('3');
  await expect(page.getByTestId('invert-summary')).toContainText('Round trip: P → Q* at γ = 3 → back to P agrees with your classes to');
});

test('with 10 000 pasted rows γ still moves at once, and the panel follows when γ rests', async ({ page }) => {
  await page.goto('./?gamma=2');
  // The page is mounted (the load event can come first).
  await expect(page.getByTestId('invert-input')).toBeVisible();
  const figures = await page.evaluate(async () => {
    const rows = Array.from({ length: 10000 }, (_, i) => {
      const weights = Array.from({ length: 10 }, (_, j) => 1 + ((i * 7 + j * 13) % 17));
      const total = weights.reduce((a, b) => a + b, 0);
      return weights.map((w) => w / total).join(',');
    }).join('\n');
    const box = document.querySelector('[data-testid="invert-input"]');
    let started = performance.now();
    box.value = rows;
    box.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    const paste = performance.now() - started;
    const input = document.querySelector('[data-testid="gamma-input"]');
    const moves = [];
    for (let i = 0; i < 7; i += 1) {
      started = performance.now();
      input.value = String(2.25 + 0.25 * i);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((resolve) => setTimeout(resolve, 0));
      moves.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    moves.sort((a, b) => a - b);
    const busy = document.querySelector('[data-testid="invert-results"]').getAttribute('aria-busy');
    return { paste, move: moves[3], busy };
  });
  console.log(`10 000 rows × 10 classes: paste → table ${figures.paste.toFixed(0)} ms; γ change median ${figures.move.toFixed(1)} ms`);
  expect(figures.busy).toBe('true');
  expect(figures.move).toBeLessThan(50);
  await expect(page.getByTestId('invert-summary')).toContainText('10000 rows of 10 classes.');
  // While γ moves the panel is marked as updating; when γ rests at 3.75 it follows.
  await page.getByTestId('gamma-input').fill('3.75');
  await expect(page.getByTestId('invert-plot')).toHaveAttribute('data-gamma', '3.75');
  await expect(page.getByTestId('invert-results')).toHaveAttribute('aria-busy', 'false');
  await expect(page.getByTestId('plot-distribution')).toHaveAttribute('data-gamma', '3.75');
});
