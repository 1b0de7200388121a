import { ProblemException } from '../errors/problem-exception';
import { headerOf, HttpRequest } from '../http-types';

export interface BodyHeaderRules {
  /** Largest accepted body in bytes. */
  limitBytes: number;
}

const unsupported = (detail: string) => new ProblemException(415, 'UNSUPPORTED_MEDIA_TYPE', detail);

/**
 * Why, from its headers alone, the API will not read a body: too large by its Content-Length
 * (413 before a byte is parsed, so an oversized body costs what a small one does), compressed
 * (any Content-Encoding: no decompression bombs, no zlib errors), not JSON, or JSON in a charset
 * other than UTF-8. Undefined for a request without a body or with one the JSON parser takes.
 */
export function unreadableBodyRefusal(req: Pick<HttpRequest, 'headers'>, { limitBytes }: BodyHeaderRules): ProblemException | undefined {
  if (!hasBody(req)) return undefined;
  const length = Number(req.headers['content-length']);
  if (length > limitBytes) {
    return new ProblemException(413, 'PAYLOAD_TOO_LARGE', `The request body is ${length} bytes; at most ${limitBytes} are accepted`);
  }
  const encoding = headerOf(req, 'content-encoding')?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    return unsupported(`Content-Encoding "${encoding}" is not accepted: send the body uncompressed`);
  }
  const refusal = contentTypeRefusal(headerOf(req, 'content-type'));
  return refusal ? unsupported(refusal) : undefined;
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

/** A chunked body or a Content-Length above zero. */
function hasBody(req: Pick<HttpRequest, 'headers'>): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}
