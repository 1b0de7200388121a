import { FieldError } from '@lp/eventsourcing';
import { ProblemException } from '../errors/problem-exception';
import type { HttpRequest as Request, HttpResponse as Response, NextFunction } from '../http-types';
import { childPath } from '../validation/flatten-validation-errors';

export interface JsonShape {
  /** Nesting deeper than the limit: the value was not walked any further. */
  tooDeep: boolean;
  /** Paths of strings (values or keys) holding a lone UTF-16 surrogate, which is not Unicode text. */
  malformedText: string[];
}

/**
 * Walks a parsed body without recursion (deep nesting is exactly what overflows the stack of the
 * validators and serialisers further on) and stops at the first level deeper than maxDepth.
 */
export function inspectJson(body: unknown, maxDepth: number): JsonShape {
  const malformedText: string[] = [];
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: body, path: '', depth: 0 }];
  while (pending.length) {
    const { value, path, depth } = pending.pop()!;
    if (typeof value === 'string') {
      if (!isWellFormed(value)) malformedText.push(path || '(body)');
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= maxDepth) return { tooDeep: true, malformedText };
    for (const [key, child] of Object.entries(value)) {
      const childAt = childPath(path, key);
      if (!isWellFormed(key)) malformedText.push(childAt);
      pending.push({ value: child, path: childAt, depth: depth + 1 });
    }
  }
  return { tooDeep: false, malformedText: malformedText.reverse() };
}

/** Express middleware after the JSON parser: 400 for a body too deep or with malformed text. */
export function refuseUnsafeJson({ maxDepth }: { maxDepth: number }) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (typeof req.body !== 'object' || req.body === null) return next();
    const { tooDeep, malformedText } = inspectJson(req.body, maxDepth);
    if (tooDeep) {
      return next(new ProblemException(400, 'BODY_TOO_DEEP', `The request body nests deeper than ${maxDepth} levels`));
    }
    if (malformedText.length) {
      const errors: FieldError[] = malformedText.map((path) => ({ path, message: `${path} must be valid Unicode text (it holds a lone UTF-16 surrogate)` }));
      return next(new ProblemException(400, 'MALFORMED_TEXT', 'Some fields hold text that is not valid Unicode', errors));
    }
    next();
  };
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}
