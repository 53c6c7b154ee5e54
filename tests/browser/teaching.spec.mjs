// The teaching layer: presets, the findings in words (captions, the
// over-suppression banner and its jump, the over-suppression γ-ranges, the
// rare-class verdict), the order check and the γ animation.
import { test, expect } from '@playwright/test';
import {
  askForTimings, canvasImage, canvasIsDrawn, coreSolve, median, overSuppressionRanges, pasteCounts, setGamma, significant, tableRows,
  watchLongTasks, watchPage,
} from './helpers.mjs';

test('captions and the order check describe the current numbers', async ({ page }) => {
  const problems = watchPage(page);
  await page.goto('./');
  const captions = page.getByTestId('captions').locator('li');
  await expect(captions).toHaveCount(3);
  await expect(captions.nth(0)).toHaveText('At γ = 2, tiger (frequency rank 2 of 2) gains 1436%; cows (frequency rank 1 of 2) loses 15%. In all, 14.4% of the probability changes hands.');
  await expect(captions.nth(1)).toHaveText('At γ = 2, no class is over-suppressed: no class rarer than a gaining class loses probability.');
  await expect(captions.nth(2)).toContainText('is 0.3729 nats above H(P) = 0.05600 nats');
  await expect(captions.nth(2)).toContainText('H(Q*) is not below H(P) anywhere from γ = 0 to 20.');
  await expect(page.getByTestId('order-check')).toContainText('✓ Order preserved');
  await setGamma(page, 0);
  await expect(captions.nth(0)).toContainText('nothing moves');
  await expect(captions.nth(2)).toContainText('H(Q*) = H(P)');
  await expect(page.getByTestId('rare-mass')).toContainText('moves no probability');
  expect(problems).toEqual([]);
});

test('the tiny-tail preset at γ = 5 shows the banner, and its jump goes to where the tail gains', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('preset-select').selectOption('tinytail');
  await setGamma(page, 5);
  const banner = page.getByTestId('oversuppression-banner');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('tiny tail');
  const rows = await tableRows(page);
  expect(rows[9][0]).toBe('tiny tail');
  expect(rows[9][5]).toBe('over-suppressed');
  // The range runs from 0 to a root; the jump goes just above it.
  const ranges = await overSuppressionRanges(page);
  expect(ranges.length).toBe(1);
  expect(ranges[0][0]).toBe(0);
  const [, end] = ranges[0];
  expect(end).toBeGreaterThan(10);
  expect(end).toBeLessThan(12);
  await page.getByTestId('escape-gamma-button').click();
  const jumped = Number(await page.getByTestId('gamma-input').inputValue());
  expect(jumped).toBeGreaterThan(end);
  expect(jumped - end).toBeLessThanOrEqual(0.01);
  await expect.poll(async () => (await tableRows(page))[9][5]).toBe('amplified');
  await expect(banner).toHaveCount(0);
});

test('99 : 1 shows no over-suppression at any γ', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('preset-select').selectOption('cows');
  expect(await overSuppressionRanges(page)).toEqual([]);
  await expect(page.getByTestId('oversuppression-range')).toHaveText('No class is over-suppressed at any γ from 0 to 20. The rarest class (tiger) gains at every γ > 0 up to 20.');
  for (const gamma of [0.5, 2, 5, 20, 60]) {
    await setGamma(page, gamma);
    const core = coreSolve([99, 1], gamma);
    await expect.poll(async () => (await tableRows(page))[1][3]).toBe(significant(core.q[1]));
    await expect(page.getByTestId('oversuppression-banner')).toHaveCount(0);
    await expect(page.getByTestId('rare-mass')).toContainText('toward the rare classes');
  }
});

test('CIFAR-10-LT: over-suppression from γ = 0 to about 2.24, then the rarest class gains', async ({ page }) => {
  await page.goto('./?dist=exp&k=10&nmax=5000&ratio=100&gamma=1');
  const ranges = await overSuppressionRanges(page);
  expect(ranges.length).toBe(1);
  expect(ranges[0][0]).toBe(0);
  expect(ranges[0][1]).toBeGreaterThan(2.23);
  expect(ranges[0][1]).toBeLessThan(2.25);
  await expect(page.getByTestId('oversuppression-range')).toContainText('The rarest class (class 10) gains at every γ above 2.2');
  await expect(page.getByTestId('oversuppression-banner')).toBeVisible();
  await expect(page.getByTestId('escape-gamma-button')).toContainText('where class 10 gains');
});

