import { v5 as uuidV5 } from 'uuid';

/** Fixed namespace of subscription ids (a UUID v5 namespace; never change it, ids derive from it). */
export const SUBSCRIPTION_ID_NAMESPACE = '6f0d4b52-3a7e-4c1b-9d55-2b8f0e6a9c41';

/**
 * The subscription id of an order line: derived, so a redelivered OrderPlaced lands on the same
 * stream (and is refused or ignored there) instead of creating a second subscription. A version-5
 * UUID (SHA-1 of namespace + name): the same name always gives the same id.
 */
export const subscriptionIdForLine = (orderLineId: string) => uuidV5(`order-line:${orderLineId}`, SUBSCRIPTION_ID_NAMESPACE);

export const subscriptionStreamId = (subscriptionId: string) => `subscription-${subscriptionId}`;
