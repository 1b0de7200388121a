export * from './platform.module';
export * from './configure-http-app';
export * from './http-adapter';
export * from './http-types';
export * from './http/served-routes';

export * from './auth/roles';
export * from './auth/authenticated-user';
export * from './auth/decorators';
export * from './auth/jwt-auth.guard';
export * from './auth/jwt-secret';
export * from './auth/reseller-directory';
export * from './auth/visibility';
export * from './auth/flag-roles';

export * from './errors/problem';
export * from './errors/problem-exception';
export * from './errors/to-problem';
export * from './errors/problem.filter';

export * from './validation/flatten-validation-errors';
export * from './validation/validation-pipe';
export * from './validation/validators';
export * from './validation/fields';

export * from './context/clock';
export * from './context/request-context';
export * from './context/command-context';
export * from './time/tokyo';

export * from './idempotency/idempotency.tokens';
export * from './idempotency/idempotency-events';
export * from './idempotency/idempotency-ledger';
export * from './idempotency/idempotency.guard';
export * from './idempotency/canonical-json';

export * from './health/readiness-registry';
export * from './health/http-metrics';
export * from './health/health.controller';

export * from './config/load-config';
export * from './config/dev-defaults';
export * from './openapi/setup-openapi';
export * from './openapi/refuses';
export * from './openapi/platform-refusals';
export * from './openapi/declared-problems-check';
export * from './http/history';
export * from './http/page-query.dto';
export * from './http/view-stale';
export * from './http/answer-headers';
export * from './http/as-of-query.dto';
export * from './logging/logging.module';
