import { randomUUID } from 'crypto';
import { Admin, Consumer, Kafka, logLevel } from 'kafkajs';

export interface RecordedMessage {
  key: string;
  headers: Record<string, string>;
  /** The record's timestamp (ms since the epoch): when the producer sent it. */
  timestamp: number;
  /** Where the record sits in the topic: what a consumer group's committed offsets are compared with. */
  partition: number;
  offset: number;
  envelope: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A downstream system's view of a topic: a consumer of its own that keeps every message it sees. */
export class TopicRecorder {
  readonly messages: RecordedMessage[] = [];
  private consumer?: Consumer;

  constructor(
    private readonly brokers: string[],
    private readonly topic: string,
  ) {}

  async start(): Promise<void> {
    const kafka = new Kafka({ brokers: this.brokers, clientId: 'e2e-recorder', logLevel: logLevel.ERROR });
    this.consumer = kafka.consumer({ groupId: `e2e-recorder-${randomUUID()}` });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ partition, message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]));
        this.messages.push({ key: message.key?.toString() ?? '', headers, timestamp: Number(message.timestamp), partition, offset: Number(message.offset), envelope: JSON.parse(message.value!.toString()) });
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }

  eventIds(): Set<string> {
    return new Set(this.messages.map((message) => message.envelope.eventId));
  }

  /** Resolves once `predicate` holds, looking every `pollMs` (a test that acts on arrival wants a short one). */
  async waitFor(predicate: (messages: RecordedMessage[]) => boolean, timeoutMs = 20_000, pollMs = 100): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.messages)) {
      if (Date.now() > deadline) throw new Error(`${this.topic}: expected messages did not arrive in ${timeoutMs} ms (have ${this.messages.length})`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
}

/**
 * Resolves once consumer group `groupId` (a service's durable consumer, e.g. `billing.billing-known-customers`)
 * has committed past `message` on `topic`: the service has handled it. Its committed offset is the next one to
 * read, and the services commit only after the handler succeeded.
 */
export async function consumedBy(brokers: string[], groupId: string, topic: string, message: RecordedMessage, timeoutMs = 30_000): Promise<void> {
  const admin: Admin = new Kafka({ brokers, clientId: 'e2e-groups', logLevel: logLevel.ERROR }).admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const committed = Number(offsets?.partitions.find((entry) => entry.partition === message.partition)?.offset ?? -1);
      if (committed > message.offset) return;
      if (Date.now() > deadline) throw new Error(`${groupId} has not consumed ${topic}[${message.partition}]@${message.offset} in ${timeoutMs} ms (committed ${committed})`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await admin.disconnect();
  }
}
