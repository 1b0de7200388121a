import { HttpException } from '@nestjs/common';
import { DomainError, DomainErrorKind, isStoreUnavailable, isTransient, WrongExpectedVersionError } from '@lp/eventsourcing';
import { defaultCode, makeProblem, Problem } from './problem';
import { ProblemException } from './problem-exception';
import { INVALID_UTF8, MALFORMED_JSON } from '../request-body/body-shape';

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  conflict: 409,
  rule: 422,
  forbidden: 403,
  'not-found': 404,
  invalid: 400,
};

/** Thrown to replay a problem recorded earlier (IdempotencyGuard) exactly as it was first served. */
export class RecordedProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
    this.name = 'RecordedProblem';
  }
}

/**
 * The shape of the HTTP edge's own refusals: the JSON body parser's (`status` and `type`: malformed
 * JSON, not UTF-8) and Fastify's (`statusCode` and `code`: body too large, a Content-Length the body
 * does not match, a path that does not decode): a 4xx status and a message safe to show.
 */
interface ClientHttpError extends Error {
  status?: number;
  statusCode?: number;
  type?: string;
  code?: string;
}

const statusOf = (error: ClientHttpError): number | undefined =>
  typeof error.status === 'number' ? error.status : typeof error.statusCode === 'number' ? error.statusCode : undefined;

export function isClientHttpError(error: unknown): error is ClientHttpError {
  if (!(error instanceof Error) || error instanceof HttpException) return false;
  const status = statusOf(error as ClientHttpError);
  return status !== undefined && status >= 400 && status < 500;
}

/**
 * Maps anything thrown while serving a request to the problem the client sees. Pure, so the
 * exception filter and the router's own refusals (http-adapter.ts) always agree.
 * Unknown errors become a bare 500: their message may hold internals and is only logged.
 */
export function toProblem(error: unknown): Problem {
  if (error instanceof RecordedProblem) return error.problem;
  if (error instanceof DomainError) {
    return makeProblem(STATUS_BY_KIND[error.kind], error.code, error.message, error.errors);
  }
  if (error instanceof WrongExpectedVersionError) {
    return makeProblem(409, 'CONCURRENT_MODIFICATION', 'The resource was changed by another request; reload and retry');
  }
  if (isStoreUnavailable(error)) {
    return makeProblem(503, 'STORE_UNAVAILABLE', 'The event store is unavailable; nothing was changed, retry later');
  }
  if (isTransient(error)) {
    // The read store, bus or a peer away for a moment (a command that had committed answers from its
    // write side instead, see answerAfterWrite): worth retrying, not a bug.
    return makeProblem(503, 'DEPENDENCY_UNAVAILABLE', 'A database or service this request needs is unavailable; retry later');
  }
  if (error instanceof ProblemException) {
    return makeProblem(error.getStatus(), error.code, error.message, error.errors);
  }
  if (error instanceof HttpException) return httpExceptionProblem(error);
  if (isClientHttpError(error)) return clientHttpProblem(error);
  return makeProblem(500, 'INTERNAL_ERROR', 'An unexpected error occurred');
}

function httpExceptionProblem(error: HttpException): Problem {
  const status = error.getStatus();
  const response = error.getResponse();
  let detail = error.message;
  let code = defaultCode(status);
  if (typeof response === 'object' && response !== null) {
    const body = response as { message?: unknown; code?: unknown };
    if (typeof body.code === 'string') code = body.code;
    if (typeof body.message === 'string') detail = body.message;
    else if (Array.isArray(body.message)) detail = body.message.join('; ');
  } else if (typeof response === 'string') {
    detail = response;
  }
  if (status >= 500) return makeProblem(status, code === 'INTERNAL_SERVER_ERROR' ? 'INTERNAL_ERROR' : code, statusDetail(status));
  return makeProblem(status, code, detail);
}

function statusDetail(status: number): string {
  return status === 500 ? 'An unexpected error occurred' : `The service answered ${status}`;
}

function clientHttpProblem(error: ClientHttpError): Problem {
  switch (error.type ?? error.code) {
    case MALFORMED_JSON:
      return makeProblem(400, 'MALFORMED_JSON', 'The request body is not valid JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return makeProblem(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large');
    case INVALID_UTF8:
      return makeProblem(400, 'MALFORMED_TEXT', 'The request body is not valid UTF-8');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return makeProblem(415, 'UNSUPPORTED_MEDIA_TYPE', 'The request body must be application/json');
    default: {
      // Their 4xx messages (a body cut short, a path that does not decode) are meant to be shown.
      const status = statusOf(error)!;
      return makeProblem(status, defaultCode(status), error.message);
    }
  }
}
