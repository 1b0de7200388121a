import { readFileSync } from 'fs';
import { join } from 'path';
import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import { ENVELOPE_SCHEMA_PATH, findContract, JsonSchema, schemaPath } from '@lp/integration-events';

const ROOT = join(__dirname, '../../../..');

/** Our extension keywords: documentation for ajv, not assertions. */
const EXTENSIONS = ['x-pii', 'x-topic', 'x-event-type', 'x-schema-version'];

/**
 * The published schemas are open (a subscriber must accept added optional fields); the producers
 * are held to the declared fields exactly: every object with declared properties gets
 * `unevaluatedProperties: false`, so an undeclared field (a leak, a typo) fails.
 */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, key === 'enum' || key === 'const' ? value : closed(value)])) as JsonSchema;
  if (copy.type === 'object' && copy.properties) copy.unevaluatedProperties = false;
  return copy;
}

/**
 * Validates envelopes against the COMMITTED schema files (schemas/events), the ones subscribers
 * get, not against what the declarations would generate now: a producer that drifted from the
 * published contract fails here even if someone regenerated nothing.
 */
export class CommittedSchemas {
  private readonly ajv = new Ajv2020({ strict: true, allErrors: true, validateFormats: false });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor() {
    this.ajv.addVocabulary(EXTENSIONS);
  }

  /** Problems of one envelope read from `topic` (empty = valid): unknown types, a bad envelope, bad data. */
  problemsOf(topic: string, envelope: { type: string; schemaVersion: number; data: unknown; eventId?: string }): string[] {
    const where = `${topic} ${envelope.type} v${envelope.schemaVersion} (${envelope.eventId ?? 'no eventId'})`;
    const contract = findContract(topic, envelope.type);
    if (!contract) return [`${where}: no published contract for this event type on this topic`];
    if (envelope.schemaVersion > contract.versions.length || envelope.schemaVersion < 1) return [`${where}: no such schemaVersion`];
    return [
      ...this.errors(ENVELOPE_SCHEMA_PATH, envelope).map((error) => `${where} envelope: ${error}`),
      ...this.errors(schemaPath(contract, envelope.schemaVersion), envelope.data).map((error) => `${where} data: ${error}`),
    ];
  }

  /** Problems of `value` against one committed schema file. */
  errors(file: string, value: unknown): string[] {
    let validate = this.validators.get(file);
    if (!validate) {
      validate = this.ajv.compile(closed(JSON.parse(readFileSync(join(ROOT, file), 'utf8'))) as JsonSchema);
      this.validators.set(file, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}${error.params && 'unevaluatedProperty' in error.params ? ` (${error.params.unevaluatedProperty})` : ''}`);
  }
}
