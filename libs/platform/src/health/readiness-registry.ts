import { Injectable } from '@nestjs/common';

export interface ReadinessCheck {
  name: string;
  /** Resolves true when the dependency (store, bus, read model) can serve; false or a throw = not ready. */
  check: () => Promise<boolean>;
}

export interface ReadinessResult {
  name: string;
  ok: boolean;
  error?: string;
}

// A hanging dependency must not hang the probe: the orchestrator would time out without a reason.
const CHECK_TIMEOUT_MS = 2_000;

/** Modules register what they need to be ready; GET /health/ready runs them all. */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  /** Registers (or replaces, by name) a check. */
  register(check: ReadinessCheck): void {
    this.checks.set(check.name, check);
  }

  /** Alias of register, reads well in module code: `readiness.add({ name, check })`. */
  add(check: ReadinessCheck): void {
    this.register(check);
  }

  async run(): Promise<{ ready: boolean; checks: ReadinessResult[] }> {
    const checks = await Promise.all([...this.checks.values()].map(runCheck));
    return { ready: checks.every((check) => check.ok), checks };
  }
}

async function runCheck({ name, check }: ReadinessCheck): Promise<ReadinessResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    const ok = (await Promise.race([check(), timeout])) === true;
    return ok ? { name, ok } : { name, ok, error: 'not ready' };
  } catch (error) {
    return { name, ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
