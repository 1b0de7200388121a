import { DomainEvent, EventEnvelope, EventLoopShare, RecordedEvent } from '@lp/eventsourcing';
import { Filter, ReadStore, Sort, TextIndexOptions } from './read-store';

/**
 * The searched fields of a collection, or those fields and the documents the index holds (see
 * TextIndexOptions.partialFilter): `{ fields: ['subject'], partialFilter: { status: { $ne: 'DELETED' } } }`.
 */
export type TextIndexDeclaration = string[] | ({ fields: string[] } & TextIndexOptions);

/** A declaration in its long form. */
export function textIndexOf(declared: TextIndexDeclaration): { fields: string[] } & TextIndexOptions {
  return Array.isArray(declared) ? { fields: declared } : declared;
}

/**
 * Builds read-model documents from events. Delivery is at least once (store replays from a
 * checkpoint, bus redelivery), so apply must write through ReadCollection.apply with the event's
 * source version (see sourceOf), which skips an event the document already holds.
 */
export interface Projection {
  name: string;
  /** Collections it owns: dropped by a rebuild. */
  collections: string[];
  /** Event types it handles; any other event is never passed to apply. */
  handles: string[];
  /** Indexes per collection for the filters and sorts its list screens use (MongoDB creates them at start). */
  indexes?: Record<string, Sort[]>;
  /** Fields per collection its list screens search with textSearch() (a text index where the store has one). */
  textIndexes?: Record<string, TextIndexDeclaration>;
  /** Filters per collection whose totals its lists ask most (their defaults): kept from the start where the store keeps totals. */
  countedFilters?: Record<string, Filter[]>;
  apply(event: RecordedEvent | EventEnvelope, store: ReadStore): Promise<void>;
}

export type ProjectionHandler<E extends DomainEvent = DomainEvent> = (event: EventEnvelope<E>, store: ReadStore) => Promise<void>;

/** One handler per event type; with an event union E, each handler gets its own event's data type. */
export type ProjectionHandlers<E extends DomainEvent = DomainEvent> = {
  [Type in E['type']]?: ProjectionHandler<Extract<E, { type: Type }>>;
};

export interface ProjectionDefinition<E extends DomainEvent> {
  name: string;
  collections: string[];
  indexes?: Record<string, Sort[]>;
  textIndexes?: Record<string, TextIndexDeclaration>;
  countedFilters?: Record<string, Filter[]>;
  on: ProjectionHandlers<E>;
}

/**
 * Writes a projection as a map from event type to handler; `handles` is derived from the keys so the
 * two cannot drift apart.
 * ```ts
 * defineProjection<OrderEvent>({ name: 'order-list', collections: ['orders'], on: {
 *   OrderCreated: (event, store) => store.collection<OrderRow>('orders').apply(id, sourceOf(event), () => ({ ... })).then(() => undefined),
 * } });
 * ```
 */
export function defineProjection<E extends DomainEvent = DomainEvent>(definition: ProjectionDefinition<E>): Projection {
  const handlers = new Map<string, ProjectionHandler>();
  for (const [type, handler] of Object.entries(definition.on)) {
    if (handler) handlers.set(type, handler as ProjectionHandler);
  }
  return {
    name: definition.name,
    collections: [...definition.collections],
    handles: [...handlers.keys()],
    indexes: definition.indexes,
    textIndexes: definition.textIndexes,
    countedFilters: definition.countedFilters,
    async apply(event, store) {
      await handlers.get(event.type)?.(event, store);
    },
  };
}

/**
 * Before a fill that is indexed once it has caught up (a rebuild, a first fill): what its indexes
 * will be made on and every write must keep (ReadStore.prepareIndexes), so the fill writes it as it goes.
 */
export async function prepareProjectionIndexes(projection: Projection, store: ReadStore): Promise<void> {
  if (!store.prepareIndexes || !projection.indexes) return;
  for (const [collection, indexes] of Object.entries(projection.indexes)) await store.prepareIndexes(collection, indexes);
}

/**
 * Creates the projection's indexes (text ones included) where the store has them (idempotent; called
 * at every start). Over a filled collection each one holds the thread for a while (a sort, a scan):
 * requests get a turn between them. `working` hears which collection is being indexed (for ops).
 */
export async function ensureProjectionIndexes(projection: Projection, store: ReadStore, working: (collection: string) => void = () => undefined): Promise<void> {
  const share = new EventLoopShare();
  const next = async (collection: string) => {
    await share.handOverIfDue();
    working(collection);
  };
  if (store.ensureIndexes && projection.indexes) {
    for (const [collection, indexes] of Object.entries(projection.indexes)) {
      await next(collection);
      await store.ensureIndexes(collection, indexes);
    }
  }
  if (store.ensureTextIndex && projection.textIndexes) {
    for (const [collection, declared] of Object.entries(projection.textIndexes)) {
      const { fields, partialFilter } = textIndexOf(declared);
      await next(collection);
      await store.ensureTextIndex(collection, fields, partialFilter && { partialFilter });
    }
  }
  if (store.ensureCount && projection.countedFilters) {
    for (const [collection, filters] of Object.entries(projection.countedFilters)) {
      for (const filter of filters) {
        await next(collection);
        await store.ensureCount(collection, filter);
      }
    }
  }
}
