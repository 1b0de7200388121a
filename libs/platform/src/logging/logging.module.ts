import { DynamicModule, INestApplication } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'http';
import { Logger, LoggerModule } from 'nestjs-pino';
import { stdTimeFunctions } from 'pino';
import { requestContextOf } from '../context/request-context';

export interface LoggingOptions {
  /** On every line, so that lines of several services in one log store can be told apart. */
  serviceName: string;
  /** pino level: fatal, error, warn, info (default), debug, trace or silent. */
  level?: string;
}

const originalUrlOf = (req: IncomingMessage) => (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url;

// Probes and scrapes arrive every few seconds: logging each one would drown the lines that matter.
const QUIET_PATHS = ['/health/', '/metrics'];

/**
 * Structured logs: one JSON object per line (never colours, whatever the terminal), with the
 * service's name on every line and, on every line logged while a request is handled, its request id
 * and correlation id (the ids the request context gave it and echoed as response headers).
 */
export class LoggingModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    const contextOf = (req: IncomingMessage) => requestContextOf(req);
    return LoggerModule.forRoot({
      pinoHttp: {
        level: options.level ?? process.env.LOG_LEVEL ?? 'info',
        base: { service: options.serviceName, pid: process.pid },
        timestamp: stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        genReqId: (req) => contextOf(req).requestId,
        // The request's lines carry its ids, not the whole request (whose headers hold bearer tokens).
        quietReqLogger: true,
        customAttributeKeys: { reqId: 'requestId' },
        customProps: (req) => ({ correlationId: contextOf(req).correlationId }),
        serializers: {
          req: (req: { method?: string; url?: string }) => ({ method: req.method, url: req.url }),
          res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        },
        // The target as sent: Nest may hand middleware a url relative to where it is mounted.
        autoLogging: { ignore: (req) => QUIET_PATHS.some((path) => (originalUrlOf(req) ?? '').startsWith(path)) },
        customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
          error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      },
    });
  }

  /** Routes Nest's own logger (and every `new Logger(context)`) through pino; call right after NestFactory.create. */
  static use(app: INestApplication): void {
    app.useLogger(app.get(Logger));
  }
}
