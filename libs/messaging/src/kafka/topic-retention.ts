import { Admin, ConfigResourceTypes } from 'kafkajs';

/**
 * Integration topics are the integration log (events.md): a service that keeps its knowledge of
 * other services in memory rebuilds it by reading their topics from the beginning at every start,
 * and a new downstream subscriber starts there too. So they keep every message for ever, whatever
 * the broker's default retention (24 h in deploy/local, 7 days in a stock broker). Their size
 * grows with the business, not with traffic: a few hundred bytes per business event.
 * Dead-letter topics are kept too: a parked message waits there until someone re-drives it.
 */
export const KEEP_FOREVER: Record<string, string> = { 'retention.ms': '-1', 'retention.bytes': '-1' };

export function retentionConfigEntries(): { name: string; value: string }[] {
  return Object.entries(KEEP_FOREVER).map(([name, value]) => ({ name, value }));
}

/**
 * Topics created before retention was set (or by hand) may still expire their messages: raise
 * them to KEEP_FOREVER. Returns the topics it changed, so the caller can say so.
 */
export async function keepTopicsForever(admin: Admin, topics: string[]): Promise<string[]> {
  if (topics.length === 0) return [];
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: Object.keys(KEEP_FOREVER) })),
  });
  const expiring = resources
    .filter((resource) => Object.entries(KEEP_FOREVER).some(([name, value]) => resource.configEntries.find((entry) => entry.configName === name)?.configValue !== value))
    .map((resource) => resource.resourceName);
  if (expiring.length === 0) return [];
  // A topic's AlterConfigs replaces its whole set of overrides; these topics carry no others.
  await admin.alterConfigs({
    validateOnly: false,
    resources: expiring.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configEntries: retentionConfigEntries() })),
  });
  return expiring;
}
