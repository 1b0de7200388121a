/**
 * The console phase of `npm run bench` (issue: "a list of 100k orders pages in under 200 ms end to end;
 * the built bundle loads in under a second on loopback"), on the bench's server while it holds the bulk
 * phase's orders, in Debian's headless chromium driven by playwright-core as the console tests do:
 *   1. the size of dist/console (every .js and .css, raw and gzip) and of what `/` loads; `/` loaded in a
 *      fresh browser context (empty cache) until the sign-in page's sample-user button is shown;
 *   2. signed in as a sample user (the server's /dev/sample-tokens): 注文一覧 from the menu until page 1's
 *      rows are shown, the next page (the pagination's › button), a reload of /orders (warm cache), a text
 *      search (番号・件名 + Enter) — each timed in the page from the user's click/Enter (or navigation start)
 *      to the frame that shows the API's answer, then checked against the API (range text, first order).
 */
import { existsSync } from 'fs';
import { join } from 'path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BundleSize, bundleSize, Bytes, sizeOf } from './lib/console-bundle';
import { installConsoleProbe, loadTiming, Shown, timed, timedLoad, Timing } from './lib/console-probe';
import { HttpClient } from './lib/http-client';
import { REPO_ROOT } from './lib/server';
import { fmt, fmtInt, summarize, Summary } from './lib/stats';

/** Debian's chromium, as in e2e/console/support/console-harness.ts (never a downloaded browser). */
const CHROMIUM = '/usr/bin/chromium';
/** The console harness's flags (e2e/console/support/console-harness.ts). */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const CONTEXT = { locale: 'ja-JP', timezoneId: 'Asia/Tokyo', viewport: { width: 1400, height: 900 } };
/** Sees every order the bench created (they are r-direct's, created by its admin agent). */
const USER = 'ダイレクト販売株式会社 管理エージェント';
const PAGE_SIZE = 30;
const WARMUP = 2;
const LIST: Shown = { kind: 'list' };

export const CONSOLE_TARGETS = { coldLoadMs: 1000, listP99Ms: 200 };

export interface ConsoleOptions {
  baseUrl: string;
  /** Measured repetitions of each list action (after WARMUP discarded ones). */
  runs: number;
  /** Measured cold loads of `/` (after one discarded: the browser's own first start). */
  loads: number;
  log: (message: string) => void;
}

export interface ConsoleTimings extends Summary {
  /** p50 from the trigger to the DOM change alone (without the frame that paints it). */
  domP50: number;
  /** p50 from the trigger to the app's first fetch(), and to the last byte of its answers (see Timing). */
  requestP50: number;
  answerP50: number;
}

export interface ConsoleResult {
  skipped?: string;
  bundle?: BundleSize;
  /** What `/` loaded from the server in a fresh context (the document included). */
  firstLoad?: { files: number } & Bytes;
  coldLoad?: ConsoleTimings;
  orders?: number;
  lists?: { name: string; target: boolean; timings: ConsoleTimings }[];
}

const p50 = (values: number[]) => summarize(values.filter(Number.isFinite)).p50;
const timings = (samples: Timing[]): ConsoleTimings => ({
  ...summarize(samples.map((s) => s.frameMs)),
  domP50: p50(samples.map((s) => s.domMs)),
  requestP50: p50(samples.map((s) => s.requestMs)),
  answerP50: p50(samples.map((s) => s.answerMs)),
});
/** Where the time goes, p50s from the trigger: the app's fetch() starts, its answer is in, the DOM shows it. */
const breakdown = (t: ConsoleTimings) => `fetch() at ${fmt(t.requestP50, 0)}, answer in at ${fmt(t.answerP50, 0)}, DOM at ${fmt(t.domP50, 0)}`;
const kb = (b: Bytes) => `${fmtInt(b.raw / 1024)} / ${fmtInt(b.gzip / 1024)}`;
const line = (t: ConsoleTimings) => `${fmt(t.p50, 0)} / ${fmt(t.p99, 0)} / ${fmt(t.max, 0)}`;

