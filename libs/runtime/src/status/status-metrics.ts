import { Gauge } from 'prom-client';
import { SubscriptionState } from '@lp/messaging';
import { platformMetrics } from '@lp/platform';
import { RuntimeStatus } from './runtime-status';
import { BusProbe, GroupLag } from './watch-runtime';

const STATES: SubscriptionState[] = ['starting', 'catching-up', 'live', 'retrying', 'stopped', 'failed'];
// A scrape must not wait on the broker each time: the group lags are reused for this long.
const GROUP_LAG_CACHE_MS = 5_000;

interface Watched {
  status: RuntimeStatus;
  busProbe?: BusProbe;
  lag?: { at: number; values: GroupLag[] };
}

/** Runtimes whose status the process's /metrics shows (tests build many apps in one process). */
const watched = new Set<Watched>();
let registered = false;

/** Shows the runtime's subscriptions, dependencies and consumer-group lag in /metrics until the returned function is called. */
export function exposeStatusMetrics(status: RuntimeStatus, busProbe?: BusProbe): () => void {
  registerGauges();
  const entry: Watched = { status, busProbe };
  watched.add(entry);
  return () => watched.delete(entry);
}

function registerGauges(): void {
  if (registered) return;
  registered = true;
  const registers = [platformMetrics().registry];
  const labelNames = ['service', 'subscription', 'kind'] as const;
  const perSubscription = (name: string, help: string, value: (snapshot: ReturnType<RuntimeStatus['snapshots']>[number]) => number | undefined) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      collect() {
        this.reset();
        for (const { status } of watched) {
          for (const snapshot of status.snapshots()) {
            const measured = value(snapshot);
            if (measured !== undefined) this.set({ service: status.service, subscription: snapshot.name, kind: snapshot.kind }, measured);
          }
        }
      },
    });
  perSubscription('subscription_checkpoint', 'Last position a subscription handled and saved (store subscriptions)', (s) => s.checkpoint);
  perSubscription('subscription_lag', 'Positions a store subscription is behind its event store head (0 when caught up)', (s) => s.lag);
  perSubscription('subscription_retries_total', 'Failed tries a subscription retried since the process started', (s) => s.retries);
  perSubscription('subscription_indexing', 'Whether a projection is making its indexes (a first fill’s, or those its start found missing)', (s) => (s.kind === 'projection' ? Number(s.indexing !== undefined) : undefined));
  perSubscription('subscription_parked_total', 'Messages a subscription parked in a dead-letter topic since the process started', (s) => s.parked);
  new Gauge({
    name: 'subscription_state',
    help: 'A subscription’s state: 1 for the state it is in, 0 for the others',
    labelNames: [...labelNames, 'state'],
    registers,
    collect() {
      this.reset();
      for (const { status } of watched) {
        for (const snapshot of status.snapshots()) {
          for (const state of STATES) this.set({ service: status.service, subscription: snapshot.name, kind: snapshot.kind, state }, snapshot.state === state ? 1 : 0);
        }
      }
    },
  });
  new Gauge({
    name: 'dependency_up',
    help: 'Whether a dependency (event store, bus, read store) answered its last ping',
    labelNames: ['service', 'dependency'],
    registers,
    collect() {
      this.reset();
      for (const { status } of watched) {
        for (const probe of status.dependencies) this.set({ service: status.service, dependency: probe.name }, probe.state.ok ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'kafka_consumer_group_lag',
    help: 'Messages between a consumer group’s committed offset and the partition’s high watermark',
    labelNames: ['service', 'group', 'topic', 'partition'],
    registers,
    async collect() {
      this.reset();
      await Promise.all(
        [...watched].map(async (entry) => {
          for (const lag of await groupLags(entry)) {
            this.set({ service: entry.status.service, group: lag.groupId, topic: lag.topic, partition: String(lag.partition) }, lag.lag);
          }
        }),
      );
    },
  });
}

async function groupLags(entry: Watched): Promise<GroupLag[]> {
  const { busProbe, status } = entry;
  if (!busProbe?.groupLag) return [];
  if (entry.lag && Date.now() - entry.lag.at < GROUP_LAG_CACHE_MS) return entry.lag.values;
  const groups = status
    .subscriptionSources()
    .filter((source): source is { groupId: string; topics: string[] } => source !== undefined);
  // A broker that does not answer shows as no lag samples (dependency_up says why), not as a failed scrape.
  const values = await busProbe.groupLag(groups).catch(() => entry.lag?.values ?? []);
  entry.lag = { at: Date.now(), values };
  return values;
}
