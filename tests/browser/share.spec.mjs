// Share links, hostile links, embedding in another origin's page, the message
// API, sub-path hosting and the recommended Content-Security-Policy.
import { test, expect } from '@playwright/test';
import { canvasIsDrawn, coreSolve, significant, tableRows, watchPage } from './helpers.mjs';

const APP = 'http://127.0.0.1:8123/';
const HOST = 'http://127.0.0.1:8125/';

test('a share link restores inputs and table, γ changes the URL, reload keeps it', async ({ page }) => {
  const problems = watchPage(page);
  // A comma inside a label is written %2C inside the list, so %252C in the URL.
  await page.goto('./?v=1&counts=500,120,30,8,2&labels=head,mid%252C%20one,mid2,rare,tiny&gamma=3.5&log=1&units=bits');
  await expect(page.getByTestId('gamma-input')).toHaveValue('3.5');
  await expect(page.getByTestId('log-scale')).toBeChecked();
  await expect(page.getByTestId('units')).toHaveValue('bits');
  await expect(page.getByTestId('counts-input')).toHaveValue('head,500\n"mid, one",120\nmid2,30\nrare,8\ntiny,2');
  const core = coreSolve([500, 120, 30, 8, 2], 3.5);
  const rows = await tableRows(page);
  expect(rows.map((r) => r[0])).toEqual(['head', 'mid, one', 'mid2', 'rare', 'tiny']);
  rows.forEach((row, i) => expect(row[3]).toBe(significant(core.q[i])));
  await expect(page.getByTestId('summary')).toContainText('bits');

  const historyBefore = await page.evaluate(() => history.length);
  for (const gamma of ['4', '5', '6']) await page.getByTestId('gamma-input').fill(gamma);
  await expect.poll(() => new URL(page.url()).searchParams.get('gamma')).toBe('6');
  expect(await page.evaluate(() => history.length)).toBe(historyBefore);
  const before = await tableRows(page);
  await page.reload();
  await expect(page.getByTestId('gamma-input')).toHaveValue('6');
  await expect.poll(() => tableRows(page)).toEqual(before);
  expect(problems).toEqual([]);
});

