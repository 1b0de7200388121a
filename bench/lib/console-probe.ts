import type { BrowserContext, Page } from 'playwright-core';

/**
 * What the user waits for after an action:
 * - `list`: the list screen has asked the API (its table showed `data-loading`) and shows the answer (it no longer does);
 * - `button`: a button with exactly this text is on the page (the sign-in page's sample user: it can be clicked).
 */
export type Shown = { kind: 'list' } | { kind: 'button'; label: string };
/** When the clock starts: the user's click or Enter (captured in the page), or the document's navigation start. */
export type Trigger = 'click' | 'enter' | 'navigation';

export interface Timing {
  /** From the trigger to the DOM showing it (a MutationObserver callback right after React's commit). */
  domMs: number;
  /** … to the end of the next frame (requestAnimationFrame, then a task): what the user sees painted. */
  frameMs: number;
  /** … to the start of the first fetch() after it (the app's own work before it asks the API); NaN without one. */
  requestMs: number;
  /** … to the last byte of the last fetch() answer (so frameMs - answerMs is the rendering of the answer); NaN without one. */
  answerMs: number;
}

const EXPECT_ON_LOAD = 'lp-bench-expect';

/**
 * Runs in the page before its own scripts (addInitScript), on every document of the context. Times in
 * the page itself so that the figures contain neither CDP round trips nor playwright's polling:
 * performance.now() of the trigger event (capture phase, before the app's handlers) to the mutation
 * that completes what the user waits for. A document is watched from its navigation start when the
 * context was given `onLoad` (a fresh context that loads one page), or when its sessionStorage holds
 * EXPECT_ON_LOAD (set by timedLoad before a reload).
 */
function installProbe({ key, onLoad }: { key: string; onLoad?: Shown }): void {
  type Watch = { expect: Shown; trigger: Trigger; t0?: number; sawLoading?: boolean; tDom?: number };
  const probe: { watch?: Watch; result?: Timing; arm(expect: Shown, trigger: Trigger): void } = {
    arm(expect, trigger) {
      probe.result = undefined;
      // The buffer keeps 250 entries only; each action's fetches are read from an empty one.
      performance.clearResourceTimings();
      probe.watch = { expect, trigger, t0: trigger === 'navigation' ? 0 : undefined };
    },
  };
  (window as unknown as { __lpBench: typeof probe }).__lpBench = probe;

  const stored = sessionStorage.getItem(key);
  sessionStorage.removeItem(key);
  const expectOnLoad = onLoad ?? (stored ? (JSON.parse(stored) as Shown) : undefined);
  if (expectOnLoad) probe.arm(expectOnLoad, 'navigation');

  const start = (trigger: Trigger) => {
    const watch = probe.watch;
    if (watch && watch.trigger === trigger && watch.t0 === undefined) watch.t0 = performance.now();
  };
  document.addEventListener('click', () => start('click'), true);
  document.addEventListener('keydown', (event) => event.key === 'Enter' && start('enter'), true);

  const shown = (watch: Watch): boolean => {
    if (watch.expect.kind === 'button') {
      const label = watch.expect.label;
      return Array.from(document.querySelectorAll('button')).some((button) => button.textContent?.trim() === label);
    }
    const table = document.querySelector('table');
    if (!table) return false;
    if (table.hasAttribute('data-loading')) {
      watch.sawLoading = true;
      return false;
    }
    return !!watch.sawLoading;
  };
  const check = () => {
    const watch = probe.watch;
    if (!watch || watch.t0 === undefined || watch.tDom !== undefined || !shown(watch)) return;
    const t0 = watch.t0;
    const tDom = (watch.tDom = performance.now());
    const fetches = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((e) => e.initiatorType === 'fetch' && e.startTime >= t0);
    const requestMs = Math.min(...fetches.map((e) => e.startTime)) - t0;
    const answerMs = Math.max(...fetches.map((e) => e.responseEnd)) - t0;
    requestAnimationFrame(() =>
      setTimeout(() => (probe.result = { domMs: tDom - t0, frameMs: performance.now() - t0, requestMs: fetches.length ? requestMs : NaN, answerMs: fetches.length ? answerMs : NaN })),
    );
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
}

/** The probe in every page of the context; `onLoad`: what each document's load is timed to. */
export async function installConsoleProbe(context: BrowserContext, onLoad?: Shown): Promise<void> {
  await context.addInitScript(installProbe, { key: EXPECT_ON_LOAD, onLoad });
}

/** The timing of the load the page is in (armed by installConsoleProbe's onLoad). */
export const loadTiming = (page: Page, timeoutMs = 60_000) => resultOf(page, timeoutMs);

/** Arms the probe, runs the user's action, and waits (in the page) until what the user waits for is shown. */
export async function timed(page: Page, expect: Shown, trigger: Exclude<Trigger, 'navigation'>, action: () => Promise<unknown>, timeoutMs = 60_000): Promise<Timing> {
  await page.evaluate(([e, t]) => (window as any).__lpBench.arm(e, t), [expect, trigger] as const);
  await action();
  return resultOf(page, timeoutMs);
}

/** Loads `url` in the page (an existing tab: its HTTP cache and sessionStorage stay) timed from its navigation start. */
export async function timedLoad(page: Page, url: string, expect: Shown, timeoutMs = 60_000): Promise<Timing> {
  await page.evaluate(([key, e]) => sessionStorage.setItem(key, JSON.stringify(e)), [EXPECT_ON_LOAD, expect] as const);
  await page.goto(url, { waitUntil: 'commit' });
  return resultOf(page, timeoutMs);
}

async function resultOf(page: Page, timeoutMs: number): Promise<Timing> {
  const handle = await page.waitForFunction(() => (window as any).__lpBench?.result, undefined, { timeout: timeoutMs });
  return (await handle.jsonValue()) as Timing;
}
