import { HttpException } from '@nestjs/common';
import { FieldError } from '@lp/eventsourcing';

/**
 * An HttpException that already knows its problem `code` (and field errors), for refusals made at
 * the HTTP edge rather than by a decider: 401 UNAUTHORIZED, 403 FORBIDDEN, 400 MALFORMED_JSON...
 */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    detail: string,
    readonly errors?: FieldError[],
  ) {
    super({ code, message: detail, ...(errors ? { errors } : {}) }, status);
  }
}
