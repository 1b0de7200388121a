import { BusSubscription, EventBus } from '@lp/messaging';
import { ensureProjectionIndexes, Projection } from './projection';
import { ReadStore } from './read-store';

export interface BusProjectionConsumerOptions {
  bus: EventBus;
  readStore: ReadStore;
  projection: Projection;
  /** Consumer group: its committed offsets are this projection's progress. */
  groupId: string;
  topics: string[];
}

/**
 * Runs a projection off the integration-event bus (for read models built from another service's
 * events). No checkpoint is saved in the read store: the bus commits the group's offset once the
 * handler succeeded, and a message redelivered after a crash before that commit is skipped by the
 * documents' version guard. The handler flushes the read store before it returns, so a store that
 * groups writes into transactions never has the bus offset saved ahead of the documents (which would
 * skip those events for good). A rebuild therefore means a reset plus a new groupId (which starts at
 * the beginning of each topic), which is the caller's decision.
 */
export class BusProjectionConsumer {
  private subscription?: BusSubscription;
  private readonly handles: Set<string>;

  constructor(private readonly options: BusProjectionConsumerOptions) {
    this.handles = new Set(options.projection.handles);
  }

  async start(): Promise<void> {
    if (this.subscription) return;
    const { bus, readStore, projection, groupId, topics } = this.options;
    await ensureProjectionIndexes(projection, readStore);
    this.subscription = await bus.subscribe({
      groupId,
      topics,
      handler: async (event) => {
        if (!this.handles.has(event.type)) return;
        await projection.apply(event, readStore);
        // The bus saves the offset in its own file once this returns: the documents go first.
        await readStore.flush?.();
      },
    });
  }

  async stop(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop();
  }

  /** Resolves once every message published before the call has been projected. */
  async caughtUp(): Promise<void> {
    if (!this.subscription) throw new Error(`Projection ${this.options.projection.name} is not consuming`);
    await this.subscription.caughtUp();
  }
}
