// Shared helpers of the browser suite.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from '@playwright/test';

const FOCAL = new URL('../../target/release/focal', import.meta.url).pathname;

/** The core's answer, from the `focal` command-line tool (the same Rust code,
 * natively); many counts go through a file, as a command line has a limit. */
export function coreSolve(counts, gamma, alpha) {
  const weights = alpha ? ['--alpha', alpha.join(',')] : [];
  let classes = ['--counts', counts.join(',')];
  if (counts.length > 1000) {
    const file = join(mkdtempSync(join(tmpdir(), 'focal-')), 'counts.csv');
    writeFileSync(file, counts.join('\n'));
    classes = ['--counts-file', file];
  }
  const out = execFileSync(FOCAL, [...classes, '--gamma', String(gamma), ...weights, '--json'], { maxBuffer: 1 << 30 });
  return JSON.parse(out.toString());
}

/** The app's number format: `digits` significant digits, notation chosen from
 * the rounded value (mirrors src/state/format.rs). */
export function significant(value, digits = 6) {
  if (value === 0) return '0';
  const [mantissa, exponent] = value.toExponential(digits - 1).split('e');
  const magnitude = Number(exponent);
  if (magnitude >= -3 && magnitude < 6) return value.toFixed(Math.max(0, digits - 1 - magnitude));
  return `${mantissa}e${magnitude}`;
}

/** Cells of every row of the class table, once it has rows (the page mounts
 * the table in the last stage of its opening). */
export async function tableRows(page) {
  await page.locator('[data-testid="class-table"] tbody tr').first().waitFor();
  return page.$$eval('[data-testid="class-table"] tbody tr', (rows) =>
    rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent.trim())),
  );
}

/** Collects console errors, page errors and requests to other origins. */
export function watchPage(page) {
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!['127.0.0.1', 'localhost'].includes(url.hostname) && url.protocol !== 'data:' && url.protocol !== 'blob:') {
      problems.push(`request to another origin: ${request.url()}`);
    }
  });
  return problems;
}

/** Sets γ through the number box. */
export async function setGamma(page, gamma) {
  await page.getByTestId('gamma-input').fill(String(gamma));
}

/** A PNG data URL of a canvas. */
export async function canvasImage(page, testId) {
  return page.getByTestId(testId).evaluate((canvas) => canvas.toDataURL());
}

/** Whether a canvas has more than `minimum` pixels that differ from its corner. */
export async function canvasIsDrawn(page, testId, minimum = 1000) {
  const distinct = await page.getByTestId(testId).evaluate((canvas) => {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) count += 1;
    }
    return count;
  });
  expect(distinct).toBeGreaterThan(minimum);
}

/** Median of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Pastes text into the counts box: one input event, as a real paste makes
 * (Playwright's fill types multi-line text line by line). */
export async function pasteCounts(page, text) {
  await page.getByTestId('counts-input').evaluate((box, value) => {
    box.focus();
    box.value = value;
    box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
  }, text);
}

/** Asks the page for its timing records (`window.__focalTimings`), which it
 * keeps only when asked; call before `page.goto`. */
export async function askForTimings(page) {
  await page.addInitScript(() => { window.__focalTimings = {}; });
}

/** The core's posteriors for rows of model outputs, from `focal invert --json`. */
export function coreInvert(rows, gamma) {
  const out = execFileSync(FOCAL, ['invert', '--gamma', String(gamma), '--probs-file', '-', '--json'], {
    input: rows.map((r) => r.join(',')).join('\n'),
  });
  return out.toString().trim().split('\n').map((line) => JSON.parse(line).p);
}

/** Records main-thread tasks over 50 ms from now on in `window.__longTasks` as
 * [start, duration] pairs in ms (the Long Tasks API reports no shorter ones). */
export async function watchLongTasks(page) {
  await page.evaluate(observeLongTasks);
}

/** Records the page's long tasks from its first script on (call before `page.goto`): its opening. */
export async function watchLongTasksFromOpening(page) {
  await page.addInitScript(observeLongTasks);
}

/** Starts recording the page's long tasks in `window.__longTasks`, as [start, duration] pairs. */
function observeLongTasks() {
  window.__longTasks = [];
  window.__longTaskObserver?.disconnect();
  window.__longTaskObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longTasks.push([entry.startTime, entry.duration]);
  });
  window.__longTaskObserver.observe({ type: 'longtask' });
}

