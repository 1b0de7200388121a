import { Actor } from '../envelope';

/** Distinct actors remembered before the cache starts again (users and the services' own workers). */
const MAX_ACTORS = 1_000;

/**
 * Each stored actor's JSON parsed once: a store's events carry few distinct actors, and parsing each
 * event's actor again was a third of decoding it (~1.2 µs of ~3.5; a Map lookup of the text ~0.25).
 * Events decoded from the same text share one actor, frozen, so no reader can change another's.
 */
export class ParsedActors {
  private readonly actors = new Map<string, Actor>();

  of(json: string): Actor {
    let actor = this.actors.get(json);
    if (!actor) {
      if (this.actors.size >= MAX_ACTORS) this.actors.clear();
      actor = frozen(JSON.parse(json) as Actor);
      this.actors.set(json, actor);
    }
    return actor;
  }
}

function frozen<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const field of Object.values(value)) frozen(field);
    Object.freeze(value);
  }
  return value;
}
