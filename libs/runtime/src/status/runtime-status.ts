import { SubscriptionStatus, SubscriptionStatusSnapshot } from '@lp/messaging';
import { DependencyProbe, DependencyState } from './dependency-probe';

/** One subscription the runtime watches: its status, and how to ask whether it has caught up. */
export interface WatchedSubscription {
  status: SubscriptionStatus;
  caughtUp?: () => Promise<void>;
  /** Reads the service's own event store: its lag is measured against the store's head. */
  followsStore?: boolean;
  /** Extra background work per sample (a projection's failure watch and checkpoint). */
  sample?: (running: boolean) => void;
}

export interface RuntimeStatusOptions {
  /** Retrying, or behind without progress, longer than this makes the service unready (READINESS_STALL_MS). */
  stallMs?: number;
  /** How often caught-up probes and background refreshes run. */
  sampleMs?: number;
}

/** Why a subscription or dependency keeps the service from being ready (absent: it is fine). */
export interface Verdict {
  name: string;
  ok: boolean;
  error?: string;
  detail: Record<string, unknown>;
}

export const DEFAULT_STALL_MS = 30_000;
const FIRST_CATCH_UP_WAIT_MS = 1000;

/**
 * Where the machinery of one service runtime stands, kept in memory: the status of every
 * subscription (forwarder, projections, reactors, bus consumers) and of every dependency. A sampler
 * in the background asks each subscription whether it has caught up (one question outstanding at a
 * time) and pings the dependencies; readiness and metrics only read what it found.
 */
export class RuntimeStatus {
  private timer?: NodeJS.Timeout;
  private running = false;
  private readonly probes = new Map<SubscriptionStatus, { startedAt: number; answered: Promise<void> }>();
  readonly stallMs: number;

  constructor(
    readonly service: string,
    private readonly subscriptions: () => WatchedSubscription[],
    readonly dependencies: DependencyProbe[],
    private readonly head: () => number | undefined,
    private readonly options: RuntimeStatusOptions = {},
  ) {
    this.stallMs = options.stallMs ?? DEFAULT_STALL_MS;
  }

  start(): void {
    this.running = true;
    this.timer ??= setInterval(() => void this.sample(), this.options.sampleMs ?? 1000);
    this.timer.unref();
    void this.sample();
  }

  stop(): void {
    this.running = false;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  snapshots(): SubscriptionStatusSnapshot[] {
    return this.subscriptions().map((watched) => watched.status.snapshot());
  }

  /** Bus consumers' groups and topics (their lag is read from the broker). */
  subscriptionSources(): ({ groupId: string; topics: string[] } | undefined)[] {
    return this.subscriptions().map((watched) => watched.status.source);
  }

  /** One verdict per dependency (pinged, cached) and per subscription (from memory). */
  async verdicts(): Promise<Verdict[]> {
    const [dependencies] = await Promise.all([Promise.all(this.dependencies.map((probe) => probe.check())), this.firstCatchUp()]);
    const now = Date.now();
    return [...dependencies.map((state) => this.dependencyVerdict(state)), ...this.subscriptions().map((watched) => this.subscriptionVerdict(watched, now))];
  }

  private dependencyVerdict(state: DependencyState): Verdict {
    const name = `${this.service}.${state.name}`;
    return state.ok
      ? { name, ok: true, detail: {} }
      : { name, ok: false, error: `${state.name} unreachable: ${state.error}`, detail: { kind: 'dependency', since: state.since } };
  }

  private subscriptionVerdict({ status }: WatchedSubscription, now: number): Verdict {
    const snapshot = status.snapshot();
    const name = `${this.service}.${status.name}`;
    const { state, since, lastError, indexing } = snapshot;
    const detail = { kind: status.kind, state, since, ...(lastError && { lastError }), ...(indexing && { indexing }) };
    const outstanding = this.probes.get(status)?.startedAt;
    const behindFor = outstanding === undefined ? 0 : now - Math.max(outstanding, status.lastProgressAt.getTime());
    let error: string | undefined;
    if (state === 'failed') error = `${status.kind} failed`;
    else if (state === 'stopped') error = `${status.kind} stopped`;
    else if (state === 'retrying' && now - status.since.getTime() >= this.stallMs) error = `${status.kind} retrying for ${Math.round((now - status.since.getTime()) / 1000)} s`;
    // Making indexes is progress: a first fill's over 1M orders take ~10 s, more in a slow hour.
    else if (behindFor >= this.stallMs && !indexing) error = `${status.kind} stalled: behind without progress for ${Math.round(behindFor / 1000)} s`;
    // Read-your-writes from the first request on: a fresh start replays its projections first, then
    // indexes them (its documents held until then).
    else if (status.kind === 'projection' && !status.caughtUpOnce) error = indexing ? `projection indexing ${indexing.collection} after its first fill` : 'projection catching up after start';
    return error ? { name, ok: false, error: lastError ? `${error}: ${lastError.message}` : error, detail } : { name, ok: true, detail: {} };
  }

  /** Right after a start, a probe waits a moment for the replay to finish rather than answer 503 at once. */
  private async firstCatchUp(): Promise<void> {
    const pending = this.subscriptions()
      .filter(({ status }) => !status.caughtUpOnce)
      .map(({ status }) => this.probes.get(status)?.answered)
      .filter((answered) => answered !== undefined);
    if (pending.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(pending), new Promise((resolve) => (timer = setTimeout(resolve, FIRST_CATCH_UP_WAIT_MS)))]);
    clearTimeout(timer);
  }

  /** One round: dependencies pinged, store heads noted, and a caught-up question for each subscription. */
  async sample(): Promise<void> {
    const head = this.head();
    for (const watched of this.subscriptions()) {
      const { status, caughtUp } = watched;
      if (head !== undefined && watched.followsStore) status.sawHead(head);
      watched.sample?.(this.running);
      if (!this.running || !caughtUp || this.probes.has(status) || status.state === 'stopped' || status.state === 'failed') continue;
      const answered = caughtUp().then(
        () => {
          this.probes.delete(status);
          if (this.running && status.state !== 'stopped' && status.state !== 'failed') status.live();
        },
        // The machinery reports its own failures; a question that failed is simply asked again.
        () => void this.probes.delete(status),
      );
      this.probes.set(status, { startedAt: Date.now(), answered });
    }
    await Promise.all(this.dependencies.map((probe) => probe.check()));
  }
}
