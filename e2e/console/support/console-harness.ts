import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'fs';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import type { Browser, Page } from 'playwright-core';
import { createEmbeddedApp, EmbeddedApp } from '../../../services/embedded/src/embedded-app';

export const CHROMIUM = '/usr/bin/chromium';
const ROOT = join(__dirname, '..', '..', '..');

/** Why the browser specs cannot run here, or undefined when they can (Debian's chromium; never a downloaded browser). */
export const skipReason = (): string | undefined => (existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing (apt-get install -y chromium): console browser tests skipped`);

/** Where screenshots go: docs/console when CONSOLE_SCREENSHOTS=1 (to refresh the README's pictures), else a temp dir. */
export const screenshotDir = () => (process.env.CONSOLE_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'console') : mkdtempSync(join(tmpdir(), 'console-shots-')));

export interface ConsoleHarness {
  baseUrl: string;
  embedded: EmbeddedApp;
  browser: Browser;
  /** A fresh browser tab signed in with the sample user whose button has this label. */
  signedIn(label: string): Promise<Page>;
  /** The API as that sample user (for setup the flow under test does not cover). */
  call<T>(label: string, method: string, path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

/**
 * The console as a user gets it: built by Vite from web/console (about two seconds), served by the
 * embedded runtime on a free port, driven by headless chromium.
 */
export async function startConsole(env: Record<string, string> = {}): Promise<ConsoleHarness> {
  const work = mkdtempSync(join(tmpdir(), 'console-e2e-'));
  const consoleDir = join(work, 'console');
  mkdirSync(consoleDir);
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(ROOT, 'web/console/vite.config.mts'), '--outDir', consoleDir, '--emptyOutDir', '--logLevel', 'error'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
  });
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  const embedded = await createEmbeddedApp({ dataDir: join(work, 'data'), logger: false, consoleDir });
  for (const [key, value] of Object.entries(saved)) if (value === undefined) delete process.env[key];
  else process.env[key] = value;
  await embedded.app.listen(0, '127.0.0.1');
  const { port } = embedded.app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const samples = ((await (await fetch(`${baseUrl}/dev/sample-tokens`)).json()) as { items: { label: string; token: string }[] }).items;
  const tokenOf = (label: string) => {
    const sample = samples.find((s) => s.label === label);
    if (!sample) throw new Error(`no sample user ${label} (have: ${samples.map((s) => s.label).join(', ')})`);
    return sample.token;
  };

  return {
    baseUrl,
    embedded,
    browser,
    async signedIn(label) {
      const context = await browser.newContext({ baseURL: baseUrl, locale: 'ja-JP', timezoneId: 'Asia/Tokyo', viewport: { width: 1400, height: 900 }, acceptDownloads: true });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto('/');
      await page.getByRole('button', { name: label, exact: true }).click();
      await page.getByTestId('signed-in-as').waitFor();
      return page;
    },
    async call(label, method, path, body) {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { Authorization: `Bearer ${tokenOf(label)}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
      return (text ? JSON.parse(text) : undefined) as never;
    },
    async close() {
      await browser.close();
      await embedded.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
