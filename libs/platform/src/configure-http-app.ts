import { INestApplication } from '@nestjs/common';
import type { FastifyAdapter } from '@nestjs/platform-fastify';
import type { HttpRequest, HttpResponse, HookDone } from './http-types';
import { Clock } from './context/clock';
import { requestContextHook } from './context/request-context';
import { resolveTokenPolicy } from './auth/token-policy';
import { httpMetricsHooks } from './health/http-metrics';
import { answerHeadersHook } from './http/answer-headers';
import { idempotentAnswerHook } from './idempotency/idempotent-answer';
import { markRouted } from './http/route-pattern';
import { viewStaleHook } from './http/view-stale';
import { recordServedRoutes } from './http/served-routes';
import { OpenApiOptions, setupOpenApi } from './openapi/setup-openapi';
import { unreadableBodyRefusal } from './request-body/body-headers';
import { parseJsonBody } from './request-body/body-shape';
import { parseByteSize } from './request-body/byte-size';

export interface HttpAppOptions {
  /**
   * Largest accepted JSON body (`64kb`, `1mb` or bytes, default 64kb); larger ones get 413
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

/**
 * Settings that live on the app instance, not in a module. Call before app.init() / listen(), on
 * an app created with createHttpAdapter().
 */
export function configureHttpApp(app: INestApplication, options: HttpAppOptions = {}): void {
  const adapter = app.getHttpAdapter() as unknown as FastifyAdapter;
  if (adapter.getType() !== 'fastify') throw new Error('configureHttpApp needs an app created with createHttpAdapter()');
  const fastify = adapter.getInstance();
  recordServedRoutes(fastify);
  const limitBytes = parseByteSize(options.bodyLimit ?? DEFAULT_BODY_LIMIT);
  const maxDepth = options.maxBodyDepth ?? DEFAULT_MAX_BODY_DEPTH;
  const context = requestContextHook(clockOf(app));
  const metrics = httpMetricsHooks();
  // The adapter's own request hook runs before Nest middleware (the request logger among them).
  // Ids and timing first, so that requests refused by the body checks still get both; then a body
  // that is too large, compressed or not UTF-8 JSON is refused from its headers, unread.
  adapter.setOnRequestHook((req: HttpRequest, reply: HttpResponse, done: HookDone) => {
    context(req, reply, () => metrics.onRequest(req, reply, () => done(unreadableBodyRefusal(req, { limitBytes }))));
  });
  fastify.addHook('onResponse', metrics.onResponse);
  fastify.addHook('preHandler', markRouted);
  fastify.addHook('preSerialization', viewStaleHook);
  fastify.addHook('onSend', answerHeadersHook);
  // Records the answer of a request that holds an Idempotency-Key (see IdempotencyGuard).
  fastify.addHook('onSend', idempotentAnswerHook);
  // A JSON body is read whatever the method, and a malformed or unsafe one refused even on a GET, as
  // it always was (Fastify reads none for GET and HEAD by default).
  for (const method of ['GET', 'HEAD']) fastify.addHttpMethod(method, { hasBody: true, overrideExisting: true });
  // One parser for every media type: the header checks let only JSON bodies through, and any other
  // request that reaches it has an empty body, which stays undefined.
  fastify.removeAllContentTypeParsers();
  adapter.useBodyParser('*', false, { bodyLimit: limitBytes }, (req: HttpRequest, body: Buffer, done: (error: Error | null, body?: unknown) => void) => {
    let parsed: unknown;
    try {
      parsed = parseJsonBody(req.headers, body, maxDepth);
    } catch (error) {
      return done(error as Error);
    }
    done(null, parsed);
  });
  app.enableShutdownHooks();
  if (options.openApi) setupOpenApi(app, options.openApi);
}

/** The clock the app's modules share (a FixedClock in tests), for the commands' `now`. */
function clockOf(app: INestApplication): Clock | undefined {
  try {
    return app.get(Clock, { strict: false });
  } catch {
    return undefined;
  }
}

/**
 * Throws one Error naming a bad setting of the HTTP edge (JWT_MAX_LIFETIME). Call before
 * NestFactory.create: a provider throwing inside Nest's start aborts the process without the reason.
 */
export function checkHttpEdgeEnvironment(env: NodeJS.ProcessEnv = process.env): void {
  resolveTokenPolicy(env);
}
