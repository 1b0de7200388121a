import { CommandContext, conflict, notFound, RecordedEvent, ruleViolation, toEnvelope } from '@lp/eventsourcing';
import { DeadLetterItem, DeadLetterQuery, deadLettersOf, DeadLetters, groupOffsetsOf, REPLAY_HEADER, RedriveSelection, toPublishedEnvelope } from '@lp/messaging';
import { ProjectionStatus } from '@lp/read-models';
import { ServiceRuntime } from '../service-runtime';
import { EventSelection, selectEvents } from './event-selection';
import { recordOpsAction } from './ops-journal';
import { maskEvent, PiiPaths, storePiiPaths } from './pii-masking';
import { applyRewind, consumersOf, planRewind, RewindPoint } from './rewind';

const REPUBLISH_BATCH = 200;

/** What a rebuild needs of a projection, whichever source feeds it. */
interface RebuildableProjection {
  status(): Promise<ProjectionStatus>;
  rebuild(): Promise<void>;
  caughtUp(): Promise<void>;
}

/**
 * What the ops endpoints do (OpsController is only their HTTP face): projections, dead letters,
 * republish, rewind and the audit export over the runtimes of this process.
 */
export class Ops {
  private pii?: PiiPaths;

  constructor(
    private readonly runtimes: ServiceRuntime[],
    piiPaths?: PiiPaths,
  ) {
    this.pii = piiPaths;
  }

  // ---- projections ----

  async projections() {
    const fromStore = this.runtimes.flatMap((runtime) =>
      runtime.projections.map(async (runner) => {
        const [status, lag] = await Promise.all([runner.status(), runner.lag()]);
        return {
          service: runtime.definition.name,
          name: runner.name,
          source: 'store' as const,
          state: status.state,
          version: status.version,
          checkpoint: status.checkpoint,
          lag: lag.count,
          ...(lag.capped && { lagAtLeast: true }),
          lastError: status.lastError ?? null,
          ...(status.rebuild && { progress: status.rebuild }),
          ...(status.indexing && { indexing: status.indexing }),
        };
      }),
    );
    // Projections of other services' events: their checkpoint is their consumer group's offsets.
    const fromBus = this.runtimes.flatMap((runtime) =>
      runtime.busProjections.map(async (consumer) => {
        const [status, group] = await Promise.all([consumer.projectionStatus(), consumer.liveGroup()]);
        const lag = await groupOffsetsOf(runtime.adapters.bus)?.lag(group.groupId, group.topics);
        return {
          service: runtime.definition.name,
          name: consumer.name,
          source: 'bus' as const,
          state: status.state,
          version: status.version,
          groupId: group.groupId,
          topics: group.topics,
          lag: lag ?? null,
          lastError: status.lastError ?? null,
          ...(status.rebuild && { progress: status.rebuild }),
          ...(status.indexing && { indexing: status.indexing }),
        };
      }),
    );
    const items = [...(await Promise.all(fromStore)), ...(await Promise.all(fromBus))];
    return { items, total: items.length };
  }

  /** Starts a blue/green rebuild; `wait` resolves once the new version answers. */
  async rebuild(name: string, wait: boolean, context: CommandContext) {
    const { runtime, projection } = this.projection(name);
    if ((await projection.status()).state === 'rebuilding') throw conflict('REBUILD_IN_PROGRESS', `Projection ${name} is already being rebuilt`);
    const rebuilt = projection.rebuild();
    // Without wait the outcome shows in GET /ops/projections (state, lastError); nobody awaits it here.
    if (!wait) rebuilt.catch(() => undefined);
    await recordOpsAction(runtime.eventStore, { type: 'ProjectionRebuildStarted', data: { projection: name } }, context);
    if (wait) {
      await rebuilt;
      await projection.caughtUp();
    }
    const status = await projection.status();
    return { service: runtime.definition.name, ...status };
  }

  /** A store projection by its name, or a projection of other services' events by `<service>.<name>`. */
  private projection(name: string): { runtime: ServiceRuntime; projection: RebuildableProjection } {
    for (const runtime of this.runtimes) {
      const runner = runtime.projections.find((candidate) => candidate.name === name);
      if (runner) return { runtime, projection: runner };
      const consumer = runtime.busProjections.find((candidate) => candidate.name === name);
      if (consumer) return { runtime, projection: { status: () => consumer.projectionStatus(), rebuild: () => consumer.rebuild(), caughtUp: () => consumer.caughtUp() } };
    }
    throw notFound('PROJECTION_NOT_FOUND', `No projection named ${name}`);
  }

