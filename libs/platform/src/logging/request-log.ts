import type { Logger as Pino } from 'pino';
import { requestContextOf } from '../context/request-context';
import type { HookDone, HttpRequest, HttpResponse } from '../http-types';

// Probes and scrapes arrive every few seconds: logging each one would drown the lines that matter.
const QUIET_PATHS = ['/health/', '/metrics'];

/**
 * Fastify onResponse hook: one line per answered request, with its ids, method, target, status and
 * time; warn for a 4xx, error for a 5xx. Not the request itself, whose headers hold bearer tokens.
 */
export function requestLogHook(logger: Pino) {
  return (req: HttpRequest & { url?: string }, reply: HttpResponse & { elapsedTime?: number }, done: HookDone): void => {
    const url = req.originalUrl ?? req.url ?? '';
    if (!QUIET_PATHS.some((path) => url.startsWith(path))) {
      const statusCode = reply.raw.statusCode;
      const level = statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'info';
      if (logger.isLevelEnabled(level)) {
        const { requestId, correlationId } = requestContextOf(req);
        logger[level](
          { requestId, correlationId, req: { method: req.method, url }, res: { statusCode }, responseTime: Math.round(reply.elapsedTime ?? 0) },
          'request completed',
        );
      }
    }
    done();
  };
}
