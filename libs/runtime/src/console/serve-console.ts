import send from '@fastify/send';
import type { IncomingMessage, ServerResponse } from 'http';
import { fileUnder, pathOf } from './console-files';

/** What the console's handlers are handed (see ConsoleModule): the Node request, with the target as sent, and response. */
export type MiddlewareRequest = IncomingMessage & { originalUrl: string };
export type Next = (error?: unknown) => void;

/** Paths that stay the server's own even for a browser asking for HTML (Swagger UI, probes, ops). */
const SERVER_PAGES = /^\/(docs|asyncapi\.json|health|metrics|ops)(\/|$|-)/;

/** A browser navigating (Accept: text/html), as opposed to the console's fetch() or curl asking for JSON. */
const wantsPage = (req: IncomingMessage) => /\btext\/html\b/.test(String(req.headers.accept ?? ''));

const YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * The console's files and its client-side routes on the API's port: a file of the build is served as
 * is (hashed assets cached for good); any other GET from a browser that wants a page gets index.html,
 * so a reload of /orders/<id> shows the screen while the same path asked for JSON stays the API, and
 * an unknown path asked for by curl keeps its problem+json 404.
 */
export function serveConsole(consoleDir: string) {
  return async (req: MiddlewareRequest, res: ServerResponse, next: Next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const path = pathOf(req);
    if (path.startsWith('/assets/')) {
      if (!fileUnder(consoleDir, path)) return next();
      return sendFile(req, res, next, consoleDir, path, { maxAge: YEAR_MS, immutable: true });
    }
    // `/` is no API path: the start page for anyone, curl included, so a newcomer's first request finds the console.
    if ((!wantsPage(req) && path !== '/') || SERVER_PAGES.test(path)) return next();
    const file = path !== '/' && fileUnder(consoleDir, path);
    // index.html names the hashed assets of the current build: never cached.
    res.setHeader('Cache-Control', 'no-cache');
    return sendFile(req, res, next, consoleDir, file ? path : '/index.html', { cacheControl: false });
  };
}

/**
 * Sends a file under root named by a URL path (ETag, Last-Modified, ranges and 304s included). A
 * failure to read it goes to `next`, the app's problem+json answer, not to an unhandled rejection.
 */
async function sendFile(req: IncomingMessage, res: ServerResponse, next: Next, root: string, urlPath: string, options: { maxAge?: number; immutable?: boolean; cacheControl?: boolean }) {
  let sent;
  try {
    sent = await send(req, urlPath, { root, ...options });
  } catch (error) {
    return next(error);
  }
  const { statusCode, headers, stream } = sent;
  // JavaScript's registered type (RFC 9239), as the console's scripts have always been served.
  if (urlPath.endsWith('.js') && headers['Content-Type']) headers['Content-Type'] = 'text/javascript; charset=utf-8';
  res.writeHead(statusCode, headers as Record<string, string>);
  stream.pipe(res);
}
