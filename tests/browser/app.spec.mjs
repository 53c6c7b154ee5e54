// The app in real headless Chromium against the release build.
import { test, expect } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import {
  askForTimings, canvasImage, canvasIsDrawn, coreSolve, median, openingTasks, overSuppressionRanges, pasteCounts, setGamma,
  significant, tableRows, watchLongTasks, watchLongTasksFromOpening, watchPage,
} from './helpers.mjs';

const DIST = new URL('../../dist/', import.meta.url).pathname;

test('default page shows the core values for 99 cows and 1 tiger', async ({ page }) => {
  const problems = watchPage(page);
  await page.goto('./');
  await expect(page.getByTestId('class-table').locator('tbody tr')).toHaveCount(2);
  const core = coreSolve([99, 1], 2);
  const rows = await tableRows(page);
  expect(rows[0]).toEqual(['cows', '99', significant(core.p[0]), significant(core.q[0]), significant(core.q[0] / core.p[0]), 'suppressed', '1', '1']);
  expect(rows[1]).toEqual(['tiger', '1', significant(core.p[1]), significant(core.q[1]), significant(core.q[1] / core.p[1]), 'amplified', '2', '2']);
  const summary = await page.getByTestId('summary').textContent();
  for (const value of [core.mu, core.fe_min, core.fe_at_p, core.shannon_p, core.shannon_q, core.kl_p_q]) {
    expect(summary).toContain(significant(value));
  }
  await canvasIsDrawn(page, 'plot-distribution');
  await canvasIsDrawn(page, 'plot-entropy');
  // Drawing errors would show under their plot; there are none.
  await expect(page.locator('.plot-frame .error:visible')).toHaveCount(0);
  // Timing records are kept only when a test asks for them.
  expect(await page.evaluate(() => window.__focalTimings)).toBeUndefined();
  expect(problems).toEqual([]);
});

test('typing counts and moving γ recompute the table and redraw both plots', async ({ page }) => {
  const problems = watchPage(page);
  await page.goto('./');
  const counts = [5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50];
  await pasteCounts(page, counts.join('\n'));
  await expect(page.getByTestId('class-table').locator('tbody tr')).toHaveCount(10);
  const before = { distribution: await canvasImage(page, 'plot-distribution'), entropy: await canvasImage(page, 'plot-entropy') };
  await setGamma(page, 5);
  const core = coreSolve(counts, 5);
  await expect.poll(async () => (await tableRows(page))[9][3]).toBe(significant(core.q[9]));
  const rows = await tableRows(page);
  rows.forEach((row, i) => {
    expect(row[0]).toBe(`class ${i + 1}`);
    expect(row[2]).toBe(significant(core.p[i]));
    expect(row[3]).toBe(significant(core.q[i]));
    expect(row[5]).toBe(core.regime[i]);
  });
  // Every plot says which γ it shows, and all show the new one.
  const shownGammas = () => page.$$eval('canvas[data-testid]', (canvases) =>
    Object.fromEntries(canvases.map((c) => [c.dataset.testid, c.dataset.gamma])));
  await expect.poll(shownGammas).toEqual({
    'plot-distribution': '5', 'plot-entropy': '5', 'plot-reshaping': '5', 'plot-tracked': '5', 'plot-map': '5', 'invert-plot': '5',
  });
  expect(await canvasImage(page, 'plot-distribution')).not.toBe(before.distribution);
  expect(await canvasImage(page, 'plot-entropy')).not.toBe(before.entropy);
  // The slider moves γ too.
  await page.getByTestId('gamma-slider').fill('1');
  await expect(page.getByTestId('gamma-input')).toHaveValue('1');
  expect(problems).toEqual([]);
});

test('class rows can be added, edited and removed', async ({ page }) => {
  await page.goto('./');
  await page.getByRole('button', { name: '+ Add class' }).click();
  await page.getByLabel('count of class 3').fill('10');
  await page.getByLabel('count of class 3').press('Tab');
  await page.getByLabel('label of class 3').fill('lion');
  await expect(page.getByTestId('class-table').locator('tbody tr')).toHaveCount(3);
  const core = coreSolve([99, 1, 10], 2);
  await expect.poll(async () => (await tableRows(page))[2]).toEqual(
    ['lion', '10', significant(core.p[2]), significant(core.q[2]), significant(core.q[2] / core.p[2]), core.regime[2], '2', '2'],
  );
  await page.getByRole('button', { name: 'remove class 2' }).click();
  await expect(page.getByTestId('class-table').locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('counts-input')).toHaveValue('cows,99\nlion,10');
  // Counts without labels are named by their places, and keep those names
  // when a class before them is removed; the paste box shows them as counts.
  await page.getByTestId('counts-input').fill('5\n3\n2');
  await expect(page.getByLabel('label of class 3')).toHaveValue('class 3');
  await page.getByRole('button', { name: 'remove class 2' }).click();
  await expect.poll(async () => (await tableRows(page)).map((row) => row.slice(0, 2))).toEqual([['class 1', '5'], ['class 3', '2']]);
  await expect(page.getByTestId('counts-input')).toHaveValue('5\nclass 3,2');
});

test('invalid input shows an inline message and keeps the last valid result', async ({ page }) => {
  const problems = watchPage(page);
  await page.goto('./');
  await page.getByTestId('counts-input').fill('10, -3');
  await expect(page.getByTestId('error-message')).toContainText('the count of class 2 is -3');
  await expect(page.getByTestId('class-table').locator('tbody tr')).toHaveCount(2);
  expect((await tableRows(page))[1][0]).toBe('tiger');
  await page.getByTestId('counts-input').fill('10, abc');
  await expect(page.getByTestId('paste-error')).toContainText('“abc” is not a number');
  await page.getByTestId('gamma-input').fill('101');
  await expect(page.getByTestId('gamma-error')).toContainText('γ must be from 0 to 100');
  await page.getByTestId('counts-input').fill('7, 3');
  await expect(page.getByTestId('error-message')).toBeHidden();
  expect(problems).toEqual([]);
});

test('clicking and dragging on the entropy plot sets γ', async ({ page }) => {
  await page.goto('./');
  const canvas = page.getByTestId('plot-entropy');
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width * 0.75, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  const gamma = Number(await page.getByTestId('gamma-input').inputValue());
  expect(gamma).toBeGreaterThan(8);
  expect(gamma).toBeLessThan(14);
});

test('sorting the table and the log-scale toggle', async ({ page }) => {
  await page.goto('./');
  // Entered in neither label nor q*/p order, so that every sort moves rows.
  await page.getByTestId('counts-input').fill('b,50\nc,500\na,5');
  expect((await tableRows(page)).map((r) => r[0])).toEqual(['b', 'c', 'a']);
  await page.getByRole('button', { name: 'q*/p' }).click();
  const byRatio = await tableRows(page);
  expect(byRatio.map((r) => r[0])).toEqual(['a', 'b', 'c']);
  expect(Number(byRatio[0][4])).toBeGreaterThan(Number(byRatio[1][4]));
  expect(Number(byRatio[1][4])).toBeGreaterThan(Number(byRatio[2][4]));
  await page.getByRole('button', { name: 'Label' }).click();
  expect((await tableRows(page)).map((r) => r[0])).toEqual(['a', 'b', 'c']);
  await page.getByRole('button', { name: 'Label' }).click();
  expect((await tableRows(page)).map((r) => r[0])).toEqual(['c', 'b', 'a']);
  const linear = await canvasImage(page, 'plot-distribution');
  await page.getByTestId('log-scale').check();
  await expect.poll(() => canvasImage(page, 'plot-distribution')).not.toBe(linear);
});

