import { ExpectedRevision } from './event-store';

/** A concurrent writer changed the stream first (HTTP 409 CONCURRENT_MODIFICATION). */
export class WrongExpectedVersionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`Stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedVersionError';
  }
}

/**
 * A command refused by a business rule. `kind` picks the HTTP status at the edge:
 * conflict = 409 (state does not allow it), rule = 422 (a rule refuses it), forbidden = 403,
 * not-found = 404, invalid = 400 (with per-field errors).
 */
export type DomainErrorKind = 'conflict' | 'rule' | 'forbidden' | 'not-found' | 'invalid';

export interface FieldError {
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const conflict = (code: string, message: string) => new DomainError('conflict', code, message);
export const ruleViolation = (code: string, message: string) => new DomainError('rule', code, message);
export const forbidden = (code: string, message: string) => new DomainError('forbidden', code, message);
export const notFound = (code: string, message: string) => new DomainError('not-found', code, message);
export const invalid = (errors: FieldError[], message = 'Some fields are invalid') =>
  new DomainError('invalid', 'VALIDATION_FAILED', message, errors);
