import { isUtf8 } from 'buffer';
import { FieldError } from '@lp/eventsourcing';
import { ProblemException } from '../errors/problem-exception';
import type { HttpRequest as Request, HttpResponse as Response, NextFunction } from '../http-types';
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

/** Express middleware after the JSON parser: 400 for a body too deep, with malformed text or forbidden keys. */
export function refuseUnsafeJson({ maxDepth }: { maxDepth: number }) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (typeof req.body !== 'object' || req.body === null) return next();
    const { tooDeep, malformedText, forbiddenKeys } = inspectJson(req.body, maxDepth);
    if (tooDeep) {
      return next(new ProblemException(400, 'BODY_TOO_DEEP', `The request body nests deeper than ${maxDepth} levels`));
    }
    if (malformedText.length) {
      const errors: FieldError[] = malformedText.map((path) => ({ path, message: `${path} must be valid Unicode text (it holds a lone UTF-16 surrogate)` }));
      return next(new ProblemException(400, 'MALFORMED_TEXT', 'Some fields hold text that is not valid Unicode', errors));
    }
    if (forbiddenKeys.length) {
      // The same code and message as the validation pipe gives any other unknown field.
      const errors: FieldError[] = forbiddenKeys.map((path) => ({ path, message: `property ${path.split('.').pop()} should not exist` }));
      return next(new ProblemException(400, 'VALIDATION_FAILED', 'Some fields are invalid', errors));
    }
    next();
  };
}

export const INVALID_UTF8 = 'entity.invalid.utf8';

/**
 * body-parser's `verify`, on the raw bytes: bytes that are not UTF-8 would otherwise be decoded into
 * U+FFFD replacement characters and stored as if the client had sent them.
 */
export function refuseInvalidUtf8(_req: unknown, _res: unknown, body: Buffer): void {
  if (!isUtf8(body)) throw Object.assign(new Error('The request body is not valid UTF-8'), { status: 400, type: INVALID_UTF8 });
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}
