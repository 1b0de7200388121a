import { Logger } from '@nestjs/common';

/** What readiness shows of one dependency: reachable or not, since when, and why not. */
export interface DependencyState {
  name: string;
  ok: boolean;
  error?: string;
  since: string;
}

export interface DependencyProbeOptions {
  /** A ping slower than this counts as unreachable (a hanging server must not hang the probe). */
  timeoutMs?: number;
  /** Answers within this long reuse the last ping: probes and scrapes stay cheap. */
  cacheMs?: number;
}

/**
 * A cheap ping of one dependency (event store, bus, read store), cached for a moment, remembering
 * since when it is up or down and logging each change (warn when lost, info when back).
 */
export class DependencyProbe {
  private readonly logger: Logger;
  private ok = true;
  private error?: string;
  private since = new Date();
  private lastAt = 0;
  private running?: Promise<DependencyState>;

  constructor(
    readonly name: string,
    private readonly ping: () => Promise<unknown>,
    private readonly options: DependencyProbeOptions = {},
  ) {
    this.logger = new Logger(name);
  }

  /** The state as of the last ping, without pinging. */
  get state(): DependencyState {
    return { name: this.name, ok: this.ok, ...(this.error && { error: this.error }), since: this.since.toISOString() };
  }

  check(): Promise<DependencyState> {
    if (Date.now() - this.lastAt < (this.options.cacheMs ?? 1500)) return Promise.resolve(this.state);
    this.running ??= this.pingOnce().finally(() => {
      this.lastAt = Date.now();
      this.running = undefined;
    });
    return this.running;
  }

  private async pingOnce(): Promise<DependencyState> {
    const timeoutMs = this.options.timeoutMs ?? 1000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      this.enter(true);
    } catch (error) {
      this.enter(false, error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(timer);
    }
    return this.state;
  }

  private enter(ok: boolean, error?: string): void {
    if (ok !== this.ok) {
      if (ok) this.logger.log({ msg: 'reachable again', dependency: this.name, downSince: this.since.toISOString() });
      else this.logger.warn({ msg: 'unreachable', dependency: this.name, error });
      this.ok = ok;
      this.since = new Date();
    }
    this.error = error;
  }
}
