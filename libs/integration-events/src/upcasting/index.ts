import { orderPlacedV1ToV2 } from './order-placed.v2';
import { UpcasterRegistry } from './upcaster-registry';

export * from './upcaster-registry';
export { termOfLegacyLine } from './order-placed.v2';

/**
 * Every upcaster of the platform's events. The event stores apply it to everything they hand out
 * (stream reads, $all reads, subscriptions), the buses to everything they deliver, and writers
 * stamp `currentVersion(type)` on what they append.
 */
export const eventUpcasters = new UpcasterRegistry().register('OrderPlaced', 1, orderPlacedV1ToV2);
