/** What an operation takes, which decides the platform's own refusals of it. */
export interface OperationShape {
  /** POST, PUT, PATCH, DELETE: idempotency keys, event-store writes. */
  isCommand: boolean;
  /** A JSON body: the body checks run before the handler (configureHttpApp). */
  hasBody: boolean;
}

/**
 * The codes any operation of that shape may answer without its handler saying so: the JWT guard,
 * the role guard, the request-body checks (request-body/*), the validation pipe, the idempotency
 * interceptor and the store or a peer being away (errors/to-problem.ts). A handler declares the
 * rest with @Refuses.
 */
export function platformRefusals({ isCommand, hasBody }: OperationShape): Record<string, string[]> {
  const refusals: Record<string, string[]> = {
    // BAD_REQUEST: a path that does not decode (%E0); VALIDATION_FAILED: a query or body DTO.
    400: ['BAD_REQUEST', 'VALIDATION_FAILED'],
    401: ['UNAUTHORIZED'],
    403: ['FORBIDDEN'],
    503: ['DEPENDENCY_UNAVAILABLE'],
  };
  if (hasBody) {
    refusals[400].push('BODY_TOO_DEEP', 'MALFORMED_JSON', 'MALFORMED_TEXT');
    refusals[413] = ['PAYLOAD_TOO_LARGE'];
    refusals[415] = ['UNSUPPORTED_MEDIA_TYPE'];
  }
  if (isCommand) {
    refusals[400].push('INVALID_IDEMPOTENCY_KEY');
    refusals[409] = ['CONCURRENT_MODIFICATION', 'REQUEST_IN_PROGRESS'];
    refusals[422] = ['IDEMPOTENCY_KEY_REUSED'];
    refusals[503].push('STORE_UNAVAILABLE');
  }
  return refusals;
}