export async function consolePhase(options: ConsoleOptions): Promise<ConsoleResult> {
  const { log } = options;
  if (!existsSync(CHROMIUM)) {
    const skipped = `${CHROMIUM} is missing (apt-get install -y chromium): console phase skipped`;
    log(`console: ${skipped}`);
    return { skipped };
  }
  const distDir = join(REPO_ROOT, 'dist', 'console');
  if (!existsSync(join(distDir, 'index.html'))) throw new Error(`${distDir}/index.html not found: run the build first (npm run bench builds)`);
  const result: ConsoleResult = { bundle: bundleSize(distDir) };
  const b = result.bundle!;
  log(`console: dist/console ${b.files} files, JS ${kb(b.js)} KB, CSS ${kb(b.css)} KB, total ${kb(b.total)} KB (raw / gzip); largest ${b.largest.map((f) => `${f.file} ${fmtInt(f.raw / 1024)} KB`).join(', ')}`);

  const token = await sampleToken(options.baseUrl, USER);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const api = new HttpClient(new URL(options.baseUrl).hostname, Number(new URL(options.baseUrl).port), token, 2);
  try {
    await coldLoads(browser, options, distDir, result);
    await lists(browser, api, options, result);
  } finally {
    api.close();
    await browser.close();
  }
  return result;
}

async function sampleToken(baseUrl: string, label: string): Promise<string> {
  const reply = await fetch(`${baseUrl}/dev/sample-tokens`, { headers: { Accept: 'application/json' } });
  if (!reply.ok) throw new Error(`GET /dev/sample-tokens: ${reply.status} (the server hands out sample tokens only with the development JWT secret)`);
  const { items } = (await reply.json()) as { items: { label: string; token: string }[] };
  const user = items.find((item) => item.label === label);
  if (!user) throw new Error(`no sample user ${label} (have: ${items.map((i) => i.label).join(', ')})`);
  return user.token;
}

/** `/` in a fresh context each time (no cache, no session) until the sign-in page can be used. */
async function coldLoads(browser: Browser, options: ConsoleOptions, distDir: string, result: ConsoleResult): Promise<void> {
  const samples: Timing[] = [];
  for (let i = 0; i < options.loads + 1; i++) {
    const context = await browser.newContext({ ...CONTEXT, baseURL: options.baseUrl });
    try {
      await installConsoleProbe(context, { kind: 'button', label: USER });
      const page = await context.newPage();
      await page.goto('/', { waitUntil: 'commit' });
      const timing = await loadTiming(page);
      if (i === 0) {
        options.log(`console: first load after the browser started (discarded) ${fmt(timing.frameMs, 0)} ms`);
        result.firstLoad = await loadedBytes(page, options.baseUrl, distDir);
      } else samples.push(timing);
    } finally {
      await context.close();
    }
  }
  const t = (result.coldLoad = timings(samples));
  const f = result.firstLoad!;
  options.log(`console: / loads ${f.files} files, ${kb(f)} KB (raw / gzip of the same files); cold load to the sign-in page's sample-user button, ${samples.length} fresh contexts: p50 / p99 / max ${line(t)} ms (p50s: ${breakdown(t)})`);
}

/** The files the page fetched from the server (resource timing), their raw size as sent and gzip size on disk. */
async function loadedBytes(page: Page, baseUrl: string, distDir: string): Promise<{ files: number } & Bytes> {
  const paths = await page.evaluate(() => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].map((e) => e.name));
  const files = [...new Set(paths.map((url) => new URL(url, baseUrl).pathname))]
    .map((path) => join(distDir, path === '/' || path === '/signin' ? 'index.html' : path))
    .filter((file) => existsSync(file));
  const total = files.map(sizeOf).reduce((a, s) => ({ raw: a.raw + s.raw, gzip: a.gzip + s.gzip }), { raw: 0, gzip: 0 });
  return { files: files.length, ...total };
}

