import { JsonSchema } from './json-schema';

/**
 * What a subscriber relied on that a new schema of the SAME schemaVersion takes away: a removed
 * property, a property that became required (old messages lack it), a changed type, a narrowed
 * enum or const. Anything of the kind needs a new schemaVersion (and an upcaster); adding an
 * optional property, widening an enum or documenting more is fine. Pure: two schemas in, the
 * breaking changes out (empty = compatible), each naming where it is.
 */
export function breakingChanges(published: JsonSchema, candidate: JsonSchema): string[] {
  return compare(published, candidate, '$');
}

function compare(before: JsonSchema, after: JsonSchema, at: string): string[] {
  const problems: string[] = [];
  const typesBefore = typesOf(before);
  const typesAfter = typesOf(after);
  if (typesBefore && (!typesAfter || typesBefore.some((type) => !typesAfter.includes(type) && !(type === 'integer' && typesAfter.includes('number'))))) {
    problems.push(`${at}: type changed from ${typesBefore.join(' | ')} to ${typesAfter?.join(' | ') ?? 'anything else'}`);
  }
  const valuesBefore = allowedValues(before);
  const valuesAfter = allowedValues(after);
  if (valuesAfter) {
    const dropped = valuesBefore ? valuesBefore.filter((value) => !valuesAfter.some((kept) => same(kept, value))) : valuesAfter;
    if (!valuesBefore) problems.push(`${at}: narrowed to ${JSON.stringify(valuesAfter)} (any value was allowed)`);
    else if (dropped.length) problems.push(`${at}: enum narrowed, ${JSON.stringify(dropped)} no longer allowed`);
  }
  for (const keyword of ['anyOf', 'oneOf', 'allOf'] as const) {
    if ((before[keyword] !== undefined || after[keyword] !== undefined) && !same(before[keyword], after[keyword])) {
      problems.push(`${at}: ${keyword} changed`);
    }
  }

  const propertiesBefore = (before.properties ?? {}) as Record<string, JsonSchema>;
  const propertiesAfter = (after.properties ?? {}) as Record<string, JsonSchema>;
  for (const [name, property] of Object.entries(propertiesBefore)) {
    if (!(name in propertiesAfter)) problems.push(`${at}.${name}: property removed`);
    else problems.push(...compare(property, propertiesAfter[name], `${at}.${name}`));
  }
  const requiredBefore = new Set((before.required ?? []) as string[]);
  for (const name of (after.required ?? []) as string[]) {
    if (!requiredBefore.has(name)) problems.push(`${at}.${name}: ${name in propertiesBefore ? 'became required' : 'new required property'}`);
  }

  if (isSchema(before.items) && isSchema(after.items)) problems.push(...compare(before.items, after.items, `${at}[]`));
  else if (isSchema(before.items) !== isSchema(after.items)) problems.push(`${at}[]: items changed`);
  return problems;
}

function typesOf(schema: JsonSchema): string[] | undefined {
  const type = schema.type;
  if (type === undefined) return undefined;
  return Array.isArray(type) ? (type as string[]) : [type as string];
}

/** The values an `enum` or `const` allows, or undefined when the schema does not list them. */
function allowedValues(schema: JsonSchema): unknown[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum;
  if ('const' in schema) return [schema.const];
  return undefined;
}

const isSchema = (value: unknown): value is JsonSchema => typeof value === 'object' && value !== null && !Array.isArray(value);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