test('Zipf over 1000 classes: the entropy falls and focal loss moves probability away from the rare classes', async ({ page }) => {
  await page.goto('./?dist=zipf&k=1000&nmax=1000&s=1.1&gamma=3');
  const captions = page.getByTestId('captions').locator('li');
  await expect(captions.nth(2)).toContainText('At γ = 3, H(Q*) = 4.625 nats is 0.18');
  await expect(captions.nth(2)).toContainText('below H(P) = 4.805 nats: focal loss makes the distribution more peaked.');
  await expect(captions.nth(2)).toContainText('H(Q*) is below H(P) for γ from 0 to 18.');
  await expect(captions.nth(2)).not.toContainText('up from');
  const rare = page.getByTestId('rare-mass');
  await expect(rare).toContainText('away from the rare classes');
  expect(Number(await rare.getAttribute('data-q'))).toBeLessThan(Number(await rare.getAttribute('data-p')));
  // Over the whole slider the rarest class is pushed down.
  expect(await overSuppressionRanges(page)).toEqual([[0, 20]]);
  await expect(page.getByTestId('oversuppression-range')).toContainText('is not lifted anywhere up to γ max = 20');
});

test('step imbalance: the majority gains, the minority loses, as the command-line tool computes', async ({ page }) => {
  await page.goto('./?dist=step&k=10&minority=5&nmax=5000&ratio=100&gamma=2');
  const counts = [5000, 5000, 5000, 5000, 5000, 50, 50, 50, 50, 50];
  const core = coreSolve(counts, 2);
  const rare = page.getByTestId('rare-mass');
  await expect(rare).toContainText('away from the rare classes');
  expect(Number(await rare.getAttribute('data-p'))).toBe(core.findings.rare_mass.mass_p);
  expect(Number(await rare.getAttribute('data-q'))).toBe(core.findings.rare_mass.mass_q);
  const captions = page.getByTestId('captions').locator('li');
  await expect(captions.nth(0)).toContainText('5 classes (tied at frequency rank 1 of 10) gain 0.12%; 5 classes (tied at frequency rank 6 of 10) lose 12%.');
  await expect(captions.nth(2)).toContainText('below H(P)');
  const rows = await tableRows(page);
  expect(rows[0][5]).toBe('amplified');
  expect(rows[9][5]).toBe('over-suppressed');
});

test('presets load their classes', async ({ page }) => {
  await page.goto('./');
  const expectations = { zipf: 1000, step: 10, cifar10lt: 10, cifar100lt: 100, imagenetlt: 1000, balanced: 10, million: 2, gpt2: 50257, vocab256k: 262144 };
  for (const [key, classes] of Object.entries(expectations)) {
    await page.getByTestId('preset-select').selectOption(key);
    await expect(page.getByTestId('class-table')).toHaveAttribute('aria-rowcount', String(classes + 1));
    await expect(page.getByTestId('table-size')).toHaveText(`${classes} classes.`);
  }
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

const PLOTS = ['distribution', 'entropy', 'map', 'reshaping', 'tracked'];
/** The export file names of every plot on the page, sorted: the five above and the model-outputs map. */
const PLOT_FILES = (extension) => ['focal-entropy-invert-plot', ...PLOTS.map((p) => `focal-entropy-plot-${p}`)].map((name) => `${name}.${extension}`).sort();

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
  expect(sweep[0]).toBe('gamma,mu,fe_min,fe_at_p,shannon_q,kl_p_q,delta_h,rare_mass_p,rare_mass_q,over_suppressed,q[cows],q[tiger]');
  expect(sweep).toHaveLength(257);
  expect(sweep[1].startsWith('0,1,')).toBe(true);
  // The findings columns: at γ = 20 the entropy has risen and the tiger holds more.
  const last = sweep[256].split(',').map(Number);
  expect(last[0]).toBe(20);
  expect(last[6]).toBeCloseTo(last[4] - core.shannon_p, 14);
  expect(last[6]).toBeGreaterThan(0);
  expect(last[7]).toBe(0.01);
  expect(last[8]).toBe(last[11]);
  expect(last[9]).toBe(0);
  const downloads = [];
  page.on('download', (d) => downloads.push(d.suggestedFilename()));
  await page.getByTestId('export-png').click();
  await expect.poll(() => downloads.length).toBe(6);
  expect(downloads.sort()).toEqual(PLOT_FILES('png'));
});