/** 注文一覧 as a signed-in user: from the menu, paging, reload, text search. */
async function lists(browser: Browser, api: HttpClient, options: ConsoleOptions, result: ConsoleResult): Promise<void> {
  const context = await browser.newContext({ ...CONTEXT, baseURL: options.baseUrl });
  try {
    const page = await signIn(context);
    const total = (result.orders = (await apiPage(api, 1)).total);
    const reps = options.runs + WARMUP;
    // The paging runs click › reps times from page 1, to page reps + 1: with fewer orders the button
    // is disabled and the click would wait out its timeout (60 s), failing with nothing said of why.
    const needed = reps * PAGE_SIZE + 1;
    if (total < needed) {
      throw new Error(`注文一覧 shows ${fmtInt(total)} orders; its paging runs need at least ${fmtInt(needed)} (the bulk phase makes them: do not skip bulk)`);
    }
    const measured = (samples: Timing[]) => samples.slice(WARMUP);
    result.lists = [];
    const record = (name: string, target: boolean, samples: Timing[]) => {
      const t = timings(measured(samples));
      result.lists!.push({ name, target, timings: t });
      options.log(`console: ${name}: p50 / p99 / max ${line(t)} ms (p50s: ${breakdown(t)}; ${t.count} runs after ${WARMUP} warm-ups)`);
    };
    options.log(`console: signed in as ${USER}; 注文一覧 shows ${fmtInt(total)} orders`);

    const menu: Timing[] = [];
    for (let i = 0; i < reps; i++) {
      await page.getByRole('link', { name: '販売先', exact: true }).click();
      await page.getByRole('heading', { name: '販売先' }).waitFor();
      await settled(page);
      menu.push(await timed(page, LIST, 'click', () => page.getByRole('link', { name: '注文一覧', exact: true }).click()));
      await expectShown(page, api, 1);
    }
    record('注文一覧 from the menu to page 1 shown', true, menu);

    const next = page.getByRole('button', { name: '次のページ' });
    const paging: Timing[] = [];
    for (let i = 0; i < reps; i++) {
      paging.push(await timed(page, LIST, 'click', () => next.click()));
      await expectShown(page, api, i + 2);
    }
    record('next page (›) to its rows shown', true, paging);

    const reloads: Timing[] = [];
    for (let i = 0; i < reps; i++) {
      reloads.push(await timedLoad(page, '/orders', LIST));
      await expectShown(page, api, 1);
    }
    record('reload of /orders (warm cache) to page 1 shown', false, reloads);

    const search = page.getByLabel('番号・件名');
    const queries = await searchTerms(api, reps);
    const searches: Timing[] = [];
    for (const q of queries) {
      await search.fill(q);
      searches.push(await timed(page, LIST, 'enter', () => search.press('Enter')));
      await expectShown(page, api, 1, q);
    }
    record(`text search (番号・件名 + Enter, e.g. "${queries[WARMUP]}") to its rows shown`, false, searches);
  } finally {
    await context.close();
  }
}

async function signIn(context: BrowserContext): Promise<Page> {
  await installConsoleProbe(context);
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  await page.goto('/');
  await page.getByRole('button', { name: USER, exact: true }).click();
  await page.getByTestId('signed-in-as').waitFor();
  await page.getByRole('heading', { name: '注文一覧' }).waitFor();
  await settled(page);
  return page;
}

