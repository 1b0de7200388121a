import { createHash } from 'crypto';
import type { HttpRequest, HttpResponse } from '../http-types';

/**
 * The weak ETag of a body, as it has always been computed (byte length and SHA-1, the `etag`
 * package's form), so that a client's cached tag still matches after the move to Fastify.
 */
export function weakEtag(body: string | Buffer): string {
  const length = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
  const hash = createHash('sha1').update(body).digest('base64').substring(0, 27);
  return `W/"${length.toString(16)}-${hash}"`;
}

/** Only a GET or HEAD can be asked again with If-None-Match: only their answers carry an ETag. */
export const isTaggedMethod = (method: string) => method === 'GET' || method === 'HEAD';

const NO_CACHE = /(?:^|,)\s*?no-cache\s*?(?:,|$)/;

/** If-None-Match names the answer's tag (or `*`), and the request does not ask to bypass caches. */
function isFresh(headers: HttpRequest['headers'], etag: string): boolean {
  const noneMatch = headers['if-none-match'];
  if (typeof noneMatch !== 'string' || !noneMatch) return false;
  const cacheControl = headers['cache-control'];
  if (typeof cacheControl === 'string' && NO_CACHE.test(cacheControl)) return false;
  if (noneMatch.trim() === '*') return true;
  return noneMatch.split(',').some((tag) => {
    const match = tag.trim();
    return match === etag || match === `W/${etag}` || `W/${match}` === etag;
  });
}

/**
 * onSend hook: a text body says it is UTF-8 (Swagger UI's page too, not only JSON); the answer to a
 * GET or HEAD with a body gets its weak ETag, and is answered 304 without the body when the
 * request's If-None-Match names it. A command's answer gets no ETag: no conditional request can use
 * it, and hashing every answer cost as much as a small request's routing. Streams (the event
 * export, files) are left alone.
 */
export function answerHeadersHook(req: HttpRequest, reply: HttpResponse & { removeHeader(name: string): unknown }, payload: unknown, done: (error: Error | null, payload?: unknown) => void): void {
  // Fastify closes the connection after any body it refused, in case the client is still sending it;
  // a body that was read whole leaves it open for the client's next request, as it always did.
  if (req.raw.complete && reply.getHeader('connection') === 'close') reply.removeHeader('connection');
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return done(null, payload);
  const type = reply.getHeader('content-type');
  if (typeof payload === 'string' && typeof type === 'string' && !/;\s*charset=/i.test(type)) reply.header('Content-Type', `${type}; charset=utf-8`);
  if (!isTaggedMethod(req.method)) return done(null, payload);
  let etag = reply.getHeader('etag');
  if (etag === undefined) {
    etag = weakEtag(payload);
    reply.header('ETag', etag);
  }
  const status = reply.statusCode;
  if (((status >= 200 && status < 300) || status === 304) && isFresh(req.headers, String(etag))) {
    reply.status(304);
    for (const name of ['content-type', 'content-length', 'transfer-encoding']) reply.removeHeader(name);
    return done(null, '');
  }
  done(null, payload);
}
