import {
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { ModuleRef } from '@nestjs/core';
import { headerOf, HttpRequest as Request, HttpResponse as Response } from '../http-types';
import { concatMap, defer, from, Observable, of, switchMap, throwError, catchError } from 'rxjs';
import { EventStore } from '@lp/eventsourcing';
import { RequestWithUser } from '../auth/authenticated-user';
import { commandContextOf } from '../context/command-context';
import { ProblemException } from '../errors/problem-exception';
import { isViewStale, VIEW_STALE_HEADER } from '../http/view-stale';
import { RecordedProblem, toProblem } from '../errors/to-problem';
import { canonicalJson, sha256 } from './canonical-json';
import { RecordedResponse } from './idempotency-events';
import { committedOutcome } from './committed-outcome';
import { IdempotencyLedger, LedgerContext, LedgerOptions } from './idempotency-ledger';
import { idempotencyOptionsFromEnv } from './idempotency-settings';
import {
  IDEMPOTENCY_COMMIT_STORES,
  IDEMPOTENCY_EVENT_STORE,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_OPTIONS,
  IDEMPOTENT_REPLAYED_HEADER,
} from './idempotency.tokens';

const GUARDED_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const ACCEPTABLE_KEY = /^[\x21-\x7e]{1,255}$/;
/** Response headers worth replaying: where the created resource lives (and X-View-Stale, from the answer's mark). */
const REPLAYED_HEADERS = ['Location'];

type HttpRequest = Request & RequestWithUser;

/**
 * Makes a POST/PUT/PATCH/DELETE with an Idempotency-Key happen at most once per key and caller:
 * repeats get the first answer (status and body) without running the handler again; a repeat that
 * arrives while the first still runs waits for its answer. A key whose request died is reclaimed
 * after its lease (see IdempotencyLedger).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor, OnApplicationBootstrap {
  private ledger?: IdempotencyLedger;
  private commitStores: EventStore[] = [];

  constructor(private readonly moduleRef: ModuleRef) {}

  onApplicationBootstrap(): void {
    this.ledgerOrFail();
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const key = headerOf(request, IDEMPOTENCY_KEY_HEADER);
    if (!GUARDED_METHODS.has(request.method) || key === undefined) return next.handle();
    if (!ACCEPTABLE_KEY.test(key)) {
      return throwError(
        () => new ProblemException(400, 'INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 255 printable ASCII characters'),
      );
    }

    const ledger = this.ledgerOrFail();
    const streamId = `idempotency-${sha256(scopeOf(request, key))}`;
    const fingerprint = sha256(canonicalJson(request.body ?? null));
    const ledgerContext: LedgerContext = commandContextOf(request);
    const successStatus = successStatusOf(context, request.method);
    const settle = (attempt: Parameters<typeof committedOutcome>[1]) => committedOutcome(this.commitStores, attempt, successStatus);

    return defer(() => ledger.begin(streamId, fingerprint, ledgerContext, settle)).pipe(
      switchMap((decision) => {
        if (decision.kind === 'replay') return replay(decision.response, response);
        const { lease } = decision;
        return next.handle().pipe(
          concatMap(async (body) => {
            await lease.complete(recordResponse(response, body));
            return body;
          }),
          catchError((error: unknown) => {
            const problem = toProblem(error);
            const finished = problem.status >= 500 ? lease.release(problem.status) : lease.complete({ status: problem.status, body: problem });
            return from(finished).pipe(switchMap(() => throwError(() => error)));
          }),
        );
      }),
    );
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

/** What the client is about to receive: the status as set by @HttpCode / the handler, the body as JSON. */
function recordResponse(response: Response, body: unknown): RecordedResponse {
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = response.getHeader(name);
    if (value !== undefined) headers[name] = String(value);
  }
  // Set by viewStaleHook only when the reply is serialized, after this records it.
  if (isViewStale(body)) headers[VIEW_STALE_HEADER] = 'true';
  return {
    status: response.statusCode,
    body: body === undefined ? null : JSON.parse(JSON.stringify(body)),
    ...(Object.keys(headers).length ? { headers } : {}),
  };
}

function replay(recorded: RecordedResponse, response: Response): Observable<unknown> {
  response.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
  for (const [name, value] of Object.entries(recorded.headers ?? {})) response.header(name, value);
  // A recorded problem goes back through the exception filter so it is served as problem+json again.
  if (recorded.status >= 400) return throwError(() => new RecordedProblem(recorded.body as never));
  response.status(recorded.status);
  return of(recorded.body);
}
