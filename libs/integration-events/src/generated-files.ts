import { asyncApiDocument } from './asyncapi';
import { EVENT_CONTRACTS } from './catalog';
import { ENVELOPE_SCHEMA_PATH, envelopeSchemaDocument, eventSchemaDocument, schemaPath } from './json-schema';
import { toYaml } from './yaml';

export const ASYNCAPI_PATH = 'asyncapi.yaml';

/** JSON as committed: two-space indent and a final newline, so files diff line by line. */
export const toJsonFile = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Every file the event declarations give, path (from the repository root) → content: one JSON
 * Schema per version of each event, the envelope's, and asyncapi.yaml. `npm run -s schemas`
 * writes them; a test fails when the committed ones differ.
 */
export function generatedContractFiles(): Map<string, string> {
  const files = new Map<string, string>();
  files.set(ENVELOPE_SCHEMA_PATH, toJsonFile(envelopeSchemaDocument()));
  for (const contract of EVENT_CONTRACTS) {
    contract.versions.forEach((_, index) => files.set(schemaPath(contract, index + 1), toJsonFile(eventSchemaDocument(contract, index + 1))));
  }
  files.set(ASYNCAPI_PATH, toYaml(asyncApiDocument()));
  return files;
}