// A page of its own: Chromium holds back a burst of more than ten automatic downloads.
test('exports: every plot as SVG, drawn by the same functions on plotters\' SVG backend', async ({ page }) => {
  await page.goto('./?counts=99,1&labels=cows,tiger&gamma=2');
  const core = coreSolve([99, 1], 2);
  await canvasIsDrawn(page, 'plot-tracked');
  const svgs = {};
  page.on('download', async (d) => {
    if (d.suggestedFilename().endsWith('.svg')) {
      svgs[d.suggestedFilename()] = (await (await d.createReadStream()).toArray()).join('');
    }
  });
  await page.getByTestId('export-svg').click();
  await expect.poll(() => Object.keys(svgs).sort()).toEqual(PLOT_FILES('svg'));
  for (const svg of Object.values(svgs)) expect(svg.startsWith('<svg')).toBe(true);
  const entropy = svgs['focal-entropy-plot-entropy.svg'];
  const uniformity = (core.shannon_q / Math.log(2)).toFixed(3);
  expect(entropy).toContain(`H(Q*)/ln K = ${uniformity}`);
  expect(entropy).toContain('FE(P, Q*)');
  const tracked = svgs['focal-entropy-plot-tracked.svg'];
  expect(tracked).toContain('q*/p of tiger');
  // The tiger gains at every γ > 0: no suppressed band, no lift marker.
  expect(tracked).not.toContain('gains above γ');
  expect(tracked).not.toContain('best γ');
  expect(svgs['focal-entropy-plot-distribution.svg']).toContain('cows');
});

test('the tracked class: rarest by default, another on choice, click on the plot sets γ', async ({ page }) => {
  const problems = watchPage(page);
  await page.goto('./');
  await page.getByTestId('preset-select').selectOption('tinytail');
  const select = page.getByTestId('track-select');
  await expect(select.locator('option').first()).toHaveText('Rarest class (tiny tail)');
  await canvasIsDrawn(page, 'plot-tracked');
  await expect(page.getByTestId('plot-tracked')).toHaveAttribute('aria-label', /suppressed in 1 interval\(s\); gains at every γ above 10\.97\./);
  const rarest = await canvasImage(page, 'plot-tracked');
  await select.selectOption({ label: 'head' });
  await expect(page).toHaveURL(/track=1(&|$)/);
  await expect.poll(() => canvasImage(page, 'plot-tracked')).not.toBe(rarest);
  // The head is suppressed at every γ > 0: one interval from 0 to γ_max.
  await expect(page.getByTestId('plot-tracked')).toHaveAttribute('aria-label', /suppressed in 1 interval\(s\)/);
  // A click at the middle of the γ axis sets γ near γ_max / 2 = 10.
  const box = await page.getByTestId('plot-tracked').boundingBox();
  await page.getByTestId('plot-tracked').click({ position: { x: box.width * 0.55, y: box.height / 2 } });
  const gamma = Number(await page.getByTestId('gamma-input').inputValue());
  expect(gamma).toBeGreaterThan(7);
  expect(gamma).toBeLessThan(13);
  expect(problems).toEqual([]);
});

