import { distributorToken } from './token';

/** The largest lag each subscription showed while the sampler ran, by `service/subscription (kind)`. */
export type LagMaxima = Record<string, number>;

/**
 * Reads the server's /metrics every `everyMs` while a load runs and keeps, per subscription, the
 * largest `subscription_lag` (events of its store not yet handled): how far the forwarders,
 * projections and reactors fall behind under that load. One scrape costs the server well under a
 * millisecond, so it does not move the CPU figures.
 */
export function sampleSubscriptionLag(baseUrl: string, everyMs = 500): { stop(): Promise<LagMaxima> } {
  const maxima: LagMaxima = {};
  const authorization = `Bearer ${distributorToken()}`;
  let stopped = false;
  const scrape = async () => {
    const response = await fetch(`${baseUrl}/metrics`, { headers: { authorization } });
    if (!response.ok) return;
    for (const line of (await response.text()).split('\n')) {
      const match = /^subscription_lag\{([^}]*)\} (\d+(?:\.\d+)?)$/.exec(line);
      if (!match) continue;
      const labels = Object.fromEntries([...match[1].matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      const key = `${labels.service}/${labels.subscription} (${labels.kind})`;
      maxima[key] = Math.max(maxima[key] ?? 0, Number(match[2]));
    }
  };
  const loop = (async () => {
    while (!stopped) {
      await scrape().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return maxima;
    },
  };
}
