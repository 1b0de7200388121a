import { z } from 'zod';

/**
 * An integration event as its producer's decider emits it: `{ type, data }`, with `data` declared
 * once in zod. The TypeScript type (z.infer) and the published JSON Schema both come from that
 * declaration, so the two cannot disagree.
 */
export function integrationEvent<Type extends string, Data extends z.ZodType>(type: Type, data: Data) {
  return z.object({ type: z.literal(type), data });
}
