import { DynamicModule, INestApplication, Module } from '@nestjs/common';
import type { FastifyAdapter } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import { createPlatformLogger, PinoNestLogger, PLATFORM_LOGGER } from './pino-nest-logger';
import { requestLogHook } from './request-log';

export interface LoggingOptions {
  /** On every line, so that lines of several services in one log store can be told apart. */
  serviceName: string;
  /** pino level: fatal, error, warn, info (default), debug, trace or silent. */
  level?: string;
  /** Where the lines go (default standard output); tests read them from here. */
  destination?: DestinationStream;
}

/**
 * Structured logs: one JSON object per line (never colours, whatever the terminal), with the
 * service's name on every line. Each request gets one line when it is answered, carrying its
 * request id and correlation id (the ids echoed as response headers); so do the lines the edge logs
 * about a request (a 5xx and its stack).
 *
 * No per-request child logger and no AsyncLocalStorage: both cost on every request, and an
 * AsyncLocalStorage turns on promise hooks that tax every promise of the process.
 */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    const logger = createPlatformLogger({ serviceName: options.serviceName, level: options.level ?? process.env.LOG_LEVEL ?? 'info' }, options.destination);
    return {
      module: LoggingModule,
      global: true,
      providers: [{ provide: PLATFORM_LOGGER, useValue: logger }, { provide: PinoNestLogger, useValue: new PinoNestLogger(logger) }],
      exports: [PLATFORM_LOGGER, PinoNestLogger],
    };
  }

  /** Routes Nest's own logger (and every `new Logger(context)`) through pino and logs each answered request; call right after NestFactory.create. */
  static use(app: INestApplication): void {
    app.useLogger(app.get(PinoNestLogger));
    const adapter = app.getHttpAdapter() as unknown as FastifyAdapter;
    adapter.getInstance().addHook('onResponse', requestLogHook(app.get(PLATFORM_LOGGER)));
  }
}
