/** One topic per producing service (events.md); message key = aggregate id. */
export const TOPICS = {
  order: 'order.events',
  provisioning: 'provisioning.events',
  contract: 'contract.events',
  billing: 'billing.events',
} as const;
export type Topic = (typeof TOPICS)[keyof typeof TOPICS];
