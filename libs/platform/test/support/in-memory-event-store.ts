import {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadStreamOptions,
  RecordedEvent,
  StoreSubscription,
  WrongExpectedVersionError,
} from '@lp/eventsourcing';

/** Just enough EventStore for the platform tests: optimistic appends and stream reads. */
export class InMemoryEventStore implements EventStore {
  private readonly streams = new Map<string, RecordedEvent[]>();
  private position = 0;

  async appendToStream(
    streamId: string,
    events: EventToAppend[],
    options: { expectedRevision?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    const stream = this.streams.get(streamId) ?? [];
    const actual = stream.length ? stream.length - 1 : 'no_stream';
    const expected = options.expectedRevision ?? 'any';
    const holds =
      expected === 'any' ||
      (expected === 'no_stream' && actual === 'no_stream') ||
      (expected === 'stream_exists' && actual !== 'no_stream') ||
      expected === actual;
    if (!holds) throw new WrongExpectedVersionError(streamId, expected, actual);
    for (const event of events) {
      stream.push({ ...structuredClone(event), streamId, streamRevision: stream.length, position: ++this.position });
    }
    this.streams.set(streamId, stream);
    return { nextExpectedRevision: stream.length - 1, position: this.position };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    let events = [...(this.streams.get(streamId) ?? [])].map((event) => structuredClone(event));
    if (options.direction === 'backwards') events.reverse();
    if (options.maxCount !== undefined) events = events.slice(0, options.maxCount);
    return events;
  }

  async readAll(): Promise<RecordedEvent[]> {
    return [...this.streams.values()].flat().sort((a, b) => a.position - b.position);
  }

  async readCausedBy(causationId: string): Promise<RecordedEvent[]> {
    return (await this.readAll()).filter((event) => event.causationId === causationId).map((event) => structuredClone(event));
  }

  subscribeToAll(): StoreSubscription {
    throw new Error('not needed by the platform tests');
  }

  async headPosition(): Promise<number> {
    return Math.max(0, ...(await this.readAll()).map((event) => event.position));
  }

  async close(): Promise<void> {}

  streamIds(): string[] {
    return [...this.streams.keys()];
  }
}
