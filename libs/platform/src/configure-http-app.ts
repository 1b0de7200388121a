import { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { HttpRequest as Request, HttpResponse as Response, NextFunction } from './http-types';
import { requestContextMiddleware } from './context/request-context';
import { resolveTokenPolicy } from './auth/token-policy';
import { ProblemException } from './errors/problem-exception';
import { isClientHttpError, toProblem } from './errors/to-problem';
import { httpMetricsMiddleware } from './health/http-metrics';
import { OpenApiOptions, setupOpenApi } from './openapi/setup-openapi';
import { refuseUnreadableBodies } from './request-body/body-headers';
import { refuseInvalidUtf8, refuseUnsafeJson } from './request-body/body-shape';
import { parseByteSize } from './request-body/byte-size';

export interface HttpAppOptions {
  /**
   * Largest accepted JSON body (body-parser syntax, default 64kb); larger ones get 413
   * PAYLOAD_TOO_LARGE. The largest command (an order of 100 lines) is a few kilobytes.
   */
  bodyLimit?: string;
  /** Deepest accepted nesting of a JSON body (default 32); deeper ones get 400 BODY_TOO_DEEP. */
  maxBodyDepth?: number;
  /** Serve Swagger UI at /docs when given. */
  openApi?: OpenApiOptions;
}

export const DEFAULT_BODY_LIMIT = '64kb';
export const DEFAULT_MAX_BODY_DEPTH = 32;

/** Settings that live on the app instance, not in a module. Call before app.init() / listen(). */
export function configureHttpApp(app: INestApplication, options: HttpAppOptions = {}): void {
  const expressApp = app as NestExpressApplication;
  expressApp.getHttpAdapter().getInstance().disable('x-powered-by');
  // Ids and timing first, so that requests refused by the body checks still get both.
  expressApp.use(requestContextMiddleware());
  expressApp.use(httpMetricsMiddleware());
  const limit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  // Headers first: a body that is too large, compressed or not UTF-8 JSON is refused unread.
  expressApp.use(refuseUnreadableBodies({ limitBytes: parseByteSize(limit) }));
  expressApp.useBodyParser('json', { limit, inflate: false, verify: refuseInvalidUtf8 });
  expressApp.use(refuseUnsafeJson({ maxDepth: options.maxBodyDepth ?? DEFAULT_MAX_BODY_DEPTH }));
  // Nest turns body-parser's errors into a bare 400 or 500 and loses which it was: name it here instead.
  expressApp.use(bodyParserErrorsAsProblems);
  app.enableShutdownHooks();
  if (options.openApi) setupOpenApi(app, options.openApi);
}

/**
 * Throws one Error naming a bad setting of the HTTP edge (JWT_MAX_LIFETIME). Call before
 * NestFactory.create: a provider throwing inside Nest's start aborts the process without the reason.
 */
export function checkHttpEdgeEnvironment(env: NodeJS.ProcessEnv = process.env): void {
  resolveTokenPolicy(env);
}

function bodyParserErrorsAsProblems(error: unknown, _req: Request, _res: Response, next: NextFunction): void {
  if (isClientHttpError(error)) {
    const problem = toProblem(error);
    return next(new ProblemException(problem.status, problem.code, problem.detail));
  }
  next(error);
}