  // ---- dead letters ----

  async deadLetterList(query: DeadLetterQuery) {
    const all = (await Promise.all(this.deadLetterStores().map((store) => store.list({ ...query, offset: 0, limit: undefined })))).flatMap(
      (page) => page.items,
    );
    const start = query.offset ?? 0;
    return { items: all.slice(start, start + (query.limit ?? 100)), total: all.length };
  }

  async deadLetter(id: string) {
    for (const store of this.deadLetterStores()) {
      const found = await store.get(id);
      if (found) return found;
    }
    throw notFound('DEAD_LETTER_NOT_FOUND', `No dead letter ${id}`);
  }

  /** Without `confirm`: how many would move (and which). With it: moves them and journals who did. */
  async redrive(selection: RedriveSelection, confirm: boolean, context: CommandContext) {
    const results: DeadLetterItem[] = [];
    for (const store of this.deadLetterStores()) {
      const remaining = selection.stopAt === undefined ? undefined : selection.stopAt - results.length;
      if (remaining === 0) break;
      const scoped = { ...selection, stopAt: remaining };
      results.push(...(confirm ? await store.redrive(scoped, context.actor.id) : await store.selectForRedrive(scoped)));
    }
    if (confirm && results.length) {
      const journal = this.runtimeOfGroup(results[0].groupId).eventStore;
      await recordOpsAction(journal, { type: 'DeadLettersRedriven', data: { deadLetterIds: results.map((item) => item.id), selection } }, context);
    }
    return { dryRun: !confirm, count: results.length, items: results };
  }

  async discard(id: string, reason: string, context: CommandContext) {
    const letter = await this.deadLetter(id);
    if (letter.status !== 'parked') throw conflict('DEAD_LETTER_SETTLED', `Dead letter ${id} was already ${letter.status}`);
    let discarded: DeadLetterItem | undefined;
    for (const store of this.deadLetterStores()) discarded ??= await store.discard(id, reason, context.actor.id);
    const { topic, groupId, eventId } = letter;
    await recordOpsAction(
      this.runtimeOfGroup(groupId).eventStore,
      { type: 'DeadLetterDiscarded', data: { deadLetterId: id, topic, groupId, eventId, reason } },
      context,
    );
    return discarded;
  }

  private deadLetterStores(): DeadLetters[] {
    const stores = this.runtimes.map((runtime) => deadLettersOf(runtime.adapters.bus)).filter((store): store is DeadLetters => !!store);
    return [...new Set(stores)];
  }

  /** Group ids start with the consuming service's name (`billing.contracts`); its store keeps the journal entry. */
  private runtimeOfGroup(groupId: string): ServiceRuntime {
    return this.runtimes.find((runtime) => groupId.startsWith(`${runtime.definition.name}.`)) ?? this.runtimes[0];
  }

  // ---- republish, export ----

  /**
   * Re-sends stored integration events with their original ids and `replay: true`; a dry run without
   * `confirm`. At most `limit` of them, so a long republish goes in steps a client can follow:
   * `lastPosition` (the last one taken) is the `fromPosition` of the next step.
   */
  async republish(topic: string, selection: EventSelection, confirm: boolean, context: CommandContext, limit?: number) {
    const runtime = this.runtimeOfTopic(topic);
    let count = 0;
    let lastPosition: number | null = null;
    let batch: RecordedEvent[] = [];
    const flush = async () => {
      if (confirm && batch.length) await runtime.adapters.bus.publish(topic, batch.map(toPublishedEnvelope), { headers: { [REPLAY_HEADER]: 'true' } });
      batch = [];
    };
    for await (const event of selectEvents(runtime, selection)) {
      count++;
      lastPosition = event.position;
      batch.push(event);
      if (batch.length >= REPUBLISH_BATCH) await flush();
      if (count === limit) break;
    }
    await flush();
    if (confirm) await recordOpsAction(runtime.eventStore, { type: 'EventsRepublished', data: { topic, count, selection } }, context);
    return { dryRun: !confirm, topic, count, lastPosition };
  }

