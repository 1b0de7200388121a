import { z } from 'zod';
import { dataSchemaOf, EventContract } from './catalog';
import { PublishedEnvelope } from './envelope';

export type JsonSchema = Record<string, unknown>;

const SCHEMA_BASE_URI = 'https://licence-platform.example/';

/** Where the committed schema of one version of an event lives, relative to the repository root. */
export const schemaPath = (contract: Pick<EventContract, 'topic' | 'type'>, version: number) =>
  `schemas/events/${contract.topic}/${contract.type}.v${version}.json`;

export const ENVELOPE_SCHEMA_PATH = 'schemas/events/envelope.json';

/** zod's `pii` metadata becomes the `x-pii` keyword: tools that only see the schema know what to mask. */
export function markPii({ jsonSchema }: { jsonSchema: unknown }): void {
  const marked = jsonSchema as JsonSchema;
  if (marked.pii === undefined) return;
  marked['x-pii'] = marked.pii;
  delete marked.pii;
}

/**
 * A declaration as JSON Schema. `io: 'input'` leaves objects open (no additionalProperties: false),
 * so a subscriber validating with a schema keeps accepting messages once an optional field is
 * added; the producers' own tests hold them to the declared fields exactly.
 */
export function toJsonSchema(schema: z.ZodType, target: 'draft-2020-12' | 'draft-07' = 'draft-2020-12'): JsonSchema {
  return z.toJSONSchema(schema, { target, io: 'input', override: markPii }) as JsonSchema;
}

/** The committed schema (2020-12) of one version of an event's `data`: `$id` names it, title and description say what it is. */
export function eventSchemaDocument(contract: EventContract, version: number): JsonSchema {
  const { $schema, ...schema } = toJsonSchema(dataSchemaOf(contract, version));
  return {
    $schema,
    $id: `${SCHEMA_BASE_URI}${schemaPath(contract, version)}`,
    title: `${contract.type} v${version} (data)`,
    description: `${contract.summary} The \`data\` of the envelope on ${contract.topic} with type ${contract.type} and schemaVersion ${version}.`,
    'x-topic': contract.topic,
    'x-event-type': contract.type,
    'x-schema-version': version,
    ...schema,
  };
}

/** The committed schema of the envelope every published message is (its `data` per event). */
export function envelopeSchemaDocument(): JsonSchema {
  const { $schema, ...schema } = toJsonSchema(PublishedEnvelope);
  return { $schema, $id: `${SCHEMA_BASE_URI}${ENVELOPE_SCHEMA_PATH}`, title: 'Envelope of every published event (events.md)', ...schema };
}
