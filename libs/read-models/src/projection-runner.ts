import { EventStore, RecordedEvent, StoreSubscription } from '@lp/eventsourcing';
import { ensureProjectionIndexes, Projection } from './projection';
import { ReadStore } from './read-store';

export interface ProjectionRunnerOptions {
  eventStore: EventStore;
  readStore: ReadStore;
  projection: Projection;
}

/**
 * Runs one projection off the event store's global order. It resumes after the checkpoint kept in the
 * read store, applies each handled event, then saves the event's position as the checkpoint. Apply and
 * checkpoint are two writes with no transaction: after a crash between them the event is delivered
 * again, and the documents' version guard turns that second apply into a no-op.
 *
 * A projection that throws stops the subscription: caughtUp() and done reject with the error, and
 * stop() then start() resumes from the last checkpoint.
 */
export class ProjectionRunner {
  private subscription?: StoreSubscription;
  private starting?: Promise<void>;
  private readonly handles: Set<string>;

  constructor(private readonly options: ProjectionRunnerOptions) {
    this.handles = new Set(options.projection.handles);
  }

  get name(): string {
    return this.options.projection.name;
  }

  /** Settles when the running subscription stops (rejects with the projection's error). */
  get done(): Promise<void> {
    return this.subscription?.done ?? Promise.resolve();
  }

  /** Subscribes after the saved checkpoint; calling it again while running does nothing. */
  start(): Promise<void> {
    // Kept as a promise so that two quick start() calls cannot open two subscriptions.
    this.starting ??= this.subscribe().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  async stop(): Promise<void> {
    const starting = this.starting;
    this.starting = undefined;
    await starting?.catch(() => undefined);
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop();
  }

  /** Resolves once every event appended before the call has been projected. */
  async caughtUp(): Promise<void> {
    await this.starting;
    if (!this.subscription) throw new Error(`Projection ${this.name} is not running`);
    await this.subscription.caughtUp();
  }

  /** Rebuilds from scratch: drops the projection's collections and checkpoint, then replays from position 0. */
  async rebuild(): Promise<void> {
    await this.stop();
    await this.options.readStore.reset(this.name, this.options.projection.collections);
    await this.start();
  }

  private async subscribe(): Promise<void> {
    const { eventStore, readStore, projection } = this.options;
    await ensureProjectionIndexes(projection, readStore);
    const fromPosition = (await readStore.loadCheckpoint(projection.name)) ?? 0;
    this.subscription = eventStore.subscribeToAll(
      // The prefix filter lets the store skip most events; the exact check in handle() drops the rest
      // (a prefix 'OrderCreated' also matches 'OrderCreatedV2').
      { fromPosition, filter: { eventTypePrefixes: projection.handles } },
      (event) => this.handle(event),
    );
  }

  private async handle(event: RecordedEvent): Promise<void> {
    if (!this.handles.has(event.type)) return;
    await this.options.projection.apply(event, this.options.readStore);
    await this.options.readStore.saveCheckpoint(this.name, event.position);
  }
}