test('labels with commas, numbers and # survive the paste box: shown quoted, edited, read back', async ({ page }) => {
  const problems = watchPage(page);
  await page.goto('./?counts=5,3,1&labels=mid%252C%20one,2024,%23tag');
  const box = page.getByTestId('counts-input');
  await expect(box).toHaveValue('"mid, one",5\n"2024",3\n"#tag",1');
  expect((await tableRows(page)).map((r) => r[0])).toEqual(['mid, one', '2024', '#tag']);
  // Edit one count as a person would: the labels stay, no error appears.
  await box.fill('"mid, one",5\n"2024",30\n"#tag",1');
  await expect.poll(async () => (await tableRows(page))[1][1]).toBe('30');
  expect((await tableRows(page)).map((r) => r[0])).toEqual(['mid, one', '2024', '#tag']);
  await expect(page.getByTestId('paste-error')).toBeHidden();
  await expect(page).toHaveURL(/labels=mid%252C\+one%2C2024%2C%23tag|labels=mid%252C%20one%2C2024%2C%23tag/);
  expect(problems).toEqual([]);
});

test('plots are crisp on high-DPI screens and follow the container width', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await page.goto('./');
  await canvasIsDrawn(page, 'plot-distribution');
  const size = () => page.getByTestId('plot-distribution').evaluate((c) => ({ backing: c.width, css: c.getBoundingClientRect().width }));
  const wide = await size();
  expect(wide.backing).toBe(Math.round(wide.css * 2));
  await page.setViewportSize({ width: 600, height: 900 });
  await expect.poll(async () => (await size()).css).toBeLessThan(wide.css);
  const narrow = await size();
  expect(narrow.backing).toBe(Math.round(narrow.css * 2));
  await context.close();
});

/** Times from a γ change to every plot redrawn (distribution, entropy, reshaping
 * map, tracked class, imbalance map). */
async function gammaChangeTimes(page, steps) {
  return page.evaluate(async (steps) => {
    const input = document.querySelector('[data-testid="gamma-input"]');
    const timings = () => window.__focalTimings ?? {};
    const plots = ['distribution', 'entropy', 'reshaping', 'tracked', 'map'].map((p) => `plot-${p}:done`);
    const doneCount = () => plots.map((k) => (timings()[k] ?? []).length);
    const times = [];
    for (let i = 0; i < steps; i += 1) {
      const before = doneCount();
      const started = performance.now();
      // Always a new γ: setting the current one changes nothing, so redraws nothing.
      const next = 1 + (i % 40) * 0.25;
      input.value = String(Number(input.value) === next ? next + 0.125 : next);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      for (;;) {
        if (doneCount().every((count, k) => count > before[k])) break;
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      const ends = plots.map((k) => timings()[k].at(-1));
      times.push(Math.max(...ends) - started);
    }
    return times;
  }, steps);
}

test('performance budgets (printed and recorded in the README)', async ({ page }) => {
  const figures = {};
  // Bundle size: release wasm + js + css, gzipped; the map's worker (fetched
  // when the map starts) apart.
  const files = readdirSync(DIST).filter((f) => /\.(wasm|js|css)$/.test(f));
  const gzippedSize = (names) => names.reduce((sum, f) => sum + gzipSync(readFileSync(DIST + f), { level: 9 }).length, 0);
  const isWorker = (f) => f.startsWith('focal-worker');
  const gzipped = gzippedSize(files.filter((f) => !isWorker(f)));
  figures.bundleGzipKB = +(gzipped / 1024).toFixed(1);
  figures.workerBundleGzipKB = +(gzippedSize(files.filter(isWorker)) / 1024).toFixed(1);
  expect(files.filter(isWorker).sort()).toEqual(['focal-worker-start.js', 'focal-worker.js', 'focal-worker_bg.wasm']);
  expect(gzipped).toBeLessThanOrEqual(300 * 1024);

  // First plot drawn after navigation; the page is mounted a few parts a
  // task, so that its opening runs no long task (it was one of 50–92 ms).
  await askForTimings(page);
  await watchLongTasksFromOpening(page);
  await page.goto('./');
  await canvasIsDrawn(page, 'plot-distribution');
  await expect(page.getByTestId('invert-input')).toBeVisible();
  figures.openLongTasks = await page.evaluate(() => window.__longTasks.map(([, duration]) => Math.round(duration)));
  const firstDraw = await page.evaluate(() => Math.min(
    window.__focalTimings['plot-distribution:done'][0], window.__focalTimings['plot-entropy:done'][0],
  ));
  figures.firstPlotMs = +firstDraw.toFixed(1);
  // The target is 400 ms (#12); like every timed figure, the suite fails only past twice it, so
  // that a slow or loaded machine does not flake (stop 32's machine, slower than the ones before,
  // measured 216–510 ms on unchanged opening code; the README records every run's figure).
  expect(firstDraw).toBeLessThanOrEqual(800);

  for (const k of [100, 1000]) {
    const counts = Array.from({ length: k }, (_, i) => Math.round(5000 * 100 ** (-i / (k - 1))) + i % 3);
    await pasteCounts(page, counts.join('\n'));
    await expect(page.getByTestId('class-table')).toHaveAttribute('aria-rowcount', String(k + 1));
    // Timed once the imbalance map (computed in the background) is complete.
    await expect(page.getByTestId('map-progress')).toHaveAttribute('data-complete', 'true', { timeout: 60_000 });
    // Main-thread tasks over 50 ms while γ moves.
    await watchLongTasks(page);
    const times = await gammaChangeTimes(page, 41);
    figures[`gammaChangeMedianMs_K${k}`] = +median(times.slice(1)).toFixed(2);
    // Each γ change is one task (the input event and the effects it runs), so its time bounds the task.
    figures[`gammaChangeMaxMs_K${k}`] = +Math.max(...times.slice(1)).toFixed(2);
    figures[`longTasksOver50ms_K${k}`] = await page.evaluate(() => window.__longTasks.length);
  }
  console.log(`PERFORMANCE ${JSON.stringify(figures)}`);
  // Targets 6 and 12 ms (#12); the suite fails past twice them, as the issue asks, so that a noisy
  // machine does not flake (the clean-clone run measured 6.15 ms at K = 100 and 3.7 at K = 1000).
  expect(figures.gammaChangeMedianMs_K100).toBeLessThanOrEqual(12);
  expect(figures.gammaChangeMedianMs_K1000).toBeLessThanOrEqual(24);
  expect(figures.longTasksOver50ms_K100 + figures.longTasksOver50ms_K1000).toBe(0);
  expect(Math.max(0, ...figures.openLongTasks)).toBeLessThanOrEqual(100);
});

test('opening tasks: the default page and a K = 1000 link, every main-thread task timed (Chromium trace)', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  // Three rounds, each in a browser context of its own: the default page first as a new
  // visitor (nothing compiled yet), then as a returning one, then a K = 1000 link.
  const cases = [['default', './'], ['defaultAgain', './'], ['k1000', './?dist=exp&k=1000&nmax=1280&ratio=256']];
  const rounds = [];
  for (let round = 0; round < 3; round++) {
    const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const figures = {};
    for (const [name, url] of cases) figures[name] = await openingTasks(browser, page, url);
    rounds.push(figures);
    await context.close();
  }
  console.log(`OPENTASKS ${JSON.stringify(rounds)}`);
  // The target is 16 ms a task at K ≤ 1000 (#12). Traced, the page's own tasks measured 12–28 ms
  // on this machine and the browser's (navigation, layout, painting) up to 42; the suite fails only
  // past the 100 ms it allows any opening task, so that the trace's own cost and a noisy machine do
  // not flake. The test's own tasks (Playwright's script, run through DevTools) are not counted.
  // A task's time here varies threefold from round to round (the same 416 functions compiled in
  // 19–85 ms): each case is judged by its best round, so that one slow round does not fail it
  // while a long task the page always runs does.
  for (const [name] of cases) {
    for (const { longestOfThePageMs, tasks } of rounds.map((figures) => figures[name])) {
      expect(tasks).toBeGreaterThan(10);
      expect(longestOfThePageMs).toBeGreaterThan(0);
    }
    expect(Math.min(...rounds.map((figures) => figures[name].longestMs))).toBeLessThanOrEqual(100);
  }
});