test('α weights: typed, inverse frequency (uniform Q*), square root, cleared; ranks follow α·p', async ({ page }) => {
  const problems = watchPage(page);
  await page.goto('./?counts=99,1&labels=cows,tiger&gamma=2');
  const alpha = page.getByTestId('alpha-input');
  await alpha.fill('1, 200');
  let core = coreSolve([99, 1], 2, [1, 200]);
  await expect.poll(async () => (await tableRows(page))[1][3]).toBe(significant(core.q[1]));
  let rows = await tableRows(page);
  // α·p puts the tiger first: ranks of p and q* differ, and the check says why.
  expect(rows.map((r) => r.slice(6))).toEqual([['1', '2'], ['2', '1']]);
  await expect(page.getByTestId('order-check')).toContainText('Order preserved for α·p');
  await expect(page).toHaveURL(/alpha=1%2C200/);
  await alpha.fill('1, 2, 3');
  await expect(page.getByTestId('alpha-error')).toHaveText('give one α per class: 3 given for 2 classes');
  await page.getByTestId('alpha-inverse').click();
  await expect(alpha).toHaveValue(`${100 / 198}, 50`);
  await expect.poll(async () => (await tableRows(page)).map((r) => r[3])).toEqual(['0.500000', '0.500000']);
  await expect(page.getByTestId('alpha-error')).toBeHidden();
  await page.getByTestId('alpha-sqrt').click();
  core = coreSolve([99, 1], 2, [Math.sqrt(100 / 198), Math.sqrt(50)]);
  await expect.poll(async () => (await tableRows(page))[1][3]).toBe(significant(core.q[1]));
  await page.getByTestId('alpha-clear').click();
  await expect(alpha).toHaveValue('');
  core = coreSolve([99, 1], 2);
  await expect.poll(async () => (await tableRows(page))[1][3]).toBe(significant(core.q[1]));
  await expect(page).not.toHaveURL(/alpha=/);
  expect(problems).toEqual([]);
});

/** Records in `window.__mapStates`, from the page's start, each state of the
 * imbalance map seen at an animation frame: its progress's `data-complete`
 * and its frame's `aria-busy` ("complete false, busy true" while it computes). */
async function recordMapStates(page) {
  await page.addInitScript(() => {
    window.__mapStates = [];
    const watch = () => {
      const progress = document.querySelector('[data-testid="map-progress"]');
      const frame = document.querySelector('[data-testid="map-frame"]');
      if (progress && frame) {
        const now = `complete ${progress.dataset.complete}, busy ${frame.getAttribute('aria-busy')}`;
        if (window.__mapStates.at(-1) !== now) window.__mapStates.push(now);
      }
      requestAnimationFrame(watch);
    };
    requestAnimationFrame(watch);
  });
}

/** Changes γ (up to eight times) while the imbalance map computes, and returns
 * each change's time until the plot of P and Q* is redrawn (ms). */
async function gammaChangesWhileMapComputes(page) {
  return page.evaluate(async () => {
    const done = () => window.__focalTimings?.['plot-distribution:done'] ?? [];
    const computing = () => document.querySelector('[data-testid="map-progress"]')?.dataset.complete === 'false';
    // Until the map has started (the page opens in stages: the γ bar is
    // there by then, and may not be before).
    while (!document.querySelector('[data-testid="map-progress"]')) await new Promise((r) => setTimeout(r, 5));
    const input = document.querySelector('[data-testid="gamma-input"]');
    const times = [];
    while (times.length < 8 && computing()) {
      const before = done().length;
      const started = performance.now();
      input.value = String(2 + times.length * 0.5);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      while (done().length === before) await new Promise((r) => setTimeout(r, 0));
      times.push(done().at(-1) - started);
    }
    return { times };
  });
}

