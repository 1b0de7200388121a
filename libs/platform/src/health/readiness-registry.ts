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
  /** What a failing check adds for the operator: kind, state, since when, last error. */
  [detail: string]: unknown;
}

/** Several checks answered at once from one status (a runtime's dependencies and subscriptions). */
export interface ReadinessGroup {
  name: string;
  checks: () => Promise<ReadinessResult[]>;
}

// A hanging dependency must not hang the probe: the orchestrator would time out without a reason.
const CHECK_TIMEOUT_MS = 2_000;

/** Modules register what they need to be ready; GET /health/ready runs them all. */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly groups = new Map<string, ReadinessGroup>();

  /** Registers (or replaces, by name) a check. */
  register(check: ReadinessCheck): void {
    this.checks.set(check.name, check);
  }

  /** Alias of register, reads well in module code: `readiness.add({ name, check })`. */
  add(check: ReadinessCheck): void {
    this.register(check);
  }

  /** Registers (or replaces, by name) a group of checks. */
  registerGroup(group: ReadinessGroup): void {
    this.groups.set(group.name, group);
  }

  async run(): Promise<{ ready: boolean; checks: ReadinessResult[] }> {
    const [single, grouped] = await Promise.all([
      Promise.all([...this.checks.values()].map(runCheck)),
      Promise.all([...this.groups.values()].map(runGroup)),
    ]);
    const checks = [...single, ...grouped.flat()];
    return { ready: checks.every((check) => check.ok), checks };
  }
}

async function runCheck({ name, check }: ReadinessCheck): Promise<ReadinessResult> {
  try {
    const ok = (await withTimeout(check())) === true;
    return ok ? { name, ok } : { name, ok, error: 'not ready' };
  } catch (error) {
    return { name, ok: false, error: messageOf(error) };
  }
}

async function runGroup({ name, checks }: ReadinessGroup): Promise<ReadinessResult[]> {
  try {
    return await withTimeout(checks());
  } catch (error) {
    return [{ name, ok: false, error: messageOf(error) }];
  }
}

async function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
