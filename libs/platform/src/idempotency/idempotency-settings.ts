import { DEFAULT_LEDGER_OPTIONS, LedgerOptions } from './idempotency-ledger';

/**
 * IDEMPOTENCY_LEASE_MS: how long a request's claim on its key holds without renewal (a request
 * that died frees its key after this). IDEMPOTENCY_WAIT_MS: how long a repeat waits for the
 * request holding its key before 409 REQUEST_IN_PROGRESS. A bad value stops the start.
 */
export function idempotencyOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): Pick<LedgerOptions, 'leaseMs' | 'waitMs'> {
  return {
    leaseMs: positiveMs(env, 'IDEMPOTENCY_LEASE_MS', DEFAULT_LEDGER_OPTIONS.leaseMs),
    waitMs: positiveMs(env, 'IDEMPOTENCY_WAIT_MS', DEFAULT_LEDGER_OPTIONS.waitMs),
  };
}

function positiveMs(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new Error(`${name} must be a whole number of milliseconds (at least 1), not '${raw}'`);
  return Number(raw);
}
