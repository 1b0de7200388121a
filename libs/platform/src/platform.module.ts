import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { JwtAuthGuard } from './auth/jwt-auth.guard';
import { JWT_SECRET, resolveJwtSecret } from './auth/jwt-secret';
import { ResellerDirectory } from './auth/reseller-directory';
import { Clock } from './context/clock';
import { ProblemExceptionFilter } from './errors/problem.filter';
import { HealthController } from './health/health.controller';
import { ReadinessRegistry } from './health/readiness-registry';
import { IdempotencyGuard } from './idempotency/idempotency.guard';
import { createValidationPipe } from './validation/validation-pipe';

export interface PlatformOptions {
  serviceName: string;
  /** The clock every module gets when it injects Clock (tests pass a FixedClock); default system time. */
  clock?: Clock;
}

export const PLATFORM_OPTIONS = Symbol('PLATFORM_OPTIONS');

/**
 * The HTTP edge every service shares: JWT guard, problem+json errors, validation, request ids,
 * idempotency, health and metrics. Import once in the root module, which must also provide
 * IDEMPOTENCY_EVENT_STORE. Call configureHttpApp(app) on the application before init/listen.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      controllers: [HealthController],
      providers: [
        { provide: PLATFORM_OPTIONS, useValue: options },
        { provide: JWT_SECRET, useFactory: () => resolveJwtSecret() },
        { provide: ResellerDirectory, useFactory: () => new ResellerDirectory() },
        { provide: Clock, useValue: options.clock ?? new Clock() },
        ReadinessRegistry,
        // Global guards run in this order: the caller is known and allowed before a key is claimed.
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: IdempotencyGuard },
        { provide: APP_FILTER, useClass: ProblemExceptionFilter },
        { provide: APP_PIPE, useFactory: () => createValidationPipe() },
      ],
      exports: [PLATFORM_OPTIONS, JWT_SECRET, ResellerDirectory, Clock, ReadinessRegistry],
    };
  }
}
