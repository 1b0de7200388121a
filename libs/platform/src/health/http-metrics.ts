import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { HttpRequest as Request, HttpResponse as Response, NextFunction } from '../http-types';

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

/** Express middleware timing every request; the route label is the pattern, never the raw URL (cardinality). */
export function httpMetricsMiddleware() {
  const { httpDuration, commandDuration } = platformMetrics();
  return (req: Request, res: Response, next: NextFunction): void => {
    // Installed twice (in front of the body parser and as Nest middleware): time each request once.
    const marked = req as Request & { platformTimed?: boolean };
    if (marked.platformTimed) return next();
    marked.platformTimed = true;
    const stopTimer = httpDuration.startTimer();
    const stopCommandTimer = COMMAND_METHODS.has(req.method) ? commandDuration.startTimer() : undefined;
    res.once('finish', () => {
      const routePath = (req.route as { path?: string } | undefined)?.path;
      const route = routePath ? `${req.baseUrl}${routePath}` : 'unmatched';
      stopTimer({ method: req.method, route, status: String(res.statusCode) });
      stopCommandTimer?.({ command: `${req.method} ${route}`, outcome: `${Math.floor(res.statusCode / 100)}xx` });
    });
    next();
  };
}
