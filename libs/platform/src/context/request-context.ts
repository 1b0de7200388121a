import { randomUUID } from 'crypto';
import type { HttpRequest as Request, HttpResponse as Response, NextFunction } from '../http-types';
import { Clock } from './clock';

export const CORRELATION_ID_HEADER = 'X-Correlation-Id';
export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Ids that tie a request to the events and log lines it causes. */
export interface RequestContext {
  correlationId: string;
  requestId: string;
  clock?: Clock;
}

export type RequestWithContext = Request & { platformContext?: RequestContext };

// A caller-chosen correlation id ends up in logs and event metadata: keep it short and printable.
const ACCEPTABLE_CORRELATION_ID = /^[\w.:@/+=-]{1,128}$/;

/**
 * Express middleware giving the request its correlation id (the caller's X-Correlation-Id or a new
 * uuid) and a request id, echoed as response headers. Idempotent: configureHttpApp installs it in
 * front of the body parser (so even a malformed body gets ids) and the module installs it again.
 */
export function requestContextMiddleware(clock?: Clock) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const request = req as RequestWithContext;
    if (!request.platformContext) {
      const incoming = req.header(CORRELATION_ID_HEADER);
      const correlationId = incoming && ACCEPTABLE_CORRELATION_ID.test(incoming) ? incoming : randomUUID();
      request.platformContext = { correlationId, requestId: randomUUID() };
      res.setHeader(CORRELATION_ID_HEADER, correlationId);
      res.setHeader(REQUEST_ID_HEADER, request.platformContext.requestId);
    }
    if (clock && !request.platformContext.clock) request.platformContext.clock = clock;
    next();
  };
}

/** The request's context; requests that bypassed the middleware get fresh ids. */
export function requestContextOf(req: Request): RequestContext {
  const request = req as RequestWithContext;
  request.platformContext ??= { correlationId: randomUUID(), requestId: randomUUID() };
  return request.platformContext;
}