/** The over-suppression ranges the page shows, parsed. */
export async function overSuppressionRanges(page) {
  // The ranges come from the γ-sweep: until the sweep of the current classes
  // is in (its plots no longer marked as updating), they are the last ones'.
  await expect(page.locator('[data-testid="follows-sweep"][aria-busy="true"]')).toHaveCount(0);
  const element = page.getByTestId('oversuppression-range');
  await expect(element).toHaveAttribute('data-ranges', /^\[/);
  return JSON.parse(await element.getAttribute('data-ranges'));
}

/** The main thread's tasks while the page opens at `url` (relative to the
 * suite's base URL), from a Chromium trace, in ms: the longest of all, and
 * the longest that ran the page's own code (a timer, an event, a message or
 * a frame callback: a task with a function call in it; the others are the
 * browser's own navigation, parsing, layout, painting and garbage
 * collection). The Long Tasks API sees only tasks over 50 ms; the target at
 * K ≤ 1000 is 16.
 *
 * Two kinds of work are the test's, not the page's, and are kept out:
 * - the page is opened from a blank one, as from another site, so that the
 *   navigation's task does not include taking down the page opened before
 *   it (17–45 ms of unload and detaching, when that was this app);
 * - tasks that carry a message of the test's DevTools session (Playwright
 *   evaluating its own 330 KB of script in the new page, to find elements)
 *   are reported apart, as `harnessLongestMs`: they measured 15–115 ms and
 *   were the long task in the runs that failed this test at 103–142 ms.
 *   The style, layout and painting such a task forces (the page's work,
 *   done early for the test's checks) still counts, as a task of its own. */
export async function openingTasks(browser, page, url) {
  await page.goto('about:blank');
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel'] });
  await page.goto(url);
  await canvasIsDrawn(page, 'plot-distribution');
  // The last stage of the opening is mounted, and its first drawing done.
  await expect(page.getByTestId('invert-input')).toBeVisible();
  await page.waitForTimeout(500);
  const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
  // The page's main thread: where the app's script runs.
  const script = events.find((e) => e.name === 'FunctionCall' && /focal-entropy-explorer/.test(e.args?.data?.url ?? ''));
  const onMain = (e) => script && e.pid === script.pid && e.tid === script.tid && e.ph === 'X';
  const within = (task, e) => e.ts >= task.ts && e.ts < task.ts + task.dur;
  const calls = events.filter((e) => onMain(e) && e.name === 'FunctionCall');
  const fromTheTest = events.filter((e) => onMain(e) && e.name === 'Receive mojo message'
    && (e.args?.chrome_mojo_event_info?.mojo_interface_tag ?? '').startsWith('blink.mojom.DevToolsSession'));
  const allTasks = events.filter((e) => onMain(e) && e.name === 'RunTask');
  const isTheTests = (task) => fromTheTest.some((message) => within(task, message));
  const tasks = allTasks.filter((task) => !isTheTests(task));
  const rendering = (task) => ({
    dur: events.filter((e) => onMain(e) && within(task, e) && /^(UpdateLayoutTree|Layout|PrePaint|Paint)$/.test(e.name))
      .reduce((sum, e) => sum + e.dur, 0),
  });
  const renderedForTheTest = allTasks.filter(isTheTests).map(rendering);
  const ranCode = (task) => calls.some((c) => within(task, c));
  const longest = (list) => list.reduce((a, b) => (b.dur > a.dur ? b : a), { dur: 0 });
  const ms = (task) => +(task.dur / 1000).toFixed(1);
  // What the page's longest task ran: its kinds of work over 1 ms.
  const ofThePage = longest(tasks.filter(ranCode));
  const kinds = events.filter((e) => onMain(e) && e.dur > 1000 && e.ts >= ofThePage.ts && e.ts + e.dur <= ofThePage.ts + ofThePage.dur
    && /^(TimerFire|FireAnimationFrame|HandlePostMessage|EventDispatch|ParseHTML|Layout|v8\.wasm\.compile\w*|MajorGC|MinorGC)$/.test(e.name));
  return {
    longestMs: ms(longest([...tasks, ...renderedForTheTest])), longestOfThePageMs: ms(ofThePage), tasks: tasks.length,
    harnessLongestMs: ms(longest(allTasks.filter(isTheTests))), harnessTasks: allTasks.length - tasks.length,
    renderedForTheTestMs: ms(longest(renderedForTheTest)),
    ofThePage: [...new Set(kinds.map((e) => e.name))].join(' '),
  };
}
