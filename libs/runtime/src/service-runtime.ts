import { CheckpointStore, DeferredCheckpointStore, EventStore } from '@lp/eventsourcing';
import { EventBus, StoreForwarder } from '@lp/messaging';
import { BusProjectionConsumer, ProjectionRunner, ReadStore } from '@lp/read-models';
import { ServiceDefinition } from './service-definition';
import { BackgroundWorker } from './workers/background-worker';

export interface ServiceAdapters {
  eventStore: EventStore;
  /** Where the forwarder keeps its checkpoint: beside the events, so it survives what they survive. */
  forwarderCheckpoints: CheckpointStore;
  readStore: ReadStore;
  bus: EventBus;
  /**
   * The bus saves consumer offsets only after committing the read store (see
   * BusProjectionConsumerOptions.offsetsSavedAfterReadStore); default false.
   */
  offsetsSavedAfterReadStore?: boolean;
  /** Consumer-group id suffix; in-memory read models use a fresh one per start so they replay the topics. */
  consumerGroupSuffix?: string;
}

/**
 * The moving parts of one service around its command side: the forwarder (store → bus), its own
 * projections (store → read store) and its local projections of other services' events
 * (bus → read store).
 */
export class ServiceRuntime {
  readonly forwarder: StoreForwarder;
  readonly projections: ProjectionRunner[];
  readonly busProjections: BusProjectionConsumer[];
  /** Process managers, vendor workers, outboxes: registered by the service's module before start(). */
  readonly workers: BackgroundWorker[] = [];
  private started = false;
  readonly adapters: ServiceAdapters;
  private readonly checkpoints: DeferredCheckpointStore;

  constructor(
    readonly definition: ServiceDefinition,
    adapters: ServiceAdapters,
  ) {
    // The forwarder's and the store reactors' checkpoints are written in the background, not one
    // fsync'd commit per batch (see DeferredCheckpointStore); stop() writes the last ones.
    this.checkpoints = new DeferredCheckpointStore(adapters.forwarderCheckpoints, undefined, adapters.bus.sync && (() => adapters.bus.sync!()));
    this.adapters = { ...adapters, forwarderCheckpoints: this.checkpoints };
    const { eventStore, readStore, bus, forwarderCheckpoints } = this.adapters;
    this.forwarder = new StoreForwarder({
      name: `${definition.name}-forwarder`,
      store: eventStore,
      checkpoints: forwarderCheckpoints,
      bus,
      topic: definition.topic,
      streamPrefixes: definition.streamPrefixes,
      eventTypes: definition.publishedEventTypes,
    });
    this.projections = definition.projections.map((projection) => new ProjectionRunner({ eventStore, readStore, projection }));
    const suffix = adapters.consumerGroupSuffix ? `-${adapters.consumerGroupSuffix}` : '';
    this.busProjections = definition.busProjections.map(
      ({ projection, topics }) =>
        new BusProjectionConsumer({
          name: `${definition.name}.${projection.name}`,
          bus,
          readStore,
          projection,
          topics,
          groupId: `${definition.name}.${projection.name}${suffix}`,
          offsetsSavedAfterReadStore: adapters.offsetsSavedAfterReadStore,
        }),
    );
  }

  get eventStore(): EventStore {
    return this.adapters.eventStore;
  }

  get readStore(): ReadStore {
    return this.adapters.readStore;
  }

  /** Called by a service's module while Nest builds it; a worker added after start() starts at once. */
  addWorker(worker: BackgroundWorker): void {
    this.workers.push(worker);
    if (this.started) void worker.start();
  }

  async start(): Promise<void> {
    await Promise.all(this.projections.map((runner) => runner.start()));
    await Promise.all(this.busProjections.map((consumer) => consumer.start()));
    await this.forwarder.start();
    // After the read models: workers may read them (e.g. a tenant's Microsoft id).
    await Promise.all(this.workers.map((worker) => worker.start()));
    this.started = true;
  }

  /** Own projections have seen every event appended so far: read-your-writes after a command. */
  async projectionsCaughtUp(): Promise<void> {
    await Promise.all(this.projections.map((runner) => runner.caughtUp()));
  }

  /** Everything appended or published so far has been forwarded and projected (one hop). */
  async caughtUp(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.caughtUp()));
    await this.forwarder.caughtUp();
    await Promise.all([...this.projections, ...this.busProjections].map((part) => part.caughtUp()));
  }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.all(this.workers.map((worker) => worker.stop()));
    await this.forwarder.stop();
    await Promise.all([...this.projections, ...this.busProjections].map((part) => part.stop()));
    await this.checkpoints.flush();
  }
}
