import { HttpClient } from './lib/http-client';
import { runWorkers } from './lib/load';
import { fmt, fmtInt } from './lib/stats';

/** Requests that do nothing but pass the HTTP edge: what a request costs before any domain work. */
const EDGE_REQUESTS = [
  { name: 'GET /health/live', method: 'GET', path: '/health/live', status: 200 },
  { name: 'GET /products', method: 'GET', path: '/products', status: 200 },
  // Refused by validation (every field named), so nothing is stored.
  { name: 'POST /orders, invalid (400)', method: 'POST', path: '/orders', body: { customerId: 42, lines: 'none' }, status: 400 },
] as const;

export interface EdgeResult {
  name: string;
  requests: number;
  errors: number;
  serverCpuUsPerRequest: number;
  requestsPerSecond: number;
  p99Ms: number;
}

/**
 * The edge phase: each request kind `requests` times with `concurrency` workers (after a tenth as many
 * for warm-up), the server's CPU over exactly that window divided by the requests. Compared with the
 * bare-Nest peer, it shows what the platform's edge (auth, validation, ids, logging, metrics,
 * headers) adds per request, apart from the commands' work.
 */
export async function edgePhase(client: HttpClient, serverPid: number, requests: number, concurrency: number, log: (line: string) => void): Promise<EdgeResult[]> {
  const results: EdgeResult[] = [];
  for (const kind of EDGE_REQUESTS) {
    const send = (total: number, pid?: number) =>
      runWorkers(concurrency, total, async (_n, sender) => void (await sender(client, kind.name, kind.method, kind.path, 'body' in kind ? kind.body : undefined, kind.status)), pid);
    await send(Math.ceil(requests / 10));
    const run = await send(requests, serverPid);
    const summary = run.recorder.summary(kind.name);
    const result = {
      name: kind.name,
      requests,
      errors: summary.errors,
      serverCpuUsPerRequest: run.cpu!.processUs / requests,
      requestsPerSecond: (requests * 1000) / run.wallMs,
      p99Ms: summary.p99,
    };
    results.push(result);
    log(`edge: ${kind.name}: ${fmtInt(result.serverCpuUsPerRequest)} µs server CPU per request, ${fmtInt(result.requestsPerSecond)}/s, p99 ${fmt(result.p99Ms, 2)} ms, ${fmtInt(result.errors)} errors`);
  }
  return results;
}