/** The list on screen has its answer (nothing loading), so that the next action starts from rest. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const table = document.querySelector('table');
    return !!table && !table.hasAttribute('data-loading') && /^\d+ ~ \d+件目 \/ \d+件中$/.test(document.querySelector('[data-testid="page-range"]')?.textContent ?? '');
  });
}

interface OrdersPage {
  items: { orderNumber: string }[];
  total: number;
}

async function apiPage(api: HttpClient, page: number, q?: string): Promise<OrdersPage> {
  const path = `/orders?${q ? `q=${encodeURIComponent(q)}&` : ''}page=${page}&pageSize=${PAGE_SIZE}`;
  const reply = await api.get<OrdersPage>(path);
  if (reply.status !== 200) throw new Error(`GET ${path}: ${reply.status}`);
  return reply.body;
}

/** After the timing: the screen shows what the API answers for that page (range text, rows, first order). */
async function expectShown(page: Page, api: HttpClient, pageNumber: number, q?: string): Promise<void> {
  const shown = await page.evaluate(() => ({
    range: document.querySelector('[data-testid="page-range"]')?.textContent ?? '',
    rows: document.querySelectorAll('table tbody tr').length,
    first: document.querySelector('table tbody tr')?.children[2]?.textContent ?? '',
  }));
  const answer = await apiPage(api, pageNumber, q);
  const first = answer.total === 0 ? 0 : (pageNumber - 1) * PAGE_SIZE + 1;
  const expected = { range: `${first} ~ ${Math.min(pageNumber * PAGE_SIZE, answer.total)}件目 / ${answer.total}件中`, rows: answer.items.length, first: answer.items[0]?.orderNumber ?? '' };
  if (JSON.stringify(shown) !== JSON.stringify(expected)) {
    throw new Error(`page ${pageNumber}${q ? ` of "${q}"` : ''}: the console shows ${JSON.stringify(shown)}, the API answers ${JSON.stringify(expected)}`);
  }
}

/**
 * Order-number fragments a user would type, each from a different order (rows 801…): the last 4
 * characters of its number, so that each search matches a few orders and the result changes each time.
 */
async function searchTerms(api: HttpClient, count: number): Promise<string[]> {
  const reply = await api.get<OrdersPage>(`/orders?page=5&pageSize=200`);
  if (reply.status !== 200) throw new Error(`GET /orders?page=5&pageSize=200: ${reply.status}`);
  const numbers = reply.body.items.map((o) => o.orderNumber);
  if (numbers.length < count) throw new Error(`too few orders for ${count} searches (have ${numbers.length} on rows 801…1000)`);
  const step = Math.floor(numbers.length / count);
  return Array.from({ length: count }, (_, i) => numbers[i * step].slice(-4));
}

/** The console rows of the bench's summary table. */
export function consoleRows(
  r: ConsoleResult | undefined,
  row: (measure: string, target: string, result: string, verdict: string) => void,
  verdict: (ok: boolean | undefined) => string,
): void {
  if (r?.skipped) return row('console (browser)', '', `skipped: ${r.skipped}`, 'n/a');
  const b = r?.bundle;
  row(`console bundle dist/console, all JS+CSS${b ? ` (${b.files} files)` : ''}, KB raw / gzip`, '', b ? kb(b.total) : '-', '');
  row('  … of which what / loads (document + JS + CSS), KB raw / gzip', '', r?.firstLoad ? kb(r.firstLoad) : '-', '');
  const cold = r?.coldLoad;
  row('console cold load of / (fresh context) to sign-in usable, p50 / p99 / max ms', `p99 < ${fmtInt(CONSOLE_TARGETS.coldLoadMs)}`, cold ? line(cold) : '-', verdict(cold && cold.p99 < CONSOLE_TARGETS.coldLoadMs));
  const orders = fmtInt(r?.orders ?? NaN);
  for (const l of r?.lists ?? []) {
    row(`console ${l.name}, ${orders} orders, p50 / p99 / max ms`, l.target ? `p99 < ${CONSOLE_TARGETS.listP99Ms}` : '', line(l.timings), l.target ? verdict(l.timings.p99 < CONSOLE_TARGETS.listP99Ms) : '');
  }
  if (!r?.lists) row(`console 注文一覧 page / next page, p99 ms`, `p99 < ${CONSOLE_TARGETS.listP99Ms}`, '-', 'n/a');
}
