import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { map, Observable } from 'rxjs';
import type { HttpResponse as Response } from '../http-types';

/**
 * Response header of a command's answer built from the write side (the state the command decided)
 * because the read model was behind or down: the command was committed, but a GET may not show it
 * yet. Replayed with the answer for a repeated Idempotency-Key.
 */
export const VIEW_STALE_HEADER = 'X-View-Stale';

const staleAnswers = new WeakSet<object>();

/** Marks an answer as built from the write side; the interceptor then sends VIEW_STALE_HEADER with it. */
export function markViewStale<T extends object>(answer: T): T {
  staleAnswers.add(answer);
  return answer;
}

export function isViewStale(answer: unknown): boolean {
  return typeof answer === 'object' && answer !== null && staleAnswers.has(answer);
}

/** Sends `X-View-Stale: true` with an answer marked by markViewStale. Runs inside the idempotency interceptor, which records the header. */
@Injectable()
export class ViewStaleInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((body) => {
        if (isViewStale(body)) response.header(VIEW_STALE_HEADER, 'true');
        return body;
      }),
    );
  }
}
