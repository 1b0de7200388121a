import type { DeadLetters } from '../dead-letters/dead-letters';

/**
 * The keys a consumer group has a message parked for (Axon's sequenced dead-letter queue): while a
 * key has one, later messages of that key are parked behind it instead of handled, so they can
 * never overtake it; other keys flow. A key is free again once ops re-drove or discarded all of its
 * parked messages (and the re-driven ones were handled). Known keys are kept in memory (filled from
 * the dead letters when the group starts); only a message of such a key asks the dead letters again.
 */
export class ParkedKeys {
  private readonly blocked = new Set<string>();
  private loading?: Promise<void>;

  constructor(
    private readonly groupId: string,
    private readonly deadLetters: DeadLetters | undefined,
    /** Cheap test of whether anything at all is parked (skips the full read when not). */
    private readonly anythingParked: () => Promise<boolean> = async () => true,
  ) {}

  /** Whether a message of this key must be parked behind an earlier one. */
  async mustWait(key: string): Promise<boolean> {
    await this.load();
    if (!this.blocked.has(key)) return false;
    if (!this.deadLetters) return true;
    const { total } = await this.deadLetters.list({ groupId: this.groupId, key, status: 'parked', limit: 0 });
    if (total === 0) this.blocked.delete(key);
    return total > 0;
  }

  /** A message of the key was just parked. */
  add(key: string): void {
    this.blocked.add(key);
  }

  private load(): Promise<void> {
    this.loading ??= (async () => {
      if (!this.deadLetters || !(await this.anythingParked())) return;
      const { items } = await this.deadLetters.list({ groupId: this.groupId, status: 'parked' });
      for (const item of items) this.blocked.add(item.key);
    })().catch((error: unknown) => {
      this.loading = undefined;
      throw error;
    });
    return this.loading;
  }
}