test('hostile and malformed links fall back to defaults with a notice and inject nothing', async ({ page }) => {
  const problems = watchPage(page);
  // 30 000 classes, the last of them negative.
  const hugeList = [...Array.from({ length: 30000 }, () => '1'), '-1'].join(',');
  const queries = [
    `counts=${hugeList}`,
    'gamma=NaN&counts=1,-2,3&units=furlongs',
    `labels=${encodeURIComponent('<script>window.hacked=1</script>,<img src=x onerror="window.hacked=2">')}&counts=4,5`,
    `gamma=${'9'.repeat(100_000)}`,
    'dist=exp&k=0&nmax=-5',
  ];
  for (const query of queries) {
    await page.goto(`./?${query}`);
    await expect(page.getByTestId('class-table').locator('tbody tr').first()).toBeVisible();
    if (!query.startsWith('labels=')) {
      await expect(page.getByTestId('notice')).toBeVisible();
    }
    const injected = await page.evaluate(() => ({
      hacked: window.hacked ?? null,
      scripts: document.querySelectorAll('#app script, #app img').length,
    }));
    expect(injected).toEqual({ hacked: null, scripts: 0 });
  }
  // The markup is shown as text.
  expect((await tableRows(page)).length).toBeGreaterThan(0);
  await page.goto(`./?labels=${encodeURIComponent('<b>bold</b>,x')}&counts=4,5`);
  expect((await tableRows(page))[0][0]).toBe('<b>bold</b>');
  await expect(page.locator('#app b')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('generator links make many classes; editing by hand turns them into a list', async ({ page }) => {
  await page.goto('./?v=1&dist=exp&k=100&nmax=500&ratio=100&gamma=2');
  await expect(page.getByTestId('generator')).toHaveValue('exp');
  await expect(page.getByTestId('class-table')).toHaveAttribute('aria-rowcount', '101');
  await page.getByTestId('generator-k').fill('50');
  await page.getByTestId('generator-k').press('Enter');
  await expect(page.getByTestId('class-table')).toHaveAttribute('aria-rowcount', '51');
  await expect.poll(() => new URL(page.url()).searchParams.get('k')).toBe('50');
  await page.goto('./?dist=zipf&k=1000&nmax=1000&s=1.1');
  await expect(page.getByTestId('table-size')).toHaveText('1000 classes.');
  await page.goto('./?dist=step&k=10&minority=5&nmax=5000&ratio=100');
  await expect(page.getByTestId('class-table').locator('tbody tr')).toHaveCount(10);
  await page.getByTestId('counts-input').evaluate((box) => {
    box.value = '1, 2, 3';
    box.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await expect(page.getByTestId('generator')).toHaveValue('list');
  await expect.poll(() => new URL(page.url()).searchParams.get('counts')).toBe('1,2,3');
  expect(new URL(page.url()).searchParams.get('dist')).toBeNull();
});

test('copy link copies the address and confirms it', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: APP.slice(0, -1) });
  await page.goto('./?gamma=4');
  await page.getByTestId('copy-link').click();
  await expect(page.getByText('Copied ✓').first()).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(`${APP}?v=1&gamma=4`);
});

test('the embed dialog writes an iframe snippet for the chosen panels', async ({ page }) => {
  await page.goto('./?counts=9,1&gamma=3');
  await page.getByTestId('embed-button').click();
  const snippet = page.getByTestId('embed-snippet');
  await expect(snippet).toHaveValue(/^<iframe src="http:\/\/127\.0\.0\.1:8123\/\?v=1&amp;counts=9%2C1&amp;gamma=3&amp;embed=1&amp;hide=text%2Ccounts%2Ctracked%2Cmap%2Csummary%2Ctable%2Cinvert" title="Focal-Entropy Explorer: focal loss at γ = 3 on 2 classes" width="100%" height="910" loading="lazy"/);
  await page.getByLabel('Per-class table').check();
  await expect(snippet).toHaveValue(/hide=text%2Ccounts%2Ctracked%2Cmap%2Csummary%2Cinvert"/);
});

test('embedded in another origin: hidden panels, no horizontal scroll at 320 px, message round trip', async ({ page }) => {
  const problems = watchPage(page);
  const app = `${APP}?counts=99,1&gamma=2&embed=1&hide=entropy`;
  await page.goto(`${HOST}?app=${encodeURIComponent(app)}`);
  const frame = page.frameLocator('#explorer');
  await expect(frame.getByTestId('plot-distribution')).toBeVisible();
  await expect(frame.getByTestId('gamma-slider')).toBeVisible();
  for (const hidden of ['plot-entropy', 'class-table', 'summary', 'counts-input']) {
    await expect(frame.getByTestId(hidden)).toHaveCount(0);
  }
  await expect(frame.getByTestId('open-full')).toHaveAttribute('href', `${APP}?v=1&counts=99%2C1`);
  await expect(frame.getByTestId('open-full')).toHaveAttribute('target', '_blank');
  const scroll = await frame.locator('body').evaluate((body) => body.scrollWidth - body.clientWidth);
  expect(scroll).toBeLessThanOrEqual(0);
  // The app reports its state to the host page.
  await expect.poll(() => page.evaluate(() => window.received.length)).toBeGreaterThan(0);
  // Malformed messages are ignored; a set message changes γ and counts.
  await page.evaluate(() => {
    const target = document.getElementById('explorer').contentWindow;
    target.postMessage('garbage', '*');
    target.postMessage({ type: 'something-else', gamma: 9 }, '*');
    target.postMessage({ type: 'focal-entropy:set', gamma: 'NaN' }, '*');
    target.postMessage({ type: 'focal-entropy:set', gamma: 7, counts: [10, 1, 1] }, '*');
  });
  await expect(frame.getByTestId('gamma-input')).toHaveValue('7');
  const core = coreSolve([10, 1, 1], 7);
  await expect.poll(() => page.evaluate(() => window.received.at(-1)?.gamma)).toBe(7);
  const last = await page.evaluate(() => window.received.at(-1));
  expect(last).toMatchObject({ type: 'focal-entropy:state', gamma: 7, counts: [10, 1, 1], regime: core.regime });
  last.q.forEach((q, i) => expect(Math.abs(q / core.q[i] - 1)).toBeLessThan(1e-12));
  expect(Math.abs(last.mu / core.mu - 1)).toBeLessThan(1e-12);
  // The findings travel with the state, as the command-line tool computes them.
  // Exact except in the last bits: wasm's libm and the native one may round differently.
  const { mass_q: massQ, ...rare } = last.findings.at.rare_mass;
  const { mass_q: coreMassQ, ...coreRare } = core.findings.rare_mass;
  expect(rare).toEqual(coreRare);
  expect(Math.abs(massQ / coreMassQ - 1)).toBeLessThan(1e-14);
  const { uniform, ...entropy } = last.findings.at.entropy;
  const { uniform: coreUniform, ...coreEntropy } = core.findings.entropy;
  expect(entropy).toEqual(coreEntropy);
  // ln K: wasm's libm and the native one may differ in the last bit.
  expect(Math.abs(uniform / coreUniform - 1)).toBeLessThan(1e-15);
  expect(last.findings.at.movement.gainers.count).toBe(core.findings.movement.gainers.count);
  // The ranges along γ follow once the sweep of the new classes is computed.
  await expect.poll(() => page.evaluate(() => window.received.at(-1)?.findings?.along?.gamma_max)).toBe(20);
  const along = await page.evaluate(() => window.received.at(-1).findings.along);
  expect(Array.isArray(along.over_suppression)).toBe(true);
  expect(Array.isArray(along.entropy_below)).toBe(true);
  expect(['from', 'beyond', 'not-by-100', 'unmoved']).toContain(along.lift.kind);
  await page.getByRole('button', { name: 'Show γ = 5' }).click();
  await expect(frame.getByTestId('gamma-input')).toHaveValue('5');
  expect(problems.filter((p) => !p.includes('favicon'))).toEqual([]);
});

test('dist/ works from a sub-path and under the recommended Content-Security-Policy', async ({ page }) => {
  const problems = watchPage(page);
  for (const base of ['sub/path/', 'csp/']) {
    await page.goto(`./${base}?counts=3,1&gamma=1`);
    await expect(page.getByTestId('class-table').locator('tbody tr')).toHaveCount(2);
    await canvasIsDrawn(page, 'plot-distribution');
    // The map's workers start from there too.
    await expect(page.getByTestId('map-progress')).toHaveAttribute('data-complete', 'true');
    await page.getByTestId('gamma-input').fill('2.5');
    await expect.poll(() => page.url()).toBe(`${APP}${base}?v=1&counts=3%2C1&gamma=2.5`);
  }
  expect(problems).toEqual([]);
});

test('new counts from a host message drop α weights that no longer fit, with a notice and a working link', async ({ page }) => {
  const problems = watchPage(page);
  await page.goto('./?counts=3,2,1&alpha=1,2,3');
  await expect(page.getByTestId('alpha-input')).toHaveValue('1, 2, 3');
  await page.evaluate(() => window.postMessage({ type: 'focal-entropy:set', counts: [5, 4, 3, 2] }, '*'));
  await expect(page.getByTestId('class-table').locator('tbody tr')).toHaveCount(4);
  await expect(page.getByTestId('notice')).toContainText('alpha: 3 α weights do not fit 4 classes; they were dropped.');
  await expect(page.getByTestId('alpha-input')).toHaveValue('');
  await expect(page).toHaveURL(/counts=5%2C4%2C3%2C2/);
  expect(page.url()).not.toContain('alpha');
  // The new result is shown (no stale α error), and the link opens as it is.
  const core = coreSolve([5, 4, 3, 2], 2);
  await expect.poll(async () => (await tableRows(page))[3][3]).toBe(significant(core.q[3]));
  await page.goto(page.url());
  await expect(page.getByTestId('class-table').locator('tbody tr')).toHaveCount(4);
  await expect(page.getByTestId('notice')).toBeHidden();
  expect(problems).toEqual([]);
});
