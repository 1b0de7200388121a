import { FastifyAdapter } from '@nestjs/platform-fastify';
import { sendProblem } from './errors/problem.filter';
import { toProblem } from './errors/to-problem';
import type { HttpResponse } from './http-types';

/**
 * The HTTP adapter every app is created with (`NestFactory.create(module, createHttpAdapter())`):
 * Fastify, routing as clients have always been answered, then configureHttpApp for the edge's checks.
 */
export function createHttpAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    routerOptions: {
      // `/orders/` and `/Orders` are `/orders`, as they have always been.
      ignoreTrailingSlash: true,
      caseSensitive: false,
      // An id of any length reaches its handler, whose answer to an unknown one is its own 404.
      maxParamLength: 16 * 1024,
    },
    // A path that does not decode is refused before any route or hook: as problem+json too.
    frameworkErrors: (error: Error, _request: unknown, reply: HttpResponse) => sendProblem(reply, toProblem(error)),
  });
}
