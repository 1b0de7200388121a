import { AppendResult, EventStore, EventToAppend, ExpectedRevision, ReadAllOptions, ReadStreamOptions, RecordedEvent, StoreSubscription, SubscribeToAllOptions, EventHandler } from '@lp/eventsourcing';

/**
 * The real store, except that appends to `mailSent-` streams fail while `failRecords` says so:
 * the moment between "the SMTP server accepted the mail" and "the record is written".
 */
export class RecordFailingStore implements EventStore {
  recordAppendsRefused = 0;

  constructor(
    private readonly inner: EventStore,
    public failRecords: (attempt: number) => boolean,
  ) {}

  appendToStream(streamId: string, events: EventToAppend[], options?: { expectedRevision?: ExpectedRevision }): Promise<AppendResult> {
    if (streamId.startsWith('mailSent-') && this.failRecords(this.recordAppendsRefused + 1)) {
      this.recordAppendsRefused++;
      return Promise.reject(new Error('disk I/O error'));
    }
    return this.inner.appendToStream(streamId, events, options);
  }
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.inner.readStream(streamId, options);
  }
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.inner.readAll(options);
  }
  readCausedBy(causationId: string, options?: { notBefore?: Date }): Promise<RecordedEvent[]> {
    return this.inner.readCausedBy(causationId, options);
  }
  subscribeToAll(options: SubscribeToAllOptions, handler: EventHandler): StoreSubscription {
    return this.inner.subscribeToAll(options, handler);
  }
  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

export async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
