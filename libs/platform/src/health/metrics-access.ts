import { createHash, timingSafeEqual } from 'crypto';
import { BearerTokenVerifier } from '../auth/bearer-token';
import { ProblemException } from '../errors/problem-exception';

/**
 * Who may read /metrics on the public API port: a scraper with the METRICS_TOKEN bearer (when the
 * deployment sets one), or distributor staff with their own token. Metrics name routes, volumes
 * and process internals of every reseller, so they are not public.
 */
export class MetricsAccess {
  private readonly scrapeDigest?: Buffer;

  constructor(
    private readonly verifier: BearerTokenVerifier,
    metricsToken: string | undefined = process.env.METRICS_TOKEN,
  ) {
    if (metricsToken?.trim()) this.scrapeDigest = digest(metricsToken.trim());
  }

  /** Throws 401 without a valid token, 403 for a user who is not distributor staff. */
  check(header: unknown): void {
    const token = BearerTokenVerifier.tokenOf(header);
    // Digests of equal length, so the comparison takes the same time whatever the guess.
    if (this.scrapeDigest && timingSafeEqual(digest(token), this.scrapeDigest)) return;
    const user = this.verifier.authenticate(header);
    if (!user.roles.includes('distributor-admin')) {
      throw new ProblemException(403, 'FORBIDDEN', 'Metrics are for distributor staff or the METRICS_TOKEN scraper');
    }
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest();
