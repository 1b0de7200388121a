import type { IncomingMessage } from 'http';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyServerOptions } from 'fastify';
import { requestContextHook, requestContextOf } from './context/request-context';
import { sendProblem } from './errors/problem.filter';
import { makeProblem, Problem } from './errors/problem';
import { toProblem } from './errors/to-problem';
import type { HttpRequest, HttpResponse } from './http-types';
import { isTaggedMethod, weakEtag } from './http/answer-headers';

/**
 * The HTTP adapter every app is created with (`NestFactory.create(module, createHttpAdapter())`):
 * Fastify, routing as clients have always been answered, then configureHttpApp for the edge's checks.
 */
export function createHttpAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    // No Nest middleware: what would be one is a Fastify hook, and middie would put every request through its runner.
    skipMiddie: true,
    routerOptions: {
      // `/orders/` and `/Orders` are `/orders`, as they have always been.
      ignoreTrailingSlash: true,
      caseSensitive: false,
      // An id of any length reaches its handler, whose answer to an unknown one is its own 404.
      maxParamLength: 16 * 1024,
    },
    // Fastify's request id is the one the request context gives (and the logger prints), not a counter.
    genReqId: (req: IncomingMessage) => requestContextOf(req).requestId,
    // Node's own timeouts, as before: idle keep-alive connections close after 5 s, and a request
    // must arrive whole within 5 minutes (Fastify's defaults are 72 s and never).
    keepAliveTimeout: 5_000,
    requestTimeout: 300_000,
    // A request that arrives on an open connection while the app closes is served as before, not
    // answered with Fastify's own 503 (which is no problem+json); its answer closes the connection.
    return503OnClosing: false,
    schemaController: { compilersFactory: compilersLoadedOnFirstSchema() },
    // A path that does not decode is refused before any route or hook: as problem+json too, with its ids.
    frameworkErrors: (error: Error, request: HttpRequest & { url: string }, reply: HttpResponse) =>
      withIds(request, reply, () => {
        const problem = frameworkProblem(error, request.url);
        // Answered without the app's hooks: the ETag they would give it is set here.
        if (isTaggedMethod(request.method)) reply.header('ETag', weakEtag(JSON.stringify(problem)));
        sendProblem(reply, problem);
      }),
  });
}

const withIds = requestContextHook();

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

/**
 * Fastify's own JSON-schema compilers (ajv, fast-json-stringify), loaded when a route first declares
 * a schema rather than when the server is made (~60 ms of every start): no route here declares one,
 * the pipes validate input (class-validator).
 */
function compilersLoadedOnFirstSchema(): CompilersFactory {
  type Validator = NonNullable<CompilersFactory['buildValidator']>;
  type Serializer = NonNullable<CompilersFactory['buildSerializer']>;
  let validator: Validator | undefined;
  let serializer: Serializer | undefined;
  return {
    buildValidator: (...args: Parameters<Validator>) => (validator ??= (require('@fastify/ajv-compiler') as () => Validator)())(...args),
    buildSerializer: (...args: Parameters<Serializer>) => (serializer ??= (require('@fastify/fast-json-stringify-compiler') as () => Serializer)())(...args),
  };
}

/** The problem for a request Fastify refuses before routing it; an undecodable path is named as it always was. */
function frameworkProblem(error: Error, url: string): Problem {
  if ((error as { code?: string }).code !== 'FST_ERR_BAD_URL') return toProblem(error);
  const segment = url.split('?')[0].split('/').find((part) => !decodes(part)) ?? url;
  return makeProblem(400, 'BAD_REQUEST', `Failed to decode param '${segment}'`);
}

function decodes(part: string): boolean {
  try {
    decodeURIComponent(part);
    return true;
  } catch {
    return false;
  }
}
