/** What an upcaster needs of an envelope; every other field (eventId, streamId, actor, …) passes through. */
export interface VersionedEvent {
  type: string;
  schemaVersion: number;
  data: unknown;
}

/**
 * One step: an event of version N of its type → the same event as version N + 1. Pure; it may
 * rename the type or reshape the data, and must derive whatever the new version adds from what the
 * old one holds (a step that has to guess is not an upcaster, it is a new event).
 */
export type Upcaster = (event: VersionedEvent) => { type: string; data: unknown };

/**
 * The upcasters of every event type, chained step by step: a version 1 event read when its type is
 * at version 3 goes 1 → 2 → 3. Readers (aggregate loading, subscriptions, bus consumers) only ever
 * see the current version, so a stream written years ago still replays with today's code, and
 * writers stamp the current version (currentVersion) on what they append.
 */
export class UpcasterRegistry {
  private readonly steps = new Map<string, Map<number, Upcaster>>();

  /** Registers the step from `fromVersion` to `fromVersion + 1` of `type`. */
  register(type: string, fromVersion: number, upcaster: Upcaster): this {
    if (!Number.isInteger(fromVersion) || fromVersion < 1) throw new Error(`${type}: versions start at 1, not ${fromVersion}`);
    const steps = this.steps.get(type) ?? new Map<number, Upcaster>();
    if (steps.has(fromVersion)) throw new Error(`${type}: an upcaster from version ${fromVersion} is already registered`);
    if (fromVersion > 1 && !steps.has(fromVersion - 1)) throw new Error(`${type}: register the step from version ${fromVersion - 1} first`);
    this.steps.set(type, steps.set(fromVersion, upcaster));
    return this;
  }

  /** The version writers emit: 1 for a type that never changed. */
  currentVersion(type: string): number {
    return (this.steps.get(type)?.size ?? 0) + 1;
  }

  /** The event at its type's current version; the very same object when it already is. */
  upcast<E extends VersionedEvent>(event: E): E {
    let current = event;
    for (let step = this.steps.get(current.type)?.get(current.schemaVersion); step; step = this.steps.get(current.type)?.get(current.schemaVersion)) {
      const { type, data } = step(current);
      current = { ...current, type, data, schemaVersion: current.schemaVersion + 1 };
    }
    return current;
  }
}