test('the imbalance map is computed by Web Workers while the page stays responsive', async ({ page }) => {
  const problems = watchPage(page);
  const workerRequests = [];
  page.on('request', (request) => {
    if (/focal-worker/.test(request.url())) workerRequests.push(request.url());
  });
  // 1000 classes: 1536 exact solves of 1000 distinct classes.
  await askForTimings(page);
  await recordMapStates(page);
  await page.goto('./?dist=exp&k=1000&nmax=5000&ratio=100&gamma=1');
  await watchLongTasks(page);
  const progress = page.getByTestId('map-progress');
  // While it computes, γ changes are answered at once: the map is not on the
  // main thread. Should a fast machine finish the first map before two
  // changes are made, a new one (998 classes) is watched instead.
  let response = await gammaChangesWhileMapComputes(page);
  if (response.times.length < 2) {
    await pasteCounts(page, Array.from({ length: 998 }, (_, i) => 5000 * 100 ** (-i / 997)).join('\n'));
    response = await gammaChangesWhileMapComputes(page);
  }
  expect(response.times.length).toBeGreaterThanOrEqual(2);
  expect(median(response.times)).toBeLessThan(25);
  await expect(progress).toHaveAttribute('data-complete', 'true', { timeout: 60_000 });
  await expect(page.getByTestId('map-frame')).toHaveAttribute('aria-busy', 'false');
  // While it computed, the map was marked busy, and no longer once complete
  // (the recorder looks once a frame: the next frame may come after the
  // attributes above were seen).
  const states = () => page.evaluate(() => window.__mapStates);
  await expect.poll(async () => (await states()).at(-1)).toBe('complete true, busy false');
  expect((await states())[0]).toBe('complete false, busy true');
  expect(await progress.getAttribute('value')).toBe(await progress.getAttribute('max'));
  const firstMapMs = await page.evaluate(() => window.__focalTimings['map-complete'].at(-1));
  // Once the workers run, a new map (999 classes) is timed on its own.
  // The main thread's own work after the paste (999 new classes: every plot,
  // then the γ-sweep once edits pause) is timed elsewhere; watched from its end.
  const counts = Array.from({ length: 999 }, (_, i) => 5000 * 100 ** (-i / 998));
  const sweeps = () => page.evaluate(() => window.__focalTimings['plot-entropy:done'].length);
  const sweepsBefore = await sweeps();
  await pasteCounts(page, counts.join('\n'));
  await expect(page.getByTestId('plot-map')).toHaveAttribute('aria-label', /exponential long tail of 999 classes/);
  await expect.poll(sweeps).toBeGreaterThanOrEqual(sweepsBefore + 2);
  await watchLongTasks(page);
  await expect(progress).toHaveAttribute('data-complete', 'true', { timeout: 60_000 });
  const work = await page.evaluate(() => ({
    rows: window.__focalTimings['map-row'],
    total: window.__focalTimings['map-complete'].at(-1),
    longTasks: window.__longTasks,
  }));
  // The main thread only puts rows in (and redraws now and then).
  expect(Math.max(...work.rows)).toBeLessThan(16);
  expect(work.longTasks).toEqual([]);
  // Target 0.6 s on two cores; the suite fails only past twice that.
  expect(work.total).toBeLessThan(1200);
  console.log(`MAP ${JSON.stringify({ cells: Number(await progress.getAttribute('max')), workers: await page.evaluate(() => navigator.hardwareConcurrency), firstMapMs: Math.round(firstMapMs), mapMs: Math.round(work.total), rows: work.rows.length, maxRowMainThreadMs: +Math.max(...work.rows).toFixed(2), gammaChangeWhileComputingMedianMs: +median(response.times).toFixed(1) })}`);
  await canvasIsDrawn(page, 'plot-map', 20000);
  await expect(page.getByText(/1536 cells, \d+\.\d s/)).toBeVisible();
  // A new number of classes while a map computes: the old rows are dropped and the new map completes.
  const statesBefore = await page.evaluate(() => window.__mapStates.length);
  await pasteCounts(page, counts.slice(0, 500).join('\n'));
  await expect.poll(() => page.evaluate((from) => window.__mapStates.slice(from), statesBefore)).toContain('complete false, busy true');
  await page.getByTestId('preset-select').selectOption('cows');
  await expect(progress).toHaveAttribute('data-complete', 'true', { timeout: 60_000 });
  await expect(page.getByTestId('plot-map')).toHaveAttribute('aria-label', /exponential long tail of 2 classes/);
  await expect(page.getByText(/1536 cells, \d+\.\d s/)).toBeVisible();
  // The workers were started once: their three files fetched once per worker.
  const workers = await page.evaluate(() => navigator.hardwareConcurrency);
  expect(workerRequests.length).toBe(3 * Math.min(workers, 8));
  expect(problems).toEqual([]);
});

