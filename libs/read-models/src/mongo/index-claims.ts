import { mongo } from 'mongoose';

export const INDEX_CLAIMS = 'read_store_index_claims';

/** One replica's claim on one of the store's own indexes: it declared the index at `at` (ms since the epoch). */
type Claim = { _id: string; replica: string; collection: string; name: string; at: number };

export interface IndexClaimsOptions {
  /** A claim not renewed for this long is a replica gone (default 5 minutes: five missed renewals). */
  staleAfterMs?: number;
  now?: () => number;
}

/**
 * Which running replicas declare which of the store's own indexes. During a rolling update the
 * replicas of two releases run side by side, each declaring its own index set: an index the other
 * release still declares is kept while its claim is renewed, and dropped once the last replica
 * declaring it is gone, instead of the last replica to start dropping the other release's indexes.
 */
export class IndexClaims {
  private readonly staleAfterMs: number;
  private readonly now: () => number;

  constructor(
    private readonly claims: mongo.Collection<Claim>,
    /** This replica (one store instance). */
    private readonly replica: string,
    options: IndexClaimsOptions = {},
  ) {
    this.staleAfterMs = options.staleAfterMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Claims `names` of `collection` for this replica, now, and lets go of the ones of it this replica no longer declares. */
  async claim(collection: string, names: string[]): Promise<void> {
    const at = this.now();
    for (const name of names) {
      await this.claims.updateOne({ _id: `${this.replica}|${name}` }, { $set: { replica: this.replica, collection, name, at } }, { upsert: true });
    }
    await this.claims.deleteMany({ replica: this.replica, collection, name: { $nin: names } });
  }

  /** Of `names`, those another replica has claimed lately. */
  async claimedByOthers(names: string[]): Promise<Set<string>> {
    if (names.length === 0) return new Set();
    const fresh = await this.claims
      .find({ name: { $in: names }, replica: { $ne: this.replica }, at: { $gte: this.now() - this.staleAfterMs } })
      .toArray();
    return new Set(fresh.map((claim) => claim.name));
  }

  /** The claims of indexes that were dropped, and the claims nobody renewed for ten times the stale age (their collections are gone). */
  async forget(names: string[]): Promise<void> {
    await this.claims.deleteMany({ $or: [{ name: { $in: names } }, { at: { $lt: this.now() - 10 * this.staleAfterMs } }] });
  }

  /** This replica's claims on `collection`, which was dropped. */
  async release(collection: string): Promise<void> {
    await this.claims.deleteMany({ replica: this.replica, collection });
  }
}
