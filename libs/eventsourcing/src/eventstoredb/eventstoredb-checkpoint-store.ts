import { BACKWARDS, END, EventStoreDBClient, jsonEvent, StreamNotFoundError } from '@eventstore/db-client';
import { CheckpointStore } from '../event-store';

export const CHECKPOINT_EVENT_TYPE = 'CheckpointStored';

/**
 * Checkpoints as events beside the events they count: one stream per consumer
 * (`checkpoint-<consumer>`), whose last event holds the position. The stream's metadata keeps
 * only that last event (maxCount 1), so the server scavenges the older ones.
 *
 * A user stream, not a `$`-system one, because writing system streams needs admin rights on a
 * secured server. Subscriptions never see these events unless they filter on a `checkpoint-`
 * stream prefix or a `CheckpointStored` type prefix; the platform's filters never do.
 */
export class EventStoreDbCheckpointStore implements CheckpointStore {
  /** Streams whose maxCount metadata this process has already checked. */
  private readonly prepared = new Set<string>();

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly streamPrefix = 'checkpoint-',
  ) {}

  async load(consumerId: string): Promise<number | undefined> {
    const read = this.client.readStream(this.streamOf(consumerId), { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
    try {
      for await (const resolved of read) {
        const data = resolved.event?.data as { position?: unknown } | undefined;
        if (typeof data?.position === 'number') return data.position;
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw error;
    }
    return undefined;
  }

  async store(consumerId: string, position: number): Promise<void> {
    const streamId = this.streamOf(consumerId);
    await this.ensureMaxCount(streamId);
    await this.client.appendToStream(streamId, jsonEvent({ type: CHECKPOINT_EVENT_TYPE, data: { position } }));
  }

  /** Sets maxCount 1 once per stream and process, and only if not set yet (each set is an event in `$$<stream>`). */
  private async ensureMaxCount(streamId: string): Promise<void> {
    if (this.prepared.has(streamId)) return;
    const { metadata } = await this.client.getStreamMetadata(streamId);
    if (metadata?.maxCount !== 1) await this.client.setStreamMetadata(streamId, { ...metadata, maxCount: 1 });
    this.prepared.add(streamId);
  }

  private streamOf(consumerId: string): string {
    return `${this.streamPrefix}${consumerId}`;
  }
}