test('the imbalance map of 100 000 classes completes within the target, its progress shown', async ({ page }) => {
  const problems = watchPage(page);
  await askForTimings(page);
  await page.goto('./?dist=exp&k=100000&nmax=1000000&ratio=1000&gamma=2');
  const progress = page.getByTestId('map-progress');
  await expect(progress).toHaveAttribute('data-complete', 'false');
  // The progress moves while the rows come in.
  await expect.poll(async () => Number(await progress.getAttribute('value')), { timeout: 30_000 }).toBeGreaterThan(0);
  await expect(page.getByTestId('map-frame')).toHaveAttribute('aria-busy', 'true');
  await expect(progress).toHaveAttribute('data-complete', 'true', { timeout: 40_000 });
  const mapMs = await page.evaluate(() => window.__focalTimings['map-complete'].at(-1));
  console.log(`MAP100K ${JSON.stringify({ classes: 100000, cells: Number(await progress.getAttribute('max')), mapMs: Math.round(mapMs) })}`);
  await canvasIsDrawn(page, 'plot-map', 20000);
  // Target 10 s on two cores (while the page also sweeps γ); the suite fails past twice that.
  expect(mapMs).toBeLessThan(20_000);
  expect(problems).toEqual([]);
});

test('rows computed by a map worker match the native core to the map\'s accuracy', async ({ page }) => {
  const problems = watchPage(page);
  await page.goto('./?hide=map');
  // Ten classes, γ up to 20, 5 × 8 cells: rows 0 and 4 straight from a worker.
  const rows = await page.evaluate(async () => {
    const worker = new Worker('./focal-worker-start.js');
    const replies = [];
    await new Promise((resolve) => {
      worker.onmessage = (event) => {
        replies.push([...event.data]);
        if (replies.length === 3) resolve();
      };
      // Task 1 (a map row): job, classes, γ max, rows, columns, row.
      worker.postMessage(new Float64Array([1, 3, 10, 20, 5, 8, 0]));
      worker.postMessage(new Float64Array([1, 3, 10, 20, 5, 8, 4]));
      worker.postMessage(new Float64Array([1, 4, 1, 20, 5, 8, 0]));
    });
    worker.terminate();
    return replies;
  });
  expect(rows.map((r) => r.slice(0, 2))).toEqual([[3, 0], [3, 4], [4, 0]]);
  // One class is no map: the worker answers with an empty row.
  expect(rows[2]).toHaveLength(2);
  // The map's cells are solved by rough passes alone, documented within 2e-6 of exact solves
  // in ln(q*/p) (the core's map tests: 5.4e-7 at most at K = 10); here against the `focal` CLI.
  let largest = 0;
  for (const [, row, ...values] of rows.slice(0, 2)) {
    expect(values).toHaveLength(8);
    const ratio = 10 ** (1 + 5 * (row + 0.5) / 5);
    const counts = Array.from({ length: 10 }, (_, i) => ratio ** (-i / 9));
    values.forEach((value, column) => {
      const core = coreSolve(counts, 20 * (column + 0.5) / 8);
      largest = Math.max(largest, Math.abs(value - Math.log(core.q[9] / core.p[9])));
    });
  }
  console.log(`MAPWORKER ${JSON.stringify({ largestDifferenceFromCore: largest })}`);
  expect(largest).toBeLessThan(2e-6);
  // The cells the core's own tests pin: q*/p = 0.946509 at (0, 0) and 29.0919 at (4, 7).
  expect(Math.exp(rows[0][2])).toBeCloseTo(0.946509, 6);
  expect(Math.exp(rows[1][9])).toBeCloseTo(29.0919, 4);
  expect(problems.filter((p) => !p.includes('map row 0'))).toEqual([]);
});

