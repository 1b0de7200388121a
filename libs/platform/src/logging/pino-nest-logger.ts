import type { LoggerService } from '@nestjs/common';
import pino, { DestinationStream, Level, Logger as Pino, stdTimeFunctions } from 'pino';

/** The process's root pino logger, as provided by LoggingModule. */
export const PLATFORM_LOGGER = Symbol('PLATFORM_LOGGER');

export function createPlatformLogger(options: { serviceName: string; level: string }, destination?: DestinationStream): Pino {
  const settings = {
    level: options.level,
    base: { service: options.serviceName, pid: process.pid },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return destination ? pino(settings, destination) : pino(settings);
}

/**
 * Nest's LoggerService over pino: `new Logger('Context').warn(message)` becomes one line with
 * `context` and `msg`. A plain object as the message becomes the line's fields (its `msg` the
 * message), which is how a caller adds ids; an Error becomes `err`.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Pino) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    // Nest passes (message, stack?, context): a stack is the first of two.
    const stack = params.length >= 2 && typeof params[0] === 'string' ? params[0] : undefined;
    this.write('error', message, params, stack);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[], stack?: string): void {
    if (!this.pino.isLevelEnabled(level)) return;
    // A contextual Logger appends its context as the last parameter.
    const last = params[params.length - 1];
    const context = typeof last === 'string' && (params.length > 1 || stack === undefined) ? last : undefined;
    const fields: Record<string, unknown> = context === undefined ? {} : { context };
    if (stack !== undefined) fields.stack = stack;
    if (message instanceof Error) {
      this.pino[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      const { msg, ...rest } = message as Record<string, unknown>;
      this.pino[level]({ ...fields, ...rest }, typeof msg === 'string' ? msg : undefined);
    } else {
      this.pino[level](fields, String(message));
    }
  }
}