test('a γ change the page solves itself is drawn in the task that solves it: its plots are never marked as updating for it', async ({ page }) => {
  const problems = watchPage(page);
  await page.goto('./?dist=exp&k=1000&nmax=5000&ratio=100&gamma=1&hide=map');
  await expect(page.getByTestId('plot-distribution')).toHaveAttribute('data-gamma', '1');
  // Every change of a plot's updating mark from now on (marked and cleared within one task, it
  // made the browser recompute the page's style in the middle of each γ change).
  await page.evaluate(() => {
    window.__plotMarks = [];
    new MutationObserver((records) => {
      for (const { target } of records) if (target.matches('.plot-frame')) window.__plotMarks.push(target.getAttribute('aria-busy'));
    }).observe(document.body, { subtree: true, attributeFilter: ['aria-busy'] });
  });
  for (const gamma of [1.5, 2, 3.25, 0.5]) {
    await setGamma(page, gamma);
    for (const id of ['plot-distribution', 'plot-reshaping']) await expect(page.getByTestId(id)).toHaveAttribute('data-gamma', String(gamma));
  }
  expect(await page.evaluate(() => window.__plotMarks)).toEqual([]);
  await expect(page.locator('.plot-frame[aria-busy="true"]')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('a new γ-sweep is computed in short tasks, its plots marked as updating until it is in', async ({ page }) => {
  const problems = watchPage(page);
  await askForTimings(page);
  await page.goto('./?dist=exp&k=1000&nmax=5000&ratio=100&gamma=1&hide=map');
  const marked = page.getByTestId('follows-sweep');
  await expect(marked).toHaveCount(2);
  for (const plot of await marked.all()) await expect(plot).toHaveAttribute('aria-busy', 'false');
  const sweeps = () => page.evaluate(() => (window.__focalTimings['sweep-complete'] ?? []).length);
  expect(await sweeps()).toBe(1);
  await watchLongTasks(page);
  // Every change of the two plots' updating marks from now on: the sweep may be in before a check
  // from here could see the marks, so the page records them itself. And when the sweep's first
  // slice began (it starts a pause after the paste, whose own tasks come before it).
  await page.evaluate(() => {
    const slices = [];
    const push = slices.push.bind(slices);
    slices.push = (milliseconds) => {
      window.__sweepStartedAt ??= performance.now() - milliseconds;
      return push(milliseconds);
    };
    window.__focalTimings['sweep-slice'] = slices;
    window.__sweepMarks = [];
    const plots = [...document.querySelectorAll('[data-testid="follows-sweep"]')];
    new MutationObserver(() => {
      window.__sweepMarks.push(plots.map((plot) => plot.getAttribute('aria-busy')).join(','));
    }).observe(document.body, { subtree: true, attributeFilter: ['aria-busy'] });
  });
  // 1000 other classes: both sweep plots are marked at once, and cleared when the new sweep is in.
  const counts = Array.from({ length: 1000 }, (_, i) => Math.round(9000 * 300 ** (-i / 999)) + (i % 7));
  await pasteCounts(page, counts.join('\n'));
  await expect.poll(sweeps).toBe(2);
  for (const plot of await marked.all()) await expect(plot).toHaveAttribute('aria-busy', 'false');
  const work = await page.evaluate(() => ({
    slices: window.__focalTimings['sweep-slice'],
    total: window.__focalTimings['sweep-complete'].at(-1),
    longTasks: window.__longTasks,
    marks: window.__sweepMarks,
    startedAt: window.__sweepStartedAt,
  }));
  expect(work.marks).toContain('true,true');
  expect(work.marks.at(-1)).toBe('false,false');
  // Many slices of about 8 ms (one solve of 1000 classes may overrun), none long: the target is
  // 16 ms; the suite fails past twice that, so that a noisy machine does not flake. One slice may
  // be stretched by the machine itself (29.8 ms once in a clean-clone run, where the usual largest
  // is 8–10 ms: the parallel tests share two cores), but not past the 50 ms limit of any task twice.
  expect(work.slices.length).toBeGreaterThan(3);
  const slices = [...work.slices].sort((a, b) => a - b);
  expect(slices.at(-2)).toBeLessThan(32);
  expect(slices.at(-1)).toBeLessThan(100);
  // No long task while the sweep computes.
  expect(work.longTasks.filter(([start, duration]) => start + duration > work.startedAt)).toEqual([]);
  // The tracked class follows the new sweep: the rarest class's curve is the core's.
  const rarest = coreSolve(counts, 20);
  const lastRatio = rarest.q[999] / rarest.p[999];
  await expect(page.getByTestId('plot-tracked')).toHaveAttribute('aria-label', lastRatio > 1 ? /gains at every γ/ : /loses at γ max/);
  console.log(`SWEEP ${JSON.stringify({ classes: 1000, slices: work.slices.length, maxSliceMs: +Math.max(...work.slices).toFixed(1), totalMs: Math.round(work.total) })}`);
  expect(problems).toEqual([]);
});

test('a γ-sweep of 20 000 distinct counts stays in short tasks', async ({ page }) => {
  const problems = watchPage(page);
  await askForTimings(page);
  await page.goto('./?gamma=2&hide=map');
  const sweeps = () => page.evaluate(() => (window.__focalTimings['sweep-complete'] ?? []).length);
  await expect.poll(sweeps).toBe(1);
  // A smooth long tail with no two counts equal: 20 000 classes to solve at every γ.
  const counts = Array.from({ length: 20000 }, (_, i) => (1e6 * 1e4 ** (-i / 19999) + i * 1e-3).toFixed(6));
  await pasteCounts(page, counts.join('\n'));
  await expect(page.getByTestId('table-size')).toHaveText('20000 classes.');
  await page.evaluate(() => { window.__focalTimings['sweep-slice'] = []; });
  const started = await page.evaluate(() => performance.now());
  await watchLongTasks(page);
  await expect.poll(sweeps, { timeout: 30_000 }).toBe(2);
  const work = await page.evaluate((started) => ({
    slices: window.__focalTimings['sweep-slice'],
    total: window.__focalTimings['sweep-complete'].at(-1),
    longTasks: window.__longTasks.filter(([start]) => start > started).map(([, duration]) => Math.round(duration)),
  }), started);
  const sorted = [...work.slices].sort((a, b) => a - b);
  const figures = {
    classes: 20000,
    slices: work.slices.length,
    medianSliceMs: +sorted[Math.floor(sorted.length / 2)].toFixed(1),
    maxSliceMs: +sorted.at(-1).toFixed(1),
    totalMs: Math.round(work.total),
    longTasks: work.longTasks,
  };
  console.log(`SWEEP20K ${JSON.stringify(figures)}`);
  // One solve of 20 000 classes is one slice (over the 8 ms budget); the target is 50 ms per task
  // at any K, and the suite fails past twice that.
  expect(figures.medianSliceMs).toBeLessThan(50);
  expect(figures.maxSliceMs).toBeLessThan(100);
  for (const plot of await page.getByTestId('follows-sweep').all()) await expect(plot).toHaveAttribute('aria-busy', 'false');
  // The tracked class follows the new sweep: the rarest class fares at γ max as the core says.
  const rarest = coreSolve(counts.map(Number), 20);
  const lastRatio = rarest.q[19999] / rarest.p[19999];
  await expect(page.getByTestId('plot-tracked')).toHaveAttribute('aria-label', lastRatio > 1 ? /gains at every γ/ : /loses at γ max/);
  expect(problems).toEqual([]);
});

test('the per-class table renders only the rows in view, and every class can be scrolled to and sorted', async ({ page }) => {
  const problems = watchPage(page);
  await page.goto('./?dist=exp&k=20000&nmax=100000&ratio=1000&gamma=2&hide=map');
  const table = page.getByTestId('class-table');
  await expect(table).toHaveAttribute('aria-rowcount', '20001');
  await expect(page.getByTestId('table-size')).toHaveText('20000 classes.');
  const rendered = () => page.$$eval('[data-testid="class-table"] tbody tr', (rows) =>
    rows.map((row) => [Number(row.getAttribute('aria-rowindex')), ...[...row.querySelectorAll('td')].map((td) => td.textContent.trim())]));
  const first = await rendered();
  expect(first.length).toBeLessThan(60);
  expect(first[0].slice(0, 2)).toEqual([2, 'class 1']);
  // Scrolled to the bottom: the last class, in its place.
  const box = page.locator('.table-scroll').filter({ has: table });
  const scrolled = await box.evaluate(async (element) => {
    const started = performance.now();
    element.scrollTop = element.scrollHeight;
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    return performance.now() - started;
  });
  await expect.poll(async () => (await rendered()).at(-1).slice(0, 2)).toEqual([20001, 'class 20000']);
  const bottom = await rendered();
  expect(bottom.length).toBeLessThan(60);
  // The rows shown are those the scroll position says: consecutive, ending at the last.
  bottom.forEach(([index], i) => expect(index).toBe(20001 - bottom.length + 1 + i));
  const lastRow = await table.locator('tbody tr').last().boundingBox();
  const boxBottom = await box.boundingBox();
  expect(Math.abs(lastRow.y + lastRow.height - (boxBottom.y + boxBottom.height))).toBeLessThan(2);
  // Values are the core's (the rarest class, the last row).
  const counts = Array.from({ length: 20000 }, (_, i) => 100000 * 1000 ** (-i / 19999));
  const core = coreSolve(counts, 2);
  expect(bottom.at(-1)[4]).toBe(significant(core.q[19999]));
  // Sorted by q* (descending on the first click), the top row is the largest q*, at the top again.
  await box.evaluate((element) => { element.scrollTop = 0; });
  await page.getByRole('button', { name: 'q*', exact: true }).click();
  await expect(page.getByRole('columnheader', { name: 'q*', exact: true })).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(async () => (await rendered())[0].slice(0, 2)).toEqual([2, 'class 1']);
  // Sorted by label, "class 9999" comes last of all 20000 (text order), reached by scrolling.
  await page.getByRole('button', { name: 'Label' }).click();
  await box.evaluate((element) => { element.scrollTop = element.scrollHeight; });
  await expect.poll(async () => (await rendered()).at(-1).slice(0, 2)).toEqual([20001, 'class 9999']);
  console.log(`TABLE ${JSON.stringify({ classes: 20000, renderedRows: bottom.length, scrollToBottomMs: +scrolled.toFixed(1) })}`);
  expect(problems).toEqual([]);
});

test('a 262 144-token Zipf vocabulary: γ moves smoothly, every plot follows it, values are the core\'s', async ({ page }) => {
  const problems = watchPage(page);
  await askForTimings(page);
  await watchLongTasksFromOpening(page);
  await page.goto('./?dist=zipf&k=262144&nmax=1000000&s=1&gamma=2');
  await expect(page.getByTestId('table-size')).toHaveText('262144 classes.', { timeout: 30_000 });
  await canvasIsDrawn(page, 'plot-distribution');
  const firstPlotMs = await page.evaluate(() => window.__focalTimings['plot-distribution:done'][0]);
  const openLongTasks = await page.evaluate(() => window.__longTasks.map(([, duration]) => Math.round(duration)));
  // The curves along γ are computed (in short tasks) and shown.
  for (const plot of await page.getByTestId('follows-sweep').all()) {
    await expect(plot).toHaveAttribute('aria-busy', 'false', { timeout: 60_000 });
  }
  await canvasIsDrawn(page, 'plot-entropy');
  await watchLongTasks(page);
  const times = await gammaChangeTimes(page, 21);
  const longTasks = await page.evaluate(() => window.__longTasks.map(([, duration]) => Math.round(duration)));
  // Every plot shows the last γ set (the model-outputs panel once γ rests).
  const last = Number(await page.getByTestId('gamma-input').inputValue());
  const plots = await page.$$eval('canvas[data-gamma]', (canvases) => canvases.map((c) => c.dataset.testid));
  expect(plots).toEqual(expect.arrayContaining(['plot-distribution', 'plot-entropy', 'plot-reshaping', 'plot-tracked', 'invert-plot']));
  for (const id of plots) await expect(page.getByTestId(id), id).toHaveAttribute('data-gamma', String(last));
  // Values are the core's: μ, H(Q*), and the most and least frequent tokens' q*.
  const counts = Array.from({ length: 262144 }, (_, i) => Math.max(1, Math.round(1e6 / (i + 1))));
  const core = coreSolve(counts, last);
  const summary = await page.getByTestId('summary').textContent();
  expect(summary).toContain(significant(core.mu));
  const rows = await tableRows(page);
  expect(rows[0].slice(0, 4)).toEqual(['class 1', '1000000', significant(core.p[0]), significant(core.q[0])]);
  await page.getByRole('button', { name: 'q*', exact: true }).click();
  await page.getByRole('button', { name: 'q*', exact: true }).click();
  await expect(page.getByRole('columnheader', { name: 'q*', exact: true })).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(async () => (await tableRows(page))[0][3]).toBe(significant(core.q[262143]));
  // By label, the classes named by their place come in the order of their
  // labels as text ("class 1", "class 10", "class 100", …), with no long task
  // (sorting the labels as strings was one of 170–480 ms).
  await watchLongTasks(page);
  await page.getByRole('button', { name: 'Label', exact: true }).click();
  await expect(page.getByRole('columnheader', { name: 'Label', exact: true })).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(async () => (await tableRows(page)).slice(0, 4).map((row) => row[0]))
    .toEqual(['class 1', 'class 10', 'class 100', 'class 1000']);
  await page.getByRole('button', { name: 'Label', exact: true }).click();
  await expect.poll(async () => (await tableRows(page)).slice(0, 3).map((row) => row[0]))
    .toEqual(['class 99999', 'class 99998', 'class 99997']);
  const labelSortLongTasks = await page.evaluate(() => window.__longTasks.map(([, duration]) => Math.round(duration)));
  // A generator change (s = 1.2): the 262 144 classes are made again, and
  // built, in slices; the values that come are the new classes' own.
  await watchLongTasks(page);
  const changeStarted = Date.now();
  await page.getByTestId('generator-s').fill('1.2');
  await page.getByTestId('generator-s').press('Enter');
  const steeper = coreSolve(Array.from({ length: 262144 }, (_, i) => Math.max(1, Math.round(1e6 / (i + 1) ** 1.2))), last);
  await expect(page.getByTestId('summary')).toContainText(significant(steeper.mu), { timeout: 30_000 });
  const generatorShownMs = Date.now() - changeStarted;
  await expect(page.locator('.plot-frame[aria-busy="true"]')).toHaveCount(0);
  const generatorLongTasks = await page.evaluate(() => window.__longTasks.map(([, duration]) => Math.round(duration)));
  const figures = {
    classes: 262144,
    firstPlotMs: Math.round(firstPlotMs),
    gammaChangeMedianMs: +median(times.slice(1)).toFixed(1),
    gammaChangeMaxMs: +Math.max(...times.slice(1)).toFixed(1),
    longTasksOver50ms: longTasks,
    openLongTasks,
    generatorShownMs,
    generatorLongTasks,
    labelSortLongTasks,
  };
  console.log(`VOCABULARY ${JSON.stringify(figures)}`);
  // The target is 60 ms; the suite fails past twice that.
  expect(figures.gammaChangeMedianMs).toBeLessThanOrEqual(120);
  // Opening the link: its classes made and built in slices (no task over
  // 50 ms is the target; as elsewhere, the test fails past twice that).
  expect(Math.max(0, ...openLongTasks, ...generatorLongTasks, ...labelSortLongTasks)).toBeLessThanOrEqual(100);
  expect(problems).toEqual([]);
});

test('a million distinct counts: the link opens, each γ is solved by the worker and taken in by the page in slices and stages, none of them a long task; plots, table and round trip follow, and α weights set on them are taken in the same way', async ({ page }) => {
  test.setTimeout(120_000);
  const problems = watchPage(page);
  await watchLongTasksFromOpening(page);
  const opened = Date.now();
  await page.goto('./?dist=exp&k=1000000&nmax=1e12&ratio=1e6&hide=map');
  // The classes are made and the problem built in slices: meanwhile the
  // page is there, its plots marked as updating and saying so.
  const frame = page.locator('.plot-frame').filter({ has: page.getByTestId('plot-distribution') });
  await expect(frame).toHaveAttribute('aria-busy', 'true', { timeout: 30_000 });
  const waiting = await frame.evaluate((element) => getComputedStyle(element, '::before').content);
  const tableWaiting = await page.getByTestId('table-size').textContent();
  await expect(page.getByTestId('table-size')).toHaveText('1000000 classes.', { timeout: 60_000 });
  await expect(page.getByTestId('plot-distribution')).toHaveAttribute('data-gamma', '2', { timeout: 60_000 });
  const openedMs = Date.now() - opened;
  await expect(frame).toHaveAttribute('aria-busy', 'false');
  const openLongTasks = await page.evaluate(() => window.__longTasks.map(([, duration]) => Math.round(duration)));
  expect(waiting).toBe('"Computing…"');
  expect(tableWaiting).toBe('Computing the rows of 1000000 classes…');
  await expect(page.getByTestId('invert-summary')).toContainText('Round trip: P → Q* at γ = 2 →', { timeout: 30_000 });
  const steps = [];
  const summaries = [];
  for (const gamma of [2.5, 3, 3.1]) {
    await watchLongTasks(page);
    const started = Date.now();
    await setGamma(page, gamma);
    // Watched at every frame, so that the time is not the test's polling.
    await page.waitForFunction((gamma) => ['plot-distribution', 'plot-reshaping'].every(
      (id) => document.querySelector(`[data-testid="${id}"]`).dataset.gamma === String(gamma),
    ), gamma, { timeout: 30_000 });
    const shownMs = Date.now() - started;
    await expect(page.locator('.plot-frame[aria-busy="true"]')).toHaveCount(0);
    // The round trip P → Q* → P, computed by the worker after the solution.
    const roundTrip = page.getByTestId('invert-summary');
    await expect(roundTrip).toContainText(`Round trip: P → Q* at γ = ${gamma} → back to P agrees with your classes to `);
    const worst = Number((await roundTrip.textContent()).match(/classes to (\S+) \(largest/)[1]);
    expect(worst).toBeLessThan(1e-10);
    summaries.push(await page.getByTestId('summary').textContent());
    const longTasks = await page.evaluate(() => window.__longTasks.map(([, duration]) => Math.round(duration)));
    steps.push({ gamma, shownMs, longTasks });
  }
  // Each γ's summary is its own.
  expect(new Set(summaries).size).toBe(summaries.length);
  // α on the million classes: the problem is built again, in slices and
  // stages, and its solution follows. The trace along γ of the classes
  // without α, under way since the opening, stops at once: while the plot
  // waits for the new problem, no frame says that a trace is under way.
  await expect(page.getByTestId('sweep-note').first()).toContainText('% done');
  await page.evaluate(() => {
    window.__whileBusy = [];
    const watch = () => {
      const busy = document.querySelector('[data-testid="plot-distribution"]').closest('[aria-busy]').getAttribute('aria-busy');
      if (busy === 'true') window.__whileBusy.push(document.querySelector('[data-testid="sweep-note"]').textContent);
      if (window.__whileBusy) requestAnimationFrame(watch);
    };
    requestAnimationFrame(watch);
  });
  await watchLongTasks(page);
  const alphaStarted = Date.now();
  await page.getByTestId('alpha-sqrt').click();
  await expect(page.getByTestId('summary')).not.toHaveText(summaries.at(-1), { timeout: 30_000 });
  const alphaShownMs = Date.now() - alphaStarted;
  await expect(page.locator('.plot-frame[aria-busy="true"]')).toHaveCount(0);
  const notesWhileBusy = await page.evaluate(() => { const notes = window.__whileBusy; window.__whileBusy = null; return notes; });
  expect(notesWhileBusy.length).toBeGreaterThan(3);
  expect(notesWhileBusy.filter((note) => note.includes('% done'))).toEqual([]);
  await page.waitForTimeout(500);
  const alphaLongTasks = await page.evaluate(() => window.__longTasks.map(([, duration]) => Math.round(duration)));
  console.log(`MILLIONSTEP ${JSON.stringify({ openedMs, openLongTasks, steps, alphaShownMs, alphaLongTasks })}`);
  // #12 asks for no task over 50 ms at any K; as everywhere in this suite,
  // the test fails only past twice that, so that a noisy machine does not flake.
  expect(Math.max(0, ...openLongTasks, ...steps.flatMap((s) => s.longTasks), ...alphaLongTasks)).toBeLessThanOrEqual(100);
  expect(problems).toEqual([]);
});

/** Records in `window.__exportStatus` each text of the export status line from now on. */
async function recordExportStatus(page) {
  // The line is mounted with the table, in the last stage of the page's opening.
  await page.getByTestId('export-status').waitFor({ state: 'attached' });
  await page.evaluate(() => {
    window.__exportStatus = [];
    const status = document.querySelector('[data-testid="export-status"]');
    new MutationObserver(() => window.__exportStatus.push(status.textContent)).observe(status, { subtree: true, childList: true, characterData: true });
  });
}

/** Clicks an export button and returns the download's text, how long it took (ms) and the main-thread tasks over 50 ms meanwhile. */
async function exportText(page, testId) {
  await watchLongTasks(page);
  await recordExportStatus(page);
  const started = Date.now();
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId(testId).click()]);
  const text = (await (await file.createReadStream()).toArray()).join('');
  const ms = Date.now() - started;
  const longTasks = await page.evaluate(() => window.__longTasks.map(([, duration]) => Math.round(duration)));
  const statuses = await page.evaluate(() => window.__exportStatus);
  return { name: file.suggestedFilename(), text, ms, longTasks, statuses };
}

test('large CSV exports are written in slices: the page says how far, no long task, every value the core\'s', async ({ page }) => {
  const problems = watchPage(page);
  await askForTimings(page);
  await page.goto('./?dist=zipf&k=262144&nmax=1000000&s=1&gamma=2');
  await expect(page.getByTestId('table-size')).toHaveText('262144 classes.', { timeout: 30_000 });
  for (const plot of await page.getByTestId('follows-sweep').all()) {
    await expect(plot).toHaveAttribute('aria-busy', 'false', { timeout: 60_000 });
  }
  const table = await exportText(page, 'export-csv');
  expect(table.name).toBe('focal-entropy-classes.csv');
  const rows = table.text.trimEnd().split('\n');
  expect(rows).toHaveLength(262145);
  const counts = Array.from({ length: 262144 }, (_, i) => Math.max(1, Math.round(1e6 / (i + 1))));
  const core = coreSolve(counts, 2);
  for (const i of [0, 1000, 262143]) {
    const cells = rows[i + 1].split(',');
    expect(cells[0]).toBe(`class ${i + 1}`);
    expect(Math.abs(Number(cells[3]) / core.q[i] - 1)).toBeLessThan(1e-13);
  }
  const shares = (statuses) => statuses.map((t) => t.match(/^Writing focal-entropy-\w+\.csv: (\d+) %…$/)?.[1]).filter(Boolean).map(Number);
  const tableShares = shares(table.statuses);
  expect(tableShares.length).toBeGreaterThan(3);
  expect(tableShares.every((share, i) => share < 100 && (i === 0 || share >= tableShares[i - 1]))).toBe(true);
  await expect(page.getByTestId('export-status')).toHaveText('');
  // A γ-sweep with a q* column per class: 10 000 classes × 256 γ values, about 60 MB.
  await page.goto('./?dist=zipf&k=10000&nmax=1000000&s=1&gamma=2');
  await expect(page.getByTestId('table-size')).toHaveText('10000 classes.');
  for (const plot of await page.getByTestId('follows-sweep').all()) {
    await expect(plot).toHaveAttribute('aria-busy', 'false', { timeout: 60_000 });
  }
  const sweep = await exportText(page, 'export-sweep-csv');
  const lines = sweep.text.trimEnd().split('\n');
  expect(lines).toHaveLength(257);
  expect(lines[0].split(',')).toHaveLength(10 + 10000);
  const last = lines[256].split(',');
  expect(Number(last[0])).toBe(20);
  const atTwenty = coreSolve(Array.from({ length: 10000 }, (_, i) => Math.max(1, Math.round(1e6 / (i + 1)))), 20);
  expect(Math.abs(Number(last[10 + 9999]) / atTwenty.q[9999] - 1)).toBeLessThan(1e-13);
  expect(shares(sweep.statuses).length).toBeGreaterThan(3);
  const figures = {
    tableClasses: 262144, tableMegabytes: +(table.text.length / 1e6).toFixed(1), tableMs: table.ms, tableLongTasks: table.longTasks,
    sweepMegabytes: +(sweep.text.length / 1e6).toFixed(1), sweepMs: sweep.ms, sweepLongTasks: sweep.longTasks,
  };
  console.log(`EXPORTS ${JSON.stringify(figures)}`);
  // Each was one task of 1.4 s; the target is 50 ms, the suite fails past twice that.
  expect(Math.max(0, ...table.longTasks, ...sweep.longTasks)).toBeLessThan(100);
  expect(problems).toEqual([]);
});

/** Pastes `text` as a person does: through the clipboard, with Ctrl+V in
 * the focused paste box (after Ctrl+A when `replaceAll`, else at the caret
 * where `caret` puts it). */
async function realPaste(page, text, { replaceAll = true, caret } = {}) {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.evaluate((value) => navigator.clipboard.writeText(value), text);
  const box = page.getByTestId('counts-input');
  await box.focus();
  if (replaceAll) await page.keyboard.press('Control+A');
  if (caret) await page.keyboard.press(caret);
  await page.keyboard.press('Control+V');
}

test('a real paste of a million counts is read by the page, never laid out by the browser', async ({ page }) => {
  const problems = watchPage(page);
  await page.goto('./?hide=map');
  const counts = Array.from({ length: 1_000_000 }, (_, i) => Math.max(1, Math.round(1e6 / (i + 1))));
  await watchLongTasks(page);
  // Each text the paste's status line shows, and whether it is shown (the
  // line is mounted with the editors, a few tasks into the page's opening).
  await page.getByTestId('paste-status').waitFor({ state: 'attached' });
  await page.evaluate(() => {
    window.__pasteStatus = [];
    const status = document.querySelector('[data-testid="paste-status"]');
    new MutationObserver(() => {
      const now = status.hidden ? 'hidden' : status.textContent;
      if (window.__pasteStatus.at(-1) !== now) window.__pasteStatus.push(now);
    }).observe(status, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  const started = await page.evaluate(() => performance.now());
  await realPaste(page, counts.join('\n'));
  await expect(page.getByTestId('table-size')).toHaveText('1000000 classes.', { timeout: 60_000 });
  const loaded = await page.evaluate(() => performance.now());
  expect(await page.getByTestId('counts-input').inputValue()).toBe('');
  await expect(page.getByTestId('counts-not-shown')).toContainText('The 1000000 classes are too many to show here as text');
  const longTasks = await page.evaluate(() => window.__longTasks.map(([, duration]) => Math.round(duration)));
  // The browser's own paste inserted the text into the box and laid it out
  // in one task: 3.4 s for 200 000 lines, more than a minute for a million.
  // Now the page reads the text the box would hold, a slice of lines at a
  // time with the share read shown, and leaves the box empty; the problem is
  // then built in stages, none of them a long task (#12: 50 ms; the test
  // fails past twice that).
  const statuses = await page.evaluate(() => window.__pasteStatus);
  const shares = statuses.map((text) => text.match(/^Reading the pasted counts: (\d+) %…$/)?.[1]).filter(Boolean).map(Number);
  expect(shares.length).toBeGreaterThan(3);
  expect(shares.every((share, i) => share < 100 && (i === 0 || share >= shares[i - 1]))).toBe(true);
  expect(statuses.at(-1)).toBe('hidden');
  expect(Math.max(0, ...longTasks)).toBeLessThanOrEqual(100);
  await setGamma(page, 3);
  await expect(page.getByTestId('plot-distribution')).toHaveAttribute('data-gamma', '3');
  // The classes are the pasted counts, in order.
  const rows = await tableRows(page);
  expect(rows.slice(0, 3).map((row) => row.slice(0, 2))).toEqual([['class 1', '1000000'], ['class 2', '500000'], ['class 3', '333333']]);
  // A mistake on the last of a million lines: reported with its line, the
  // classes kept, and the box left empty (not laid out with a million lines).
  await watchLongTasks(page);
  await realPaste(page, `${counts.join('\n')}\nmany`);
  await expect(page.getByTestId('paste-error')).toHaveText('line 1000001: “many” is not a number');
  await expect(page.getByTestId('table-size')).toHaveText('1000000 classes.');
  expect(await page.getByTestId('counts-input').inputValue()).toBe('');
  const mistakeLongTasks = await page.evaluate(() => window.__longTasks.map(([, duration]) => Math.round(duration)));
  expect(Math.max(0, ...mistakeLongTasks)).toBeLessThanOrEqual(100);
  // Typing while a paste is still being read takes its place.
  await realPaste(page, counts.map((count) => count + 1).join('\n'));
  await expect(page.getByTestId('paste-status')).toBeVisible();
  await pasteCounts(page, '5, 3');
  await expect(page.getByTestId('table-size')).toHaveText('2 classes.');
  await page.waitForTimeout(1500);
  await expect(page.getByTestId('table-size')).toHaveText('2 classes.');
  await expect(page.getByTestId('paste-status')).toBeHidden();
  console.log(`PASTE ${JSON.stringify({ classes: counts.length, loadedMs: Math.round(loaded - started), longTasks })}`);
  expect(problems).toEqual([]);
});

test('a large paste replaces the selection, or goes in at the caret, as the browser\'s own paste does', async ({ page }) => {
  const problems = watchPage(page);
  await page.goto('./?hide=map');
  await pasteCounts(page, 'cows,99\ntiger,1');
  await expect(page.getByTestId('table-size')).toHaveText('2 classes.');
  // 12 000 labelled lines, about 150 KB: read by the page (above 64 KB).
  const lines = Array.from({ length: 12_000 }, (_, i) => `owl ${i + 1},${i + 1}`);
  const pasted = `\n${lines.join('\n')}`;
  expect(pasted.length).toBeGreaterThan(64 * 1024);
  await realPaste(page, pasted, { replaceAll: false, caret: 'Control+End' });
  await expect(page.getByTestId('table-size')).toHaveText('12002 classes.');
  // The box shows what it holds now (12 002 classes are few enough to show).
  const shown = await page.getByTestId('counts-input').inputValue();
  expect(shown.split('\n')).toHaveLength(12_002);
  expect(shown.startsWith('cows,99\ntiger,1\nowl 1,1\n')).toBe(true);
  expect(shown.endsWith('\nowl 12000,12000')).toBe(true);
  const rows = await tableRows(page);
  expect(rows.slice(0, 4).map((row) => row.slice(0, 2))).toEqual([['cows', '99'], ['tiger', '1'], ['owl 1', '1'], ['owl 2', '2']]);
  // Over everything selected: the paste replaces it.
  await realPaste(page, lines.join('\n'));
  await expect(page.getByTestId('table-size')).toHaveText('12000 classes.');
  expect((await page.getByTestId('counts-input').inputValue()).startsWith('owl 1,1\n')).toBe(true);
  // A mistake in a large paste is reported with its line, and nothing changes.
  await realPaste(page, `${lines.slice(0, 9000).join('\n')}\nowl 9001,many`);
  await expect(page.getByTestId('paste-error')).toHaveText('line 9001: “many” is not a number');
  await expect(page.getByTestId('table-size')).toHaveText('12000 classes.');
  // The box shows the text with the mistake (few enough lines), to be mended there.
  expect((await page.getByTestId('counts-input').inputValue()).endsWith('\nowl 9000,9000\nowl 9001,many')).toBe(true);
  expect(problems).toEqual([]);
});

/** Opens the page (the map hidden) and pastes the distinct counts 1 to `k`; returns them. */
async function openWithDistinctCounts(page, k) {
  await page.goto('./?hide=map');
  const counts = Array.from({ length: k }, (_, i) => 1 + i);
  await pasteCounts(page, counts.join('\n'));
  await expect(page.getByTestId('table-size')).toHaveText(`${k} classes.`);
  return counts;
}

test('problems of more than 32 768 distinct counts: a worker traces the curves along γ, saying how far it has got, and their findings are the core\'s', async ({ page }) => {
  const problems = watchPage(page);
  const counts = await openWithDistinctCounts(page, 40000);
  await watchLongTasks(page);
  const started = Date.now();
  // The page does not keep 40 000 distinct classes' solutions at 64 γ values:
  // a worker traces the curves, and says how far it has got.
  const note = page.getByTestId('sweep-note').first();
  await expect(note).toContainText(/^A worker traces the curves along γ of these many distinct counts: \d+ % done\.$/);
  for (const plot of await page.getByTestId('follows-sweep').all()) {
    await expect(plot).toHaveAttribute('aria-busy', 'false', { timeout: 60_000 });
  }
  const tracedMs = Date.now() - started;
  await expect(note).toBeHidden();
  for (const id of ['plot-entropy', 'plot-tracked']) {
    await expect(page.getByTestId(id)).toHaveAttribute('data-gamma', '2');
    await canvasIsDrawn(page, id);
  }
  // The findings along γ are the core's: the rarest class (count 1) loses
  // on each over-suppression range and gains between them, on both sides of
  // every end inside (0, 20], as the core solves there.
  const ranges = await overSuppressionRanges(page);
  expect(ranges.length).toBeGreaterThan(0);
  const rarestRatio = (gamma) => {
    const core = coreSolve(counts, gamma);
    return core.q[0] / core.p[0];
  };
  for (const [from, to] of ranges) {
    const inside = Math.min(to, (from + to) / 2 + 1e-6);
    expect(rarestRatio(inside)).toBeLessThan(1);
    if (to < 20) expect(rarestRatio(to + 1e-6)).toBeGreaterThan(1);
  }
  const text = await page.getByTestId('oversuppression-range').textContent();
  // A γ step follows at once, and the curves stay (the same γ range).
  await setGamma(page, 3);
  await expect(page.getByTestId('plot-distribution')).toHaveAttribute('data-gamma', '3');
  await expect(page.getByTestId('plot-entropy')).toHaveAttribute('data-gamma', '3');
  await expect(page.locator('[data-testid="follows-sweep"][aria-busy="true"]')).toHaveCount(0);
  // Another tracked class is traced anew; meanwhile only its own plot is marked
  // as updating: the entropy curves and the findings are those of the same problem.
  const [entropyFrame, trackedFrame] = await page.getByTestId('follows-sweep').all();
  await page.getByTestId('track-select').selectOption('499');
  await expect(trackedFrame).toHaveAttribute('aria-busy', 'true');
  expect(await entropyFrame.getAttribute('aria-busy')).toBe('false');
  await expect(page.getByTestId('oversuppression-range')).toHaveText(text);
  // Not busy once the tracked curve is of the chosen class (the page shows none of another).
  await expect(trackedFrame).toHaveAttribute('aria-busy', 'false', { timeout: 60_000 });
  const class500 = coreSolve(counts, 20);
  await expect(page.getByTestId('plot-tracked')).toHaveAttribute('aria-label',
    class500.q[499] > class500.p[499] ? /gains at every γ/ : /loses at γ max/);
  // The paste box is emptied once the 40 000 classes are read, and says why.
  await expect(page.getByTestId('counts-not-shown')).toContainText('The 40000 classes are too many to show here as text');
  expect(await page.getByTestId('counts-input').inputValue()).toBe('');
  const longTasks = await page.evaluate(() => window.__longTasks.map(([, duration]) => Math.round(duration)));
  console.log(`TRACED ${JSON.stringify({ distinct: 40000, tracedMs, ranges, longTasks })}`);
  // Back to a few classes: the page sweeps them itself again.
  await pasteCounts(page, '99\n1');
  await expect(page.getByTestId('oversuppression-range')).not.toHaveText(text);
  await expect(page.getByTestId('plot-entropy')).toHaveAttribute('data-gamma', '3');
  await canvasIsDrawn(page, 'plot-entropy');
  expect(problems).toEqual([]);
});

test('α weights for more than 20 000 classes are not shown as text: the box says how many, and γ steps stay short', async ({ page }) => {
  const problems = watchPage(page);
  await openWithDistinctCounts(page, 40000);
  await watchLongTasks(page);
  // Inverse frequency: α·p is uniform, so Q* is uniform at every γ.
  await page.getByTestId('alpha-inverse').click();
  const box = page.getByTestId('alpha-input');
  await expect(box).toHaveAttribute('placeholder', '40000 weights, too many to show');
  expect(await box.inputValue()).toBe('');
  await expect(page.getByTestId('link-left-out')).toContainText('their α weights are left out');
  await setGamma(page, 3.5);
  for (const id of ['plot-distribution', 'plot-reshaping']) await expect(page.getByTestId(id)).toHaveAttribute('data-gamma', '3.5');
  await expect(page.locator('.plot-frame[aria-busy="true"]')).toHaveCount(0);
  const rows = await tableRows(page);
  expect(rows.slice(0, 3).map((row) => row[3])).toEqual(Array(3).fill(significant(1 / 40000)));
  // Shown as text, a million weights took 4.4 s to set and 0.4 s more at
  // every γ step (the browser saves the box's value with the address).
  const longTasks = await page.evaluate(() => window.__longTasks.map(([, duration]) => Math.round(duration)));
  console.log(`ALPHALARGE ${JSON.stringify({ classes: 40000, longTasks })}`);
  expect(Math.max(0, ...longTasks)).toBeLessThanOrEqual(100);
  // Cleared: the box offers no weights again.
  await page.getByTestId('alpha-clear').click();
  await expect(box).toHaveAttribute('placeholder', 'none: every class weighs 1');
  expect(problems).toEqual([]);
});

test('γ for more than 32 768 distinct counts is solved by the worker: γ is answered at once, the plots say they are updating, values are the core\'s', async ({ page }) => {
  const problems = watchPage(page);
  const counts = await openWithDistinctCounts(page, 40000);
  await expect(page.getByTestId('plot-distribution')).toHaveAttribute('data-gamma', '2');
  // Every change of each plot's updating mark, from now on.
  await page.evaluate(() => {
    window.__busy = [];
    const frames = [...document.querySelectorAll('.plot-frame')];
    new MutationObserver(() => window.__busy.push(frames.map((f) => f.getAttribute('aria-busy')).join(',')))
      .observe(document.body, { subtree: true, attributeFilter: ['aria-busy'] });
  });
  await watchLongTasks(page);
  const started = Date.now();
  await setGamma(page, 3.5);
  for (const id of ['plot-distribution', 'plot-reshaping']) await expect(page.getByTestId(id)).toHaveAttribute('data-gamma', '3.5');
  const shownMs = Date.now() - started;
  const busy = await page.evaluate(() => window.__busy);
  // Marked as updating while the worker solved, and no longer once its solution is drawn.
  expect(busy.some((marks) => marks.split(',').every((m) => m === 'true'))).toBe(true);
  await expect(page.locator('.plot-frame[aria-busy="true"]')).toHaveCount(0);
  const core = coreSolve(counts, 3.5);
  const summary = await page.getByTestId('summary').textContent();
  for (const value of [core.mu, core.fe_min, core.shannon_q, core.kl_p_q]) expect(summary).toContain(significant(value));
  const rows = await tableRows(page);
  expect(rows[0][3]).toBe(significant(core.q[0]));
  // The round trip P → Q* → P at the settled γ comes from the worker too.
  const roundTrip = page.getByTestId('invert-summary');
  await expect(roundTrip).toContainText('Round trip: P → Q* at γ = 3.5 → back to P agrees with your classes to ');
  const worst = Number((await roundTrip.textContent()).match(/classes to (\S+) \(largest/)[1]);
  expect(worst).toBeLessThan(1e-10);
  const longTasks = await page.evaluate(() => window.__longTasks.map(([, duration]) => Math.round(duration)));
  console.log(`WORKERSOLVE ${JSON.stringify({ classes: 40000, shownMs, longTasks, roundTripWorst: worst })}`);
  expect(problems).toEqual([]);
});
