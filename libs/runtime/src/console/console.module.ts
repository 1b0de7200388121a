import { DynamicModule, Inject, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { HookDone, HttpRequest, HttpResponse } from '@lp/platform';
import { MiddlewareRequest, Next, serveConsole } from './serve-console';
import { sampleTokensEndpoint } from './sample-tokens';

export interface ConsoleOptions {
  /** The built console (dist/console); without it only the API is served. */
  consoleDir?: string;
  /** One-click sign-in tokens for the sample users (development secret only). */
  sampleTokens: boolean;
}

const CONSOLE_OPTIONS = Symbol('CONSOLE_OPTIONS');

type ConsoleHandler = (req: MiddlewareRequest, res: HttpResponse['raw'], next: Next) => unknown;

/**
 * The console on a service's HTTP port: the embedded runtime serves it at /, and so does each
 * service in its own process, so that the gateway can send a browser's page request for any path
 * to the service that owns the path (a reload of /contracts/<id> reaches the contract service).
 * A Fastify request hook, so it runs before the API's routes and its not-found handler, and only
 * takes what the API would refuse anyway (see serveConsole). Not Nest middleware: that puts every
 * request of the API through a middleware runner, for the few GETs the console answers.
 */
@Module({})
export class ConsoleModule implements OnModuleInit {
  constructor(
    @Inject(CONSOLE_OPTIONS) private readonly options: ConsoleOptions,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  static register(options: ConsoleOptions): DynamicModule {
    return { module: ConsoleModule, providers: [{ provide: CONSOLE_OPTIONS, useValue: options }] };
  }

  onModuleInit(): void {
    const { consoleDir, sampleTokens } = this.options;
    const handlers: ConsoleHandler[] = [...(sampleTokens ? [sampleTokensEndpoint()] : []), ...(consoleDir ? [serveConsole(consoleDir)] : [])];
    if (!handlers.length) return;
    type Hook = (request: HttpRequest, reply: HttpResponse, done: HookDone) => void;
    const fastify = this.adapterHost.httpAdapter.getInstance<{ addHook(name: 'onRequest', hook: Hook): unknown }>();
    fastify.addHook('onRequest', consoleHook(handlers));
  }
}

/**
 * Runs the handlers in turn on a GET or HEAD, as middleware: one that answers the Node response
 * does not call `next`, and the request goes no further; one that passes calls `next()`.
 */
function consoleHook(handlers: ConsoleHandler[]) {
  return (request: HttpRequest, reply: HttpResponse, done: HookDone): void => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return done();
    const raw = request.raw as MiddlewareRequest;
    // The target as sent, which the handlers read (as Express and middie named it).
    raw.originalUrl ??= raw.url ?? '/';
    const next = (index: number) => (error?: unknown) => {
      if (error) return done(error instanceof Error ? error : new Error(String(error)));
      if (index === handlers.length) return done();
      void handlers[index](raw, reply.raw, next(index + 1));
    };
    next(0)();
  };
}
