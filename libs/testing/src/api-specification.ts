import { EventStore, EventToAppend, RecordedEvent } from '@lp/eventsourcing';

/**
 * Emmett-style given/when/then for an HTTP API over event stores: seed streams, send one request,
 * assert the response and the events it appended — and nothing else.
 *
 *   const spec = ApiSpecification.for(() => ({ stores: { order: h.embedded.runtimes.order.eventStore }, settle: () => h.settle() }));
 *   await spec
 *     .given({ store: 'order', streamId: `order-${id}`, events: [created] })
 *     .when(() => h.http().post(`/orders/${id}/accept`))
 *     .then(expectResponse(200, { status: 'ACCEPTED' }), expectNewEvents('order', `order-${id}`, [{ type: 'OrderAccepted' }]));
 *
 * The events a request appended are read from each store after the head position it had before
 * the request, so assertions see exactly that request's events (after the API settled, e.g. the
 * reactions of other services when `settle` is given).
 */
export interface ApiUnderTest {
  stores: Record<string, Pick<EventStore, 'appendToStream' | 'headPosition' | 'readAll'>>;
  /** Waits until what the request set off has travelled (bus, projections), when it matters. */
  settle?: () => Promise<void>;
}

/** What a sent request answers: supertest's response shape is enough. */
export interface ApiResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export interface SeededStream {
  store: string;
  streamId: string;
  events: EventToAppend[];
}

/** What the request did: its response and, per store, the events it appended (in store order). */
export interface ApiOutcome {
  response: ApiResponse;
  appended: Record<string, RecordedEvent[]>;
}

export type ApiExpectation = ((outcome: ApiOutcome) => void) & { readonly [EXPECTATION]: true };

const EXPECTATION = Symbol('ApiExpectation');

/** Marks an assertion as an expectation then() accepts (see then()). */
export function expectation(check: (outcome: ApiOutcome) => void): ApiExpectation {
  return Object.assign(check, { [EXPECTATION]: true as const });
}

export class ApiSpecification {
  private constructor(private readonly api: () => ApiUnderTest) {}

  static for(api: () => ApiUnderTest): ApiSpecification {
    return new ApiSpecification(api);
  }

  given(...streams: SeededStream[]) {
    return {
      when: (send: () => PromiseLike<ApiResponse>) => ({
        // `when()` has a then(), so `await spec.given(…).when(…)` would call it with a promise's
        // resolve and reject and assert nothing: only marked expectations, at least one, are accepted.
        then: (...expectations: ApiExpectation[]) => {
          if (!expectations.length || expectations.some((check) => !check[EXPECTATION])) {
            throw new Error('ApiSpecification: then() takes expectations (expectResponse, expectProblem, expectNewEvents, expectNothingAppended, expectation(…))');
          }
          return this.run(streams, send, expectations);
        },
      }),
    };
  }

  private async run(streams: SeededStream[], send: () => PromiseLike<ApiResponse>, expectations: ApiExpectation[]): Promise<ApiOutcome> {
    const api = this.api();
    for (const { store, streamId, events } of streams) await storeOf(api, store).appendToStream(streamId, events);
    await api.settle?.();
    const heads = Object.fromEntries(await Promise.all(Object.entries(api.stores).map(async ([name, store]) => [name, await store.headPosition()] as const)));
    const response = await send();
    await api.settle?.();
    const appended: Record<string, RecordedEvent[]> = {};
    for (const [name, store] of Object.entries(api.stores)) appended[name] = await store.readAll({ fromPosition: heads[name] });
    const outcome = { response, appended };
    for (const expectation of expectations) expectation(outcome);
    return outcome;
  }
}

function storeOf(api: ApiUnderTest, name: string) {
  const store = api.stores[name];
  if (!store) throw new Error(`No store "${name}" in the API under test (${Object.keys(api.stores).join(', ')})`);
  return store;
}

/** The status, and the body matched as jest's toMatchObject (only the fields given). */
export function expectResponse(status: number, body?: object): ApiExpectation {
  return expectation(({ response }) => {
    expect({ status: response.status, body: response.body }).toMatchObject({ status, ...(body !== undefined && { body }) });
  });
}

/** A problem+json refusal with this status and code (and the field paths a 400 names, when given). */
export function expectProblem(status: number, code: string, fields?: string[]): ApiExpectation {
  return expectation(({ response }) => {
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status, code });
    if (fields) expect(((response.body as { errors?: { path: string }[] }).errors ?? []).map((error) => error.path).sort()).toEqual([...fields].sort());
  });
}

/** Exactly these events (type and the data fields given) were appended to the stream, in order. */
export function expectNewEvents(store: string, streamId: string, events: { type: string; data?: object }[]): ApiExpectation {
  return expectation(({ appended }) => {
    const onStream = (appended[store] ?? []).filter((event) => event.streamId === streamId);
    expect(onStream.map(({ type, data }) => ({ type, data }))).toMatchObject(events.map(({ type, data }) => ({ type, ...(data && { data }) })));
    expect(onStream).toHaveLength(events.length);
  });
}

/**
 * As expectNewEvents, on the stream of what the request created, whose id only its answer tells:
 * `expectNewEventsOnCreated('provisioning', ({ body }) => tenantStreamId((body as { id: string }).id), [{ type: 'TenantRegistered' }])`.
 */
export function expectNewEventsOnCreated(store: string, streamIdOf: (response: ApiResponse) => string, events: { type: string; data?: object }[]): ApiExpectation {
  return expectation((outcome) => expectNewEvents(store, streamIdOf(outcome.response), events)(outcome));
}

/** The request changed nothing: no store got a new event (a refusal, or an idempotent repeat). */
export function expectNothingAppended(): ApiExpectation {
  return expectation(({ appended }) => {
    const all = Object.entries(appended).flatMap(([store, events]) => events.map((event) => `${store}: ${event.type} on ${event.streamId}`));
    expect(all).toEqual([]);
  });
}
