import { CanActivate, ExecutionContext, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { ModuleRef } from '@nestjs/core';
import { EventStore } from '@lp/eventsourcing';
import { headerOf, HttpRequest as Request, HttpResponse } from '../http-types';
import { RequestWithUser } from '../auth/authenticated-user';
import { commandContextOf } from '../context/command-context';
import { ProblemException } from '../errors/problem-exception';
import { RecordedProblem } from '../errors/to-problem';
import { canonicalJson, sha256 } from './canonical-json';
import { committedOutcome } from './committed-outcome';
import { RecordedResponse } from './idempotency-events';
import { IdempotencyLedger, LedgerOptions } from './idempotency-ledger';
import { idempotencyOptionsFromEnv } from './idempotency-settings';
import { holdLease, ReplayedAnswer } from './idempotent-answer';
import {
  IDEMPOTENCY_COMMIT_STORES,
  IDEMPOTENCY_EVENT_STORE,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_PATTERN,
  IDEMPOTENCY_OPTIONS,
  IDEMPOTENT_REPLAYED_HEADER,
} from './idempotency.tokens';

const GUARDED_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type HttpRequest = Request & RequestWithUser;

/**
 * Makes a POST/PUT/PATCH/DELETE with an Idempotency-Key happen at most once per key and caller:
 * repeats get the first answer (status, body, Location, X-View-Stale) without running the handler
 * again; a repeat that arrives while the first still runs waits for its answer. A key whose request
 * died is reclaimed after its lease (see IdempotencyLedger).
 *
 * A guard, registered after the JWT guard (so refusals of the caller are never recorded and the
 * caller is known), plus an onSend hook that records the answer (idempotentAnswerHook). Not an
 * interceptor: a global interceptor makes Nest wrap every request of every route in rxjs, with or
 * without a key, which cost about a fifth of a small request's CPU.
 */
@Injectable()
export class IdempotencyGuard implements CanActivate, OnApplicationBootstrap {
  private ledger?: IdempotencyLedger;
  private commitStores: EventStore[] = [];

  constructor(private readonly moduleRef: ModuleRef) {}

  onApplicationBootstrap(): void {
    this.ledgerOrFail();
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const key = headerOf(request, IDEMPOTENCY_KEY_HEADER);
    if (key === undefined || !GUARDED_METHODS.has(request.method)) return true;
    if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
      throw new ProblemException(400, 'INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 255 printable ASCII characters');
    }
    return this.begin(context, request, key);
  }

  private async begin(context: ExecutionContext, request: HttpRequest, key: string): Promise<boolean> {
    const successStatus = successStatusOf(context, request.method);
    const decision = await this.ledgerOrFail().begin(
      `idempotency-${sha256(scopeOf(request, key))}`,
      fingerprintOf(request),
      commandContextOf(request),
      (attempt) => committedOutcome(this.commitStores, attempt, successStatus),
    );
    const response = context.switchToHttp().getResponse<HttpResponse>();
    if (decision.kind === 'replay') replay(decision.response, response);
    holdLease(request, response, decision.lease);
    return true;
  }

  private ledgerOrFail(): IdempotencyLedger {
    if (this.ledger) return this.ledger;
    let store: EventStore;
    try {
      store = this.moduleRef.get<EventStore>(IDEMPOTENCY_EVENT_STORE, { strict: false });
    } catch {
      throw new Error('PlatformModule needs an EventStore provided as IDEMPOTENCY_EVENT_STORE by the application module');
    }
    this.commitStores = this.optional<EventStore[]>(IDEMPOTENCY_COMMIT_STORES) ?? [store];
    const options = this.optional<Partial<LedgerOptions>>(IDEMPOTENCY_OPTIONS) ?? {};
    this.ledger = new IdempotencyLedger(store, { ...idempotencyOptionsFromEnv(), ...options });
    return this.ledger;
  }

  private optional<T>(token: symbol): T | undefined {
    try {
      return this.moduleRef.get<T>(token, { strict: false });
    } catch {
      return undefined;
    }
  }
}

/**
 * What makes two requests with one key the same request: the body, and the query when there is one
 * (`?wait=false` and `?wait=true` are two requests). A request without a query keeps the fingerprint
 * of its body alone, as recorded before queries counted.
 */
function fingerprintOf(request: HttpRequest): string {
  const body = request.body ?? null;
  const query = request.query as Record<string, unknown> | undefined;
  return sha256(canonicalJson(query && Object.keys(query).length > 0 ? [body, query] : body));
}

/**
 * The caller's reseller (or the distributor), the caller, and the concrete request target: the same
 * key on another user or another resource is another request.
 */
function scopeOf(request: HttpRequest, key: string): string {
  const user = request.user;
  const tenant = user ? user.resellerId ?? 'distributor' : 'anonymous';
  const path = request.originalUrl.split('?')[0];
  return JSON.stringify([tenant, user?.id ?? 'anonymous', request.method, path, key]);
}

/** The status the route answers when it succeeds: its @HttpCode, else Nest's default. */
function successStatusOf(context: ExecutionContext, method: string): number {
  const declared = Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) as number | undefined;
  return declared ?? (method === 'POST' ? 201 : 200);
}

/** Ends the request with the recorded answer, through the exception filter, which sends it. */
function replay(recorded: RecordedResponse, response: HttpResponse): never {
  response.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
  for (const [name, value] of Object.entries(recorded.headers ?? {})) response.header(name, value);
  // A recorded problem is served as problem+json again, by the same path as any problem.
  if (recorded.status >= 400) throw new RecordedProblem(recorded.body as never);
  throw new ReplayedAnswer(recorded);
}
