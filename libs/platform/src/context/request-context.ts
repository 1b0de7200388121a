import type { IncomingMessage } from 'http';
import { newId } from '@lp/eventsourcing';
import { headerOf, HttpRequest, HttpResponse, HookDone } from '../http-types';
import { Clock } from './clock';

export const CORRELATION_ID_HEADER = 'X-Correlation-Id';
export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Ids that tie a request to the events and log lines it causes. */
export interface RequestContext {
  correlationId: string;
  requestId: string;
  clock?: Clock;
}

type MessageWithContext = IncomingMessage & { platformContext?: RequestContext };

// A caller-chosen correlation id ends up in logs and event metadata: keep it short and printable.
const ACCEPTABLE_CORRELATION_ID = /^[\w.:@/+=-]{1,128}$/;

/**
 * The request's context: its correlation id (the caller's X-Correlation-Id or a new uuid) and a
 * request id, made on first use. Kept on the Node request, which the Fastify request wraps, so
 * the request log line and the handlers read the same ids.
 */
export function requestContextOf(req: Pick<HttpRequest, 'headers'> & { raw?: IncomingMessage }): RequestContext {
  const message = (req.raw ?? req) as MessageWithContext;
  if (!message.platformContext) {
    const incoming = headerOf(message, CORRELATION_ID_HEADER);
    const correlationId = incoming && ACCEPTABLE_CORRELATION_ID.test(incoming) ? incoming : newId();
    message.platformContext = { correlationId, requestId: newId() };
  }
  return message.platformContext;
}

/**
 * onRequest hook (configureHttpApp installs it first of all, so that even a refused body gets
 * ids): gives the request its context and echoes both ids as response headers. Set on the Node
 * response, so that answers written without the reply (the console's files) carry them too.
 */
export function requestContextHook(clock?: Clock) {
  return (req: HttpRequest, reply: HttpResponse, done: HookDone): void => {
    const context = requestContextOf(req);
    if (clock) context.clock ??= clock;
    reply.raw.setHeader(CORRELATION_ID_HEADER, context.correlationId);
    reply.raw.setHeader(REQUEST_ID_HEADER, context.requestId);
    done();
  };
}
