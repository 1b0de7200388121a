import { z } from 'zod';

/** Kinds of personal data a published field may hold; the audit export masks fields by kind. */
export type PiiKind = 'name' | 'email' | 'phone' | 'address';

/**
 * Marks a field as personal data. The mark is zod metadata (`pii`), which the published JSON
 * Schema carries as the `x-pii` keyword (see json-schema.ts), so tools that only see the schema —
 * an audit export, a subscriber's log scrubber — know what to mask.
 */
export function pii<S extends z.ZodType>(kind: PiiKind, schema: S): S {
  return schema.meta({ pii: kind });
}
