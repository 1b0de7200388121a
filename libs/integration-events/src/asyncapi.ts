import { z } from 'zod';
import { dataSchemaOf, EVENT_CONTRACTS, EventContract } from './catalog';
import { envelopeOf } from './envelope';
import { JsonSchema, toJsonSchema } from './json-schema';
import { Topic, TOPICS } from './topics';

const DESCRIPTIONS: Record<Topic, { id: string; producer: string; text: string }> = {
  [TOPICS.order]: { id: 'orderEvents', producer: 'order', text: 'Customers (販売先) and orders: accepted (受付), placed with the vendor (発注), cancelled.' },
  [TOPICS.provisioning]: { id: 'provisioningEvents', producer: 'provisioning', text: 'Tenants and their MCA, and each placed line’s vendor subscription.' },
  [TOPICS.contract]: { id: 'contractEvents', producer: 'contract', text: 'Contracts (契約) and contract changes (契約変更: 解約, 追加, 数量変更).' },
  [TOPICS.billing]: { id: 'billingEvents', producer: 'billing', text: 'Invoices (請求書) and credit notes, for downstream accounting.' },
};

/** Component key of one version of a message: `OrderPlaced.v2`. */
const messageId = (contract: EventContract, version: number) => `${contract.type}.v${version}`;

/**
 * The AsyncAPI 3.0 document of the integration topics (all four, or the given ones: a standalone
 * service serves its own). Every version of every event is a message, because the topics keep
 * their messages for ever and a new subscriber reads the old ones too.
 */
export function asyncApiDocument(topics: readonly string[] = Object.values(TOPICS)): JsonSchema {
  const served = Object.values(TOPICS).filter((topic) => topics.includes(topic));
  const contracts = EVENT_CONTRACTS.filter((contract) => served.includes(contract.topic));
  const versions = contracts.flatMap((contract) => contract.versions.map((_, index) => ({ contract, version: index + 1 })));
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Licence platform integration events',
      version: '1.0.0',
      description: [
        'The events the order, provisioning, contract and billing services publish for each other and for downstream systems.',
        'Every message value is the JSON envelope of events.md; its `data` follows the schema of its type and schemaVersion',
        '(schemas/events/<topic>/<type>.v<version>.json). Delivery is at least once and in order per key: dedupe by eventId.',
        'The topics keep their messages for ever. Subscribing: docs/subscribing.md.',
      ].join(' '),
    },
    defaultContentType: 'application/json',
    servers: {
      kafka: { host: 'localhost:9092', protocol: 'kafka', description: 'The brokers of your environment (KAFKA_BROKERS of the services).' },
    },
    channels: Object.fromEntries(
      served.map((topic) => [
        DESCRIPTIONS[topic].id,
        {
          address: topic,
          title: topic,
          description: `${DESCRIPTIONS[topic].text} Published by the ${DESCRIPTIONS[topic].producer} service; key = aggregate id.`,
          messages: Object.fromEntries(
            versions.filter(({ contract }) => contract.topic === topic).map(({ contract, version }) => [messageId(contract, version), { $ref: `#/components/messages/${messageId(contract, version)}` }]),
          ),
        },
      ]),
    ),
    operations: Object.fromEntries(
      served.map((topic) => {
        const channel = DESCRIPTIONS[topic].id;
        const ids = versions.filter(({ contract }) => contract.topic === topic).map(({ contract, version }) => messageId(contract, version));
        return [
          `receive${channel[0].toUpperCase()}${channel.slice(1)}`,
          {
            action: 'receive',
            channel: { $ref: `#/channels/${channel}` },
            summary: `What a subscriber of ${topic} receives.`,
            messages: ids.map((id) => ({ $ref: `#/channels/${channel}/messages/${id}` })),
          },
        ];
      }),
    ),
    components: { messages: Object.fromEntries(versions.map(({ contract, version }) => [messageId(contract, version), message(contract, version)])) },
  };
}

function message(contract: EventContract, version: number): JsonSchema {
  const latest = version === contract.versions.length;
  return {
    name: contract.type,
    title: `${contract.type} v${version}`,
    summary: contract.summary,
    ...(latest ? {} : { description: `An older version, still on the topic: readers upcast it to v${contract.versions.length} (docs/subscribing.md).` }),
    contentType: 'application/json',
    headers: draft07(headersOf(contract, version)),
    payload: draft07(envelopeOf(contract.type, version, dataSchemaOf(contract, version))),
    bindings: {
      kafka: {
        key: { type: 'string', description: `The aggregate id: \`data.${contract.key}\` (the part of \`streamId\` after the first \`-\`). One key's messages stay in order.` },
        bindingVersion: '0.5.0',
      },
    },
  };
}

/** Kafka headers are strings: the five every message carries, and the marks of ops' re-sends. */
function headersOf(contract: EventContract, version: number) {
  return z.object({
    eventType: z.literal(contract.type).describe('= envelope.type'),
    schemaVersion: z.literal(String(version)).describe('= envelope.schemaVersion, as text'),
    eventId: z.string().describe('= envelope.eventId: dedupe by it'),
    correlationId: z.string().describe('= envelope.correlationId'),
    causationId: z.string().describe('= envelope.causationId'),
    replay: z.literal('true').optional().describe('A stored event republished by ops (same eventId): a consumer that dedupes skips it.'),
    'redrive.groupId': z.string().optional().describe('A parked message re-sent for that one consumer group (same eventId): every other group skips it.'),
    'redrive.deadLetterId': z.string().optional().describe('Which parked message a re-drive re-sends.'),
  });
}

/** AsyncAPI's default schema format is a superset of JSON Schema draft-07; `x-pii` marks stay (extensions are allowed). */
function draft07(schema: z.ZodType): JsonSchema {
  const { $schema: _draft, ...rest } = toJsonSchema(schema, 'draft-07');
  return rest;
}
