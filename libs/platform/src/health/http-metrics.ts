import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { HttpRequest, HttpResponse, HookDone } from '../http-types';
import { routePatternOf } from '../http/route-pattern';

/**
 * One registry per process: the embedded runtime hosts several services in one process and tests
 * build many apps, and prom-client refuses to register a metric name twice.
 */
let metrics:
  | { registry: Registry; httpDuration: Histogram<'method' | 'route' | 'status'>; commandDuration: Histogram<'command' | 'outcome'> }
  | undefined;

/** Requests that change something: the command side (reads are GET/HEAD/OPTIONS). */
const COMMAND_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function platformMetrics() {
  if (!metrics) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Duration of HTTP requests by method, route pattern and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    const commandDuration = new Histogram({
      name: 'command_duration_seconds',
      help: 'Duration of commands (POST, PUT, PATCH, DELETE) by command (method and route pattern) and outcome (2xx, 4xx, 5xx)',
      labelNames: ['command', 'outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    metrics = { registry, httpDuration, commandDuration };
  }
  return metrics;
}

/** Hooks timing every request; the route label is the pattern, never the raw URL (cardinality). */
export function httpMetricsHooks() {
  const { httpDuration, commandDuration } = platformMetrics();
  const timers = new WeakMap<object, { stop: ReturnType<typeof httpDuration.startTimer>; stopCommand?: ReturnType<typeof commandDuration.startTimer> }>();
  return {
    onRequest(req: HttpRequest, _reply: HttpResponse, done: HookDone): void {
      const stopCommand = COMMAND_METHODS.has(req.method) ? commandDuration.startTimer() : undefined;
      timers.set(req.raw, { stop: httpDuration.startTimer(), stopCommand });
      done();
    },
    onResponse(req: HttpRequest, reply: HttpResponse, done: HookDone): void {
      const timer = timers.get(req.raw);
      if (timer) {
        const route = routePatternOf(req) ?? 'unmatched';
        const status = reply.raw.statusCode;
        timer.stop({ method: req.method, route, status: String(status) });
        timer.stopCommand?.({ command: `${req.method} ${route}`, outcome: `${Math.floor(status / 100)}xx` });
      }
      done();
    },
  };
}
