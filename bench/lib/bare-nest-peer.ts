import { join } from 'path';
import { HttpClient } from './http-client';
import { serverHttpAdapter, HttpAdapter } from './http-adapter';
import { runWorkers } from './load';
import { waitUntilQuiet } from './process-cpu';
import { freePort, REPO_ROOT, ServerProcess } from './server';

export interface BareNestResult {
  adapter: HttpAdapter;
  /** Why that adapter (detected from the built server, or BENCH_HTTP_ADAPTER). */
  adapterSource: string;
  requests: number;
  errors: number;
  wallMs: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** The bare app's CPU µs per request over exactly the timed window. */
  cpuUsPerRequest: number;
  /** The load generator's (this process's) CPU µs per request over the same window. */
  clientCpuUsPerRequest: number;
}

export interface BareNestOptions {
  workDir: string;
  logFile: string;
  requests: number;
  warmup: number;
  concurrency: number;
  token: string;
  /** The running child is kept here so that the bench's exit handlers can kill it. */
  children: Set<ServerProcess>;
  log: (message: string) => void;
}

/**
 * The peer of the server's HTTP figures, in the same invocation: a bare Nest app on the server's
 * adapter (dist/bench/lib/bare-nest-app.js), a child process started like the server and loaded by
 * the same generator (same client, same workers), one small JSON POST answered 201 per request.
 */
export async function bareNestPeer(options: BareNestOptions): Promise<BareNestResult> {
  const { adapter, how } = serverHttpAdapter(REPO_ROOT);
  const port = await freePort();
  const app = new ServerProcess({
    dataDir: join(options.workDir, 'bare-nest'),
    port,
    synchronous: 'FULL',
    logFile: options.logFile,
    main: 'dist/bench/lib/bare-nest-app.js',
    env: { BENCH_HTTP_ADAPTER: adapter },
  });
  options.children.add(app);
  const client = new HttpClient('127.0.0.1', port, options.token, options.concurrency);
  try {
    await app.start();
    options.log(`bare NestJS peer on ${adapter} (${how}), pid ${app.pid}: ${options.warmup} warm-up + ${options.requests} POST /orders with ${options.concurrency} workers...`);
    const body = { customerId: 'c-0f8fad5b-d9cb-469f-a165-70867728950e', lines: [{ sku: 'MS-O365-E1', quantity: 3 }] };
    const load = (requests: number, pid?: number) => runWorkers(options.concurrency, requests, async (_n, send) => void (await send(client, 'bare', 'POST', '/orders', body, 201)), pid);
    await load(options.warmup);
    await waitUntilQuiet(app.pid!);
    const run = await load(options.requests, app.pid);
    const s = run.recorder.summary();
    if (run.firstErrors.length) options.log(`bare NestJS first errors:\n  ${run.firstErrors.join('\n  ')}`);
    return {
      adapter,
      adapterSource: how,
      requests: s.count,
      errors: s.errors,
      wallMs: run.wallMs,
      requestsPerSecond: (s.count * 1000) / run.wallMs,
      p50: s.p50,
      p99: s.p99,
      cpuUsPerRequest: run.cpu!.processUs / s.count,
      clientCpuUsPerRequest: run.cpu!.selfUs / s.count,
    };
  } finally {
    client.close();
    await app.stop().catch(() => app.killNow());
    options.children.delete(app);
  }
}
