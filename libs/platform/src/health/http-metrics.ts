import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { HttpRequest as Request, HttpResponse as Response, NextFunction } from '../http-types';

/**
 * One registry per process: the embedded runtime hosts several services in one process and tests
 * build many apps, and prom-client refuses to register a metric name twice.
 */
let metrics: { registry: Registry; httpDuration: Histogram<'method' | 'route' | 'status'> } | undefined;

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
    metrics = { registry, httpDuration };
  }
  return metrics;
}

/** Express middleware timing every request; the route label is the pattern, never the raw URL (cardinality). */
export function httpMetricsMiddleware() {
  const { httpDuration } = platformMetrics();
  return (req: Request, res: Response, next: NextFunction): void => {
    // Installed twice (in front of the body parser and as Nest middleware): time each request once.
    const marked = req as Request & { platformTimed?: boolean };
    if (marked.platformTimed) return next();
    marked.platformTimed = true;
    const stopTimer = httpDuration.startTimer();
    res.once('finish', () => {
      const routePath = (req.route as { path?: string } | undefined)?.path;
      const route = routePath ? `${req.baseUrl}${routePath}` : 'unmatched';
      stopTimer({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}
