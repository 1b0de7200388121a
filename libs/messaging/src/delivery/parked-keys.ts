import type { DeadLetters } from '../dead-letters/dead-letters';

/**
 * The keys a consumer group has a message parked for (Axon's sequenced dead-letter queue): while a
 * key has one, later messages of that key are parked behind it instead of handled, so they can
 * never overtake it; other keys flow. A key is free again once ops re-drove or discarded all of its
 * parked messages (and the re-driven ones were handled). Known keys are kept in memory (filled from
 * the dead letters when the group starts); only a message of such a key asks the dead letters again.
 */
export class ParkedKeys {
  /** Blocked keys by topic (a key's order is per topic). */
  private readonly blocked = new Map<string, Set<string>>();
  private readonly loading = new Map<string, Promise<void>>();

  constructor(
    private readonly groupId: string,
    private readonly deadLetters: DeadLetters | undefined,
    /** Cheap test of whether `<topic>.dlq` holds anything at all (skips reading it when not). */
    private readonly anythingParked: (topic: string) => Promise<boolean> = async () => true,
  ) {}

  /** Whether a message of this key on this topic must be parked behind an earlier one. */
  async mustWait(topic: string, key: string): Promise<boolean> {
    await this.load(topic);
    if (!this.keysOf(topic).has(key)) return false;
    if (!this.deadLetters) return true;
    const { total } = await this.deadLetters.list({ topic, groupId: this.groupId, key, status: 'parked', limit: 0 });
    if (total === 0) this.keysOf(topic).delete(key);
    return total > 0;
  }

  /** A message of the key was just parked. */
  add(topic: string, key: string): void {
    this.keysOf(topic).add(key);
  }

  private keysOf(topic: string): Set<string> {
    let keys = this.blocked.get(topic);
    if (!keys) this.blocked.set(topic, (keys = new Set()));
    return keys;
  }

  /** Once per topic: what this group left parked there before (this process or an earlier one). */
  private load(topic: string): Promise<void> {
    let loading = this.loading.get(topic);
    if (!loading) {
      loading = (async () => {
        if (!this.deadLetters || !(await this.anythingParked(topic))) return;
        const { items } = await this.deadLetters.list({ topic, groupId: this.groupId, status: 'parked' });
        for (const item of items) this.keysOf(topic).add(item.key);
      })().catch((error: unknown) => {
        this.loading.delete(topic);
        throw error;
      });
      this.loading.set(topic, loading);
    }
    return loading;
  }
}
