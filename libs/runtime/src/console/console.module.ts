import { DynamicModule, Inject, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { serveConsole } from './serve-console';
import { sampleTokensEndpoint } from './sample-tokens';

export interface ConsoleOptions {
  /** The built console (dist/console); without it only the API is served. */
  consoleDir?: string;
  /** One-click sign-in tokens for the sample users (development secret only). */
  sampleTokens: boolean;
}

const CONSOLE_OPTIONS = Symbol('CONSOLE_OPTIONS');

/**
 * The console on a service's HTTP port: the embedded runtime serves it at /, and so does each
 * service in its own process, so that the gateway can send a browser's page request for any path
 * to the service that owns the path (a reload of /contracts/<id> reaches the contract service).
 * Nest middleware, so it runs before the API's routes and its not-found handler, and only takes
 * what the API would refuse anyway (see serveConsole).
 */
@Module({})
export class ConsoleModule implements NestModule {
  constructor(@Inject(CONSOLE_OPTIONS) private readonly options: ConsoleOptions) {}

  static register(options: ConsoleOptions): DynamicModule {
    return { module: ConsoleModule, providers: [{ provide: CONSOLE_OPTIONS, useValue: options }] };
  }

  configure(consumer: MiddlewareConsumer): void {
    const { consoleDir, sampleTokens } = this.options;
    const middleware = [...(sampleTokens ? [sampleTokensEndpoint()] : []), ...(consoleDir ? [serveConsole(consoleDir)] : [])];
    if (middleware.length) consumer.apply(...middleware).forRoutes('{*splat}');
  }
}
