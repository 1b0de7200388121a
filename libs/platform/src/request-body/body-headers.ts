import { ProblemException } from '../errors/problem-exception';
import type { HttpRequest as Request, HttpResponse as Response, NextFunction } from '../http-types';

export interface BodyHeaderRules {
  /** Largest accepted body in bytes. */
  limitBytes: number;
}

const unsupported = (detail: string) => new ProblemException(415, 'UNSUPPORTED_MEDIA_TYPE', detail);

/**
 * Refuses, from its headers alone, a body the API will not read: too large by its Content-Length
 * (413 before a byte is parsed, so an oversized body costs what a small one does), compressed
 * (any Content-Encoding: no decompression bombs, no zlib errors), not JSON, or JSON in a charset
 * other than UTF-8 (body-parser's own refusals of these surfaced as 500s).
 */
export function refuseUnreadableBodies({ limitBytes }: BodyHeaderRules) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!hasBody(req)) return next();
    const length = Number(req.headers['content-length']);
    if (length > limitBytes) {
      return next(new ProblemException(413, 'PAYLOAD_TOO_LARGE', `The request body is ${length} bytes; at most ${limitBytes} are accepted`));
    }
    const encoding = headerValue(req, 'content-encoding')?.trim().toLowerCase();
    if (encoding && encoding !== 'identity') {
      return next(unsupported(`Content-Encoding "${encoding}" is not accepted: send the body uncompressed`));
    }
    const refusal = contentTypeRefusal(headerValue(req, 'content-type'));
    next(refusal ? unsupported(refusal) : undefined);
  };
}

/** Why the Content-Type is refused, or undefined for `application/json` with no charset or UTF-8. */
export function contentTypeRefusal(header: string | undefined): string | undefined {
  const [mediaType, ...parameters] = (header ?? '').split(';');
  if (mediaType.trim().toLowerCase() !== 'application/json') {
    return `The request body must be application/json, not ${JSON.stringify(header ?? '(none)')}`;
  }
  for (const parameter of parameters) {
    const eq = parameter.indexOf('=');
    const name = (eq < 0 ? parameter : parameter.slice(0, eq)).trim().toLowerCase();
    if (name !== 'charset') continue;
    const charset = eq < 0 ? '' : parameter.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase();
    // Only the registered name: `utf8` is a common alias, but accepting aliases invites latin1 next.
    if (charset !== 'utf-8') return `charset "${charset}" is not accepted: JSON bodies must be charset=utf-8`;
  }
  return undefined;
}

/** As body-parser decides it: a chunked body or a Content-Length above zero. */
function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

function headerValue(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
