import { existsSync, readdirSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import { INTERNAL_EVENT_PII } from './internal-event-pii';

/**
 * Where an event holds personal data: JSON pointers into the envelope (`/data/contact/email`), `*`
 * standing for every item of an array (or value of an object). `undefined`: the event's schema is
 * not known, so nothing about its data can be trusted as impersonal.
 */
export type PiiPaths = (type: string, schemaVersion: number) => string[] | undefined;

const MASK = '***';
/** The envelope names the person who caused the event (events.md): masked whatever the schema says. */
const ENVELOPE_PII = ['/actor/name'];

/**
 * A copy of the event with its personal data masked. An event whose schema is unknown gets every
 * string of its `data` masked (fails closed: an export must never leak what nobody declared).
 */
export function maskEvent<E extends object>(event: E & { type: string; schemaVersion: number }, piiPaths: PiiPaths): E {
  const copy = structuredClone(event) as Record<string, unknown>;
  const paths = piiPaths(event.type, event.schemaVersion);
  if (paths === undefined) copy.data = maskAllStrings(copy.data);
  for (const path of [...ENVELOPE_PII, ...(paths ?? [])]) maskAt(copy, path.split('/').slice(1).map(unescapePointer));
  return copy as E;
}

function maskAt(node: unknown, tokens: string[]): void {
  if (tokens.length === 0 || node === null || typeof node !== 'object') return;
  const [head, ...rest] = tokens;
  const container = node as Record<string, unknown>;
  const keys = head === '*' ? Object.keys(container) : Object.prototype.hasOwnProperty.call(container, head) ? [head] : [];
  for (const key of keys) {
    if (rest.length === 0) {
      if (container[key] !== null && container[key] !== undefined) container[key] = MASK;
    } else {
      maskAt(container[key], rest);
    }
  }
}

function maskAllStrings(value: unknown): unknown {
  if (typeof value === 'string') return MASK;
  if (Array.isArray(value)) return value.map(maskAllStrings);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, maskAllStrings(inner)]));
  return value;
}

const unescapePointer = (token: string) => token.replace(/~1/g, '/').replace(/~0/g, '~');
const escapePointer = (token: string) => token.replace(/~/g, '~0').replace(/\//g, '~1');

type JsonSchema = { [keyword: string]: unknown };

/** The pointers (relative to the schema's instance) of every subschema marked `x-pii`. */
export function piiPointersOf(schema: JsonSchema): string[] {
  const found = new Set<string>();
  const walk = (node: unknown, pointer: string, depth: number) => {
    if (!node || typeof node !== 'object' || depth > 32) return;
    const subschema = node as JsonSchema;
    if (subschema['x-pii'] !== undefined) found.add(pointer);
    if (typeof subschema.$ref === 'string' && subschema.$ref.startsWith('#/')) {
      walk(resolveLocal(schema, subschema.$ref), pointer, depth + 1);
    }
    const properties = subschema.properties as Record<string, unknown> | undefined;
    for (const [key, inner] of Object.entries(properties ?? {})) walk(inner, `${pointer}/${escapePointer(key)}`, depth + 1);
    if (subschema.items) walk(subschema.items, `${pointer}/*`, depth + 1);
    if (subschema.additionalProperties && typeof subschema.additionalProperties === 'object') {
      walk(subschema.additionalProperties, `${pointer}/*`, depth + 1);
    }
    for (const keyword of ['anyOf', 'oneOf', 'allOf']) {
      for (const branch of (subschema[keyword] as unknown[] | undefined) ?? []) walk(branch, pointer, depth + 1);
    }
  };
  walk(schema, '', 0);
  return [...found];
}

function resolveLocal(root: JsonSchema, ref: string): unknown {
  return ref
    .slice(2)
    .split('/')
    .map(unescapePointer)
    .reduce<unknown>((node, token) => (node && typeof node === 'object' ? (node as JsonSchema)[token] : undefined), root);
}

/** The published data schemas' directory (`schemas/events`), looked for upwards from here (source or dist). */
export function findEventSchemasDir(from = __dirname): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'schemas', 'events');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * PiiPaths from the published JSON Schemas (`schemas/events/<topic>/<Type>.v<n>.json`, each naming
 * its `x-event-type` and `x-schema-version`), read once. A version without a schema of its own is
 * masked with every path any version of its type declares.
 */
export function schemaPiiPaths(dir = findEventSchemasDir()): PiiPaths {
  const byVersion = new Map<string, string[]>();
  const byType = new Map<string, Set<string>>();
  for (const topic of dir && existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : []) {
    if (!topic.isDirectory()) continue;
    for (const file of readdirSync(join(dir!, topic.name)).filter((name) => name.endsWith('.json'))) {
      const schema = JSON.parse(readFileSync(join(dir!, topic.name, file), 'utf8')) as JsonSchema;
      const type = schema['x-event-type'];
      const version = schema['x-schema-version'];
      if (typeof type !== 'string' || typeof version !== 'number') continue;
      const paths = piiPointersOf(schema).map((pointer) => `/data${pointer}`);
      byVersion.set(`${type}@${version}`, paths);
      const all = byType.get(type) ?? new Set<string>();
      paths.forEach((path) => all.add(path));
      byType.set(type, all);
    }
  }
  return (type, version) => {
    const exact = byVersion.get(`${type}@${version}`);
    if (exact) return exact;
    const any = byType.get(type);
    return any ? [...any] : undefined;
  };
}

/**
 * PiiPaths for every event of a store: a published type by its schema (declared per field), an
 * internal one by INTERNAL_EVENT_PII; a type neither knows stays `undefined` (masked whole).
 */
export function storePiiPaths(published: PiiPaths = schemaPiiPaths()): PiiPaths {
  const internal: Record<string, readonly string[]> = INTERNAL_EVENT_PII;
  return (type, version) => published(type, version) ?? (Object.prototype.hasOwnProperty.call(internal, type) ? [...internal[type]] : undefined);
}
