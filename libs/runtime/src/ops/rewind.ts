import { EventFilter, EventStore } from '@lp/eventsourcing';
import { groupOffsetsOf, PartitionRewind, redeliveries } from '@lp/messaging';
import { ServiceRuntime } from '../service-runtime';
import { BackgroundWorker, BusReactor, StoreReactor } from '../workers';

/** A position in the service's store (store reactors) or an offset on every partition (bus groups), or an instant. */
export type RewindPoint = { position: number } | { instant: string };

export interface ConsumerView {
  service: string;
  name: string;
  kind: 'store-reactor' | 'bus-group';
  /** Store reactors: the checkpoint (last handled position). */
  checkpoint?: number;
  /** Bus groups: the group and its topics. */
  groupId?: string;
  topics?: string[];
}

export interface RewindPlan {
  consumer: ConsumerView;
  /** Events (store) or messages (bus) that will be handled again. */
  count: number;
  /** Store reactors: the checkpoint it restarts after. */
  toPosition?: number;
  /** Bus groups: per partition. */
  partitions?: PartitionRewind[];
}

interface Consumer {
  runtime: ServiceRuntime;
  worker: BackgroundWorker;
  view: () => Promise<ConsumerView>;
}

/** The reactors of every runtime that ops may rewind: store reactors (checkpoint) and bus reactors (consumer group). */
export function consumersOf(runtimes: ServiceRuntime[]): Consumer[] {
  return runtimes.flatMap((runtime) =>
    runtime.workers.flatMap((worker): Consumer[] => {
      const service = runtime.definition.name;
      if (worker instanceof StoreReactor) {
        const view = async (): Promise<ConsumerView> => ({
          service,
          name: worker.name,
          kind: 'store-reactor',
          checkpoint: (await worker.options.checkpoints.load(worker.options.name)) ?? 0,
        });
        return [{ runtime, worker, view }];
      }
      if (worker instanceof BusReactor) {
        const { groupId, topics } = worker.options;
        return [{ runtime, worker, view: async () => ({ service, name: worker.name, kind: 'bus-group', groupId, topics }) }];
      }
      return [];
    }),
  );
}

/** What a rewind would do, without doing it (the count ops confirm). */
export async function planRewind(consumer: Consumer, to: RewindPoint): Promise<RewindPlan> {
  const view = await consumer.view();
  if (consumer.worker instanceof StoreReactor) {
    const { store, filter, eventTypes } = consumer.worker.options;
    const checkpoint = view.checkpoint ?? 0;
    const wanted = 'position' in to ? to.position : await lastPositionBefore(store, to.instant);
    const toPosition = Math.max(0, Math.min(checkpoint, wanted));
    const count = await countBetween(store, toPosition, checkpoint, eventTypes, filter);
    return { consumer: view, count, toPosition };
  }
  const offsets = groupOffsetsOf(consumer.runtime.adapters.bus);
  if (!offsets) throw new Error(`The bus of ${view.service} cannot rewind consumer groups`);
  const partitions = await offsets.plan(view.groupId!, view.topics!, 'position' in to ? { offset: to.position } : { instant: to.instant });
  return { consumer: view, count: redeliveries(partitions), partitions };
}

/** Stops the consumer, moves it back as planned, starts it again. */
export async function applyRewind(consumer: Consumer, plan: RewindPlan): Promise<void> {
  await consumer.worker.stop();
  try {
    if (consumer.worker instanceof StoreReactor) {
      await consumer.worker.options.checkpoints.store(consumer.worker.options.name, plan.toPosition!);
    } else {
      await groupOffsetsOf(consumer.runtime.adapters.bus)!.apply(plan.consumer.groupId!, plan.partitions!);
    }
  } finally {
    await consumer.worker.start();
  }
}

/** The position of the last event that occurred before the instant (0 when none did). */
async function lastPositionBefore(store: EventStore, instant: string): Promise<number> {
  const limit = Date.parse(instant);
  let after = 0;
  for (;;) {
    const page = await store.readAll({ fromPosition: after, maxCount: 500 });
    for (const event of page) {
      if (Date.parse(event.occurredAt) >= limit) return after;
      after = event.position;
    }
    if (page.length < 500) return after;
  }
}

/** Events of the handled types in positions (from, to], read through the reactor's own filter. */
async function countBetween(store: EventStore, from: number, to: number, types: string[], filter: EventFilter): Promise<number> {
  const handled = new Set(types);
  let count = 0;
  let after = from;
  while (after < to) {
    const page = await store.readAll({ fromPosition: after, maxCount: 500, filter });
    for (const event of page) {
      if (event.position > to) return count;
      if (handled.has(event.type)) count++;
    }
    if (page.length < 500) return count;
    after = page[page.length - 1].position;
  }
  return count;
}
