import { isUtf8 } from 'buffer';
import { FieldError } from '@lp/eventsourcing';
import { ProblemException } from '../errors/problem-exception';
import { childPath } from '../validation/flatten-validation-errors';

export interface JsonShape {
  /** Nesting deeper than the limit: the value was not walked any further. */
  tooDeep: boolean;
  /** Paths of strings (values or keys) holding a lone UTF-16 surrogate, which is not Unicode text. */
  malformedText: string[];
  /** Paths of keys no DTO has and the validation pipe cannot see (`__proto__`, `constructor`, `prototype`). */
  forbiddenKeys: string[];
}

// class-transformer skips these, so forbidNonWhitelisted never reports them: the body was accepted as if they were not there.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Walks a parsed body without recursion (deep nesting is exactly what overflows the stack of the
 * validators and serialisers further on) and stops at the first level deeper than maxDepth.
 */
export function inspectJson(body: unknown, maxDepth: number): JsonShape {
  const malformedText: string[] = [];
  const forbiddenKeys: string[] = [];
  // Children are pushed last-first, so they are popped (and reported) in document order.
  const pending: { value: unknown; path: string; depth: number; key?: string }[] = [{ value: body, path: '', depth: 0 }];
  while (pending.length) {
    const { value, path, depth, key } = pending.pop()!;
    if (key !== undefined && !isWellFormed(key)) malformedText.push(path);
    if (key !== undefined && FORBIDDEN_KEYS.has(key)) forbiddenKeys.push(path);
    if (typeof value === 'string') {
      if (!isWellFormed(value)) malformedText.push(path || '(body)');
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= maxDepth) return { tooDeep: true, malformedText, forbiddenKeys };
    const entries = Object.entries(value);
    for (let index = entries.length - 1; index >= 0; index--) {
      const [childKey, child] = entries[index];
      pending.push({ value: child, path: childPath(path, childKey), depth: depth + 1, key: childKey });
    }
  }
  return { tooDeep: false, malformedText, forbiddenKeys };
}

/** The 400 for a parsed body too deep, with malformed text or forbidden keys; undefined for a safe one. */
export function unsafeJsonRefusal(body: unknown, maxDepth: number): ProblemException | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { tooDeep, malformedText, forbiddenKeys } = inspectJson(body, maxDepth);
  if (tooDeep) return new ProblemException(400, 'BODY_TOO_DEEP', `The request body nests deeper than ${maxDepth} levels`);
  if (malformedText.length) {
    const errors: FieldError[] = malformedText.map((path) => ({ path, message: `${path} must be valid Unicode text (it holds a lone UTF-16 surrogate)` }));
    return new ProblemException(400, 'MALFORMED_TEXT', 'Some fields hold text that is not valid Unicode', errors);
  }
  if (forbiddenKeys.length) {
    // The same code and message as the validation pipe gives any other unknown field.
    const errors: FieldError[] = forbiddenKeys.map((path) => ({ path, message: `property ${path.split('.').pop()} should not exist` }));
    return new ProblemException(400, 'VALIDATION_FAILED', 'Some fields are invalid', errors);
  }
  return undefined;
}

/** The `type` of the JSON parser's refusals, which to-problem.ts turns into their problem codes. */
export const INVALID_UTF8 = 'entity.invalid.utf8';
export const MALFORMED_JSON = 'entity.parse.failed';

const clientError = (message: string, type: string) => Object.assign(new Error(message), { status: 400, type });

/**
 * The body of a request whose headers passed unreadableBodyRefusal: JSON objects and arrays only
 * (a bare string, number or null is refused, as body-parser's strict mode did), an empty JSON
 * body sent with a Content-Length taken as `{}`, bytes that are not UTF-8 refused rather than
 * decoded into U+FFFD replacement characters and stored as if the client had sent them. A request
 * without a body (no Content-Length, not chunked) or of another media type (whose body the header
 * checks let through only empty) has none: undefined.
 */
export function parseJsonBody(headers: Record<string, string | string[] | undefined>, bytes: Buffer, maxDepth: number): unknown {
  if (headers['transfer-encoding'] === undefined && headers['content-length'] === undefined) return undefined;
  const contentType = headers['content-type'];
  if (typeof contentType !== 'string' || contentType.split(';')[0].trim().toLowerCase() !== 'application/json') return undefined;
  if (bytes.length === 0) return {};
  if (!isUtf8(bytes)) throw clientError('The request body is not valid UTF-8', INVALID_UTF8);
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!/^[ \t\n\r]*[{[]/.test(text)) throw clientError('The request body is not a JSON object or array', MALFORMED_JSON);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw clientError(error instanceof Error ? error.message : String(error), MALFORMED_JSON);
  }
  const refusal = unsafeJsonRefusal(body, maxDepth);
  if (refusal) throw refusal;
  return body;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}