test('solutions computed by the worker are the core\'s, a burst of γ values ends at the newest, and each settled solution\'s round trip follows it', async ({ page }) => {
  const problems = watchPage(page);
  await page.goto('./?hide=map');
  // Counts 5, 1, 3, 0, 3: groups by increasing p (1; 3 twice; 5), the absent class in none.
  const counts = [5, 1, 3, 0, 3];
  const replies = await page.evaluate(async (counts) => {
    const worker = new Worker('./focal-worker-start.js');
    const replies = [];
    // Replies start with their kind: 1 a solution, 2 a failure, 3 a round trip.
    const done = new Promise((resolve) => {
      worker.onmessage = (event) => {
        replies.push([...event.data]);
        if (replies.at(-1)[0] === 3 && replies.at(-1)[2] === 0.5) resolve();
      };
    });
    // Sent at once: the worker keeps what arrives before its WebAssembly runs.
    worker.postMessage(new Float64Array([2, 1, counts.length, 0, ...counts]));
    worker.postMessage(new Float64Array([3, 1, 2]));
    await new Promise((resolve) => { const wait = () => (replies.length ? resolve() : setTimeout(wait, 5)); wait(); });
    // A burst: the worker takes up the last γ; earlier ones may be skipped.
    for (const gamma of [4, 7, 0.5]) worker.postMessage(new Float64Array([3, 1, gamma]));
    await done;
    worker.terminate();
    return replies;
  }, counts);
  const solutions = replies.filter((r) => r[0] === 1);
  const roundTrips = replies.filter((r) => r[0] === 3);
  expect(solutions.length + roundTrips.length).toBe(replies.length);
  // A solution: kind, serial, γ, λ, FE(P, Q*), H(Q*), FE(P, P), KL(P‖Q*),
  // then per group offset, slope, q, 1 − q, −ln q, r, ln(q/w) and the
  // regime (0 amplified, 1 suppressed, 2 over-suppressed, 3 unchanged).
  const ofGroups = (reply, field) => [2, 1, 0].map((g) => reply[8 + 8 * g + field]);
  const byClass = (q, absent) => [q[0], q[2], q[1], absent, q[1]];
  const core = coreSolve(counts, 2);
  expect(replies[0].slice(0, 3)).toEqual([1, 1, 2]);
  expect(replies[0]).toHaveLength(8 + 8 * 3);
  expect(byClass(ofGroups(replies[0], 2), 0)).toEqual(core.q);
  const regimes = ['amplified', 'suppressed', 'over-suppressed', 'unchanged'];
  expect(byClass(ofGroups(replies[0], 7).map((r) => regimes[r]), 'absent')).toEqual(core.regime);
  ['fe_min', 'shannon_q', 'fe_at_p', 'kl_p_q'].forEach((readout, i) => {
    expect(Math.abs(replies[0][4 + i] / core[readout] - 1), readout).toBeLessThanOrEqual(1e-14);
  });
  expect(solutions.at(-1)[2]).toBe(0.5);
  expect(solutions.length).toBeLessThanOrEqual(4);
  const last = byClass(ofGroups(solutions.at(-1), 2), 0);
  coreSolve(counts, 0.5).q.forEach((q, i) => expect(Math.abs(last[i] - q)).toBeLessThanOrEqual(1e-15 * q));
  // A round trip (kind, serial, γ, largest relative difference) comes only
  // after its own solution, at most once each, and last of all.
  roundTrips.forEach((trip) => {
    expect(trip).toHaveLength(4);
    const at = replies.indexOf(trip);
    expect(replies[at - 1][0] === 1 ? replies[at - 1][2] : NaN).toBe(trip[2]);
    expect(trip[3]).toBeLessThan(1e-12);
  });
  expect(replies.at(-1)[0]).toBe(3);
  console.log(`SOLVEWORKER ${JSON.stringify({ replies: replies.map((r) => [r[0], r[2]]) })}`);
  expect(problems).toEqual([]);
});

test('keyboard: presets, α buttons, play and the tracked-class chooser are reachable and work', async ({ page }) => {
  await page.goto('./?gamma=0');
  await page.getByTestId('preset-select').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('class-table').locator('tbody tr')).toHaveCount(2);
  await page.getByTestId('alpha-inverse').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('alpha-input')).not.toHaveValue('');
  await page.getByTestId('alpha-clear').focus();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('alpha-input')).toHaveValue('');
  // Tab order: from the γ number box to the play button.
  await page.getByTestId('gamma-input').focus();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('play-button')).toBeFocused();
  const outline = await page.getByTestId('play-button').evaluate((b) => getComputedStyle(b).outlineStyle);
  expect(outline).toBe('solid');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play-button')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play-button')).toHaveAttribute('aria-pressed', 'false');
  await page.getByTestId('track-select').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page).toHaveURL(/track=1(&|$)/);
});

test('on a phone-sized screen nothing scrolls sideways and the plots fit', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, hasTouch: true });
  const page = await context.newPage();
  await page.goto('./?dist=exp&k=10&nmax=5000&ratio=100&gamma=1');
  await canvasIsDrawn(page, 'plot-tracked');
  const widths = await page.evaluate(() => ({
    document: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    canvases: [...document.querySelectorAll('canvas')].map((c) => c.getBoundingClientRect().right),
  }));
  expect(widths.document).toBeLessThanOrEqual(widths.viewport);
  for (const right of widths.canvases) expect(right).toBeLessThanOrEqual(widths.viewport);
  await context.close();
});

