import { readFileSync } from 'fs';
import { join } from 'path';
import { Parser } from '@asyncapi/parser';
import { asyncApiDocument, EVENT_CONTRACTS, TOPICS, toYaml } from '@lp/integration-events';

const ROOT = join(__dirname, '../../..');
/** Spectral's severities: 0 = error, 1 = warning. */
const ERROR = 0;

async function parse(source: string) {
  const { document, diagnostics } = await new Parser().parse(source);
  return { document, errors: diagnostics.filter((diagnostic) => diagnostic.severity === ERROR).map((d) => `${d.path.join('.')}: ${d.message}`) };
}

describe('asyncapi.yaml (AsyncAPI 3.0)', () => {
  it('is valid for @asyncapi/parser: zero errors', async () => {
    const { document, errors } = await parse(readFileSync(join(ROOT, 'asyncapi.yaml'), 'utf8'));
    expect(errors).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
  });

  it('(the check can fail: a channel whose address is not a string is an error)', async () => {
    const { errors } = await parse('asyncapi: 3.0.0\ninfo: {title: t, version: "1"}\nchannels:\n  c:\n    address: 42\n');
    expect(errors).not.toEqual([]);
  });

  it('has one channel per topic, addressed by the topic name, with every version of every event as a message named after its type', async () => {
    const { document } = await parse(readFileSync(join(ROOT, 'asyncapi.yaml'), 'utf8'));
    const channels = document!.channels().all();
    expect(channels.map((channel) => channel.address()).sort()).toEqual(Object.values(TOPICS).sort());
    for (const channel of channels) {
      const expected = EVENT_CONTRACTS.filter((contract) => contract.topic === channel.address()).flatMap((contract) =>
        contract.versions.map((_, index) => `${contract.type} v${index + 1}`),
      );
      expect(channel.messages().all().map((message) => `${message.name()} v${(message.payload()?.properties()?.schemaVersion?.const() as number) ?? '?'}`)).toEqual(expected);
    }
  });

  it('describes each message: envelope payload with the event as data, the five headers, the key as a Kafka binding', async () => {
    const { document } = await parse(readFileSync(join(ROOT, 'asyncapi.yaml'), 'utf8'));
    const placed = document!.components().messages().get('OrderPlaced.v2')!;
    const payload = placed.payload()!;
    expect(payload.required()).toEqual(['eventId', 'type', 'schemaVersion', 'streamId', 'streamRevision', 'occurredAt', 'correlationId', 'causationId', 'actor', 'data']);
    expect(Object.keys(payload.properties()!.actor.properties()!)).toEqual(['id', 'resellerId']);
    expect(payload.properties()!.data.properties()!.lines.items()).toBeDefined();
    expect(placed.headers()!.required()).toEqual(['eventType', 'schemaVersion', 'eventId', 'correlationId', 'causationId']);
    expect(placed.headers()!.properties()!.schemaVersion.const()).toBe('2');
    expect(placed.bindings().get('kafka')?.value().key).toMatchObject({ type: 'string' });
    const customer = document!.components().messages().get('CustomerRegistered.v1')!.payload()!.properties()!.data;
    expect(customer.properties()!.contact.properties()!.email.extensions().get('x-pii')?.value()).toBe('email');
  });

  it('of one service names only its own topic (what GET /asyncapi.json serves a standalone service)', async () => {
    const { document, errors } = await parse(toYaml(asyncApiDocument([TOPICS.billing])));
    expect(errors).toEqual([]);
    expect(document!.channels().all().map((channel) => channel.address())).toEqual([TOPICS.billing]);
    expect(document!.messages().all().map((message) => message.name())).toEqual(['InvoiceIssued', 'CreditNoteIssued', 'LineChargingScheduled']);
  });
});
