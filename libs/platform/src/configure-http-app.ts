import { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { HttpRequest as Request, HttpResponse as Response, NextFunction } from './http-types';
import { requestContextMiddleware } from './context/request-context';
import { ProblemException } from './errors/problem-exception';
import { toProblem } from './errors/to-problem';
import { httpMetricsMiddleware } from './health/http-metrics';
import { OpenApiOptions, setupOpenApi } from './openapi/setup-openapi';

export interface HttpAppOptions {
  /** Largest accepted JSON body (body-parser syntax); larger ones get 413 PAYLOAD_TOO_LARGE. */
  bodyLimit?: string;
  /** Serve Swagger UI at /docs when given. */
  openApi?: OpenApiOptions;
}

/** Settings that live on the app instance, not in a module. Call before app.init() / listen(). */
export function configureHttpApp(app: INestApplication, options: HttpAppOptions = {}): void {
  const expressApp = app as NestExpressApplication;
  expressApp.getHttpAdapter().getInstance().disable('x-powered-by');
  // Ids and timing first, so that requests refused by the body parser still get both.
  expressApp.use(requestContextMiddleware());
  expressApp.use(httpMetricsMiddleware());
  const limit = options.bodyLimit ?? '1mb';
  expressApp.useBodyParser('json', { limit });
  expressApp.useBodyParser('urlencoded', { limit, extended: true });
  // Nest turns a JSON SyntaxError into a bare 400 and loses which it was: name it here instead.
  expressApp.use(bodyParserErrorsAsProblems);
  app.enableShutdownHooks();
  if (options.openApi) setupOpenApi(app, options.openApi);
}

function bodyParserErrorsAsProblems(error: unknown, _req: Request, _res: Response, next: NextFunction): void {
  const type = (error as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && type.startsWith('entity.')) {
    const problem = toProblem(error);
    return next(new ProblemException(problem.status, problem.code, problem.detail));
  }
  next(error);
}