for (const [width, height] of [[1280, 800], [360, 740]]) {
  test(`γ stays at hand while scrolling, at ${width}×${height}`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    const problems = watchPage(page);
    await page.goto('./?dist=exp&k=10&nmax=5000&ratio=100&gamma=1');
    await canvasIsDrawn(page, 'plot-distribution');
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(500);
    const slider = await page.getByTestId('gamma-slider').boundingBox();
    expect(slider.y).toBeGreaterThanOrEqual(0);
    expect(slider.y + slider.height).toBeLessThanOrEqual(height);
    // Moved from down there, it changes what the page shows.
    await page.getByTestId('gamma-slider').focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('gamma-input')).toHaveValue('1.01');
    await expect(page.getByTestId('class-table').locator('tbody tr').first()).toBeVisible();
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(scroll).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
    await context.close();
  });
}

test('at 1280×800 the distribution, entropy and reshaping plots are in view together', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto('./?dist=exp&k=10&nmax=5000&ratio=100&gamma=1');
  for (const id of ['plot-distribution', 'plot-entropy', 'plot-reshaping']) {
    await canvasIsDrawn(page, id);
    const box = await page.getByTestId(id).boundingBox();
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(800);
  }
  await context.close();
});

test('on a phone, a page opened from a link shows the plots before the editors', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.goto('./?counts=99,1&gamma=3');
  const plot = await page.getByTestId('plot-distribution').boundingBox();
  const editor = await page.getByTestId('counts-input').boundingBox();
  expect(plot.y + plot.height).toBeLessThanOrEqual(740);
  expect(plot.y).toBeLessThan(editor.y);
  // Without a link the editors come first, as before.
  await page.goto('./');
  const plain = await page.getByTestId('plot-distribution').boundingBox();
  const plainEditor = await page.getByTestId('counts-input').boundingBox();
  expect(plainEditor.y).toBeLessThan(plain.y);
  await context.close();
});

// Screenshots at the four widths people use (saved with the test results, and
// looked at for the closing note), with what must hold at each.
for (const [width, height, columns] of [[360, 740, 1], [768, 1000, 1], [1280, 800, 2], [1920, 1080, 2]]) {
  test(`screenshot at ${width}×${height}: no sideways scroll, γ bar on top, ${columns} plot column(s)`, async ({ browser }, testInfo) => {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    await page.goto('./?dist=exp&k=10&nmax=5000&ratio=100&gamma=1');
    await canvasIsDrawn(page, 'plot-tracked');
    await page.getByTestId('invert-use-qstar').click();
    await expect(page.getByTestId('invert-table').locator('tbody tr')).toHaveCount(10);
    const layout = await page.evaluate(() => {
      const box = (id) => document.querySelector(`[data-testid="${id}"]`).getBoundingClientRect();
      return {
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        bar: box('gamma-bar').top,
        distribution: box('plot-distribution'),
        entropy: box('plot-entropy'),
      };
    });
    expect(layout.overflow).toBeLessThanOrEqual(0);
    expect(layout.bar).toBeLessThan(80);
    // Two columns: distribution and entropy side by side; one: stacked.
    const sideBySide = Math.abs(layout.distribution.top - layout.entropy.top) < 5 && layout.entropy.left > layout.distribution.right;
    expect(sideBySide).toBe(columns === 2);
    const path = testInfo.outputPath(`page-${width}.png`);
    await page.screenshot({ path, fullPage: true });
    await context.close();
  });
}

test('on a phone the table shows counts of ten digits, labels and every other cell in full', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.goto('./?dist=exp&k=10&nmax=1e9&ratio=100');
  await expect(page.getByTestId('class-table').locator('tbody tr').first()).toContainText('1000000000');
  // Each cell holds its whole text (none cut off with an ellipsis).
  const cut = await page.getByTestId('class-table').evaluate((table) => [...table.querySelectorAll('tbody tr')]
    .flatMap((row) => [...row.cells])
    .filter((cell) => cell.scrollWidth > cell.clientWidth)
    .map((cell) => cell.textContent));
  expect(cut).toEqual([]);
  await context.close();
});