  /**
   * An audit export: the store's head when it started (how far the scan goes) and the NDJSON lines,
   * one envelope (with its store position) per line. A topic exports what its service published on
   * it; a service exports every event of its store (internal events and the ops journal too).
   */
  async exportEvents(source: ExportSource, selection: EventSelection, maskPii: boolean): Promise<{ headPosition: number; lines: AsyncGenerator<string> }> {
    const runtime = 'topic' in source ? this.runtimeOfTopic(source.topic) : this.runtimeOfService(source.service);
    if ('topic' in source) {
      const unknown = (selection.types ?? []).filter((type) => !runtime.definition.publishedEventTypes.includes(type));
      // Well-formed but not one of the topic's types: a rule of this topic, not a malformed request.
      if (unknown.length) {
        throw ruleViolation('EVENT_TYPE_NOT_ON_TOPIC', `not published on ${source.topic}: ${unknown.join(', ')} (service=${runtime.definition.name} exports every stored event)`);
      }
    }
    const pii = maskPii ? (this.pii ??= storePiiPaths()) : undefined;
    const events = selectEvents(runtime, selection, 'topic' in source ? 'published' : 'store');
    return { headPosition: await runtime.eventStore.headPosition(), lines: exportLines(events, pii) };
  }

  private runtimeOfService(name: string): ServiceRuntime {
    const runtime = this.runtimes.find((candidate) => candidate.definition.name === name);
    if (!runtime) throw notFound('SERVICE_NOT_FOUND', `No service ${name} runs here (known: ${this.runtimes.map((r) => r.definition.name).join(', ')})`);
    return runtime;
  }

  private runtimeOfTopic(topic: string): ServiceRuntime {
    const runtime = this.runtimes.find((candidate) => candidate.definition.topic === topic);
    if (!runtime) throw notFound('TOPIC_NOT_FOUND', `No service here publishes ${topic} (known: ${this.runtimes.map((r) => r.definition.topic).join(', ')})`);
    return runtime;
  }

  // ---- rewind ----

  async consumers() {
    const items = await Promise.all(consumersOf(this.runtimes).map((consumer) => consumer.view()));
    return { items, total: items.length };
  }

  async rewind(name: string, to: RewindPoint, confirm: boolean, context: CommandContext) {
    const consumer = consumersOf(this.runtimes).find((candidate) => candidate.worker.name === name);
    if (!consumer) throw notFound('CONSUMER_NOT_FOUND', `No reactor or consumer group named ${name}`);
    const plan = await planRewind(consumer, to);
    if (confirm) {
      await applyRewind(consumer, plan);
      await recordOpsAction(consumer.runtime.eventStore, { type: 'ConsumerRewound', data: { consumer: name, to, count: plan.count } }, context);
    }
    return { dryRun: !confirm, ...plan };
  }
}

/** What an export reads: what one topic carries, or one service's whole store. */
export type ExportSource = { topic: string } | { service: string };

export function exportSourceOf(query: { topic?: string; service?: string }): ExportSource {
  // Each is valid alone; both or neither is refused as a rule (422), as the schema cannot say "exactly one".
  if ((query.topic === undefined) === (query.service === undefined)) throw ruleViolation('ONE_EXPORT_SOURCE', 'give exactly one of topic and service');
  return query.topic !== undefined ? { topic: query.topic } : { service: query.service! };
}

async function* exportLines(events: AsyncGenerator<RecordedEvent>, pii: PiiPaths | undefined): AsyncGenerator<string> {
  for await (const event of events) {
    const envelope = { ...toEnvelope(event), position: event.position };
    yield `${JSON.stringify(pii ? maskEvent(envelope, pii) : envelope)}\n`;
  }
}

export function rewindPointOf(body: { toPosition?: number; toInstant?: string }): RewindPoint {
  const given = [body.toPosition !== undefined, body.toInstant !== undefined].filter(Boolean).length;
  // Each field is valid alone; giving both or neither is refused as a rule (422), since the schema cannot say "exactly one".
  if (given !== 1) throw ruleViolation('ONE_REWIND_POINT', 'give exactly one of toPosition and toInstant');
  return body.toPosition !== undefined ? { position: body.toPosition } : { instant: body.toInstant! };
}
