import type { NextFunction, Request, Response } from 'express';
import { fileUnder, pathOf } from './console-files';

/** Paths that stay the server's own even for a browser asking for HTML (Swagger UI, probes, ops). */
const SERVER_PAGES = /^\/(docs|asyncapi\.json|health|metrics|ops)(\/|$|-)/;

/** A browser navigating (Accept: text/html), as opposed to the console's fetch() or curl asking for JSON. */
const wantsPage = (req: Request) => /\btext\/html\b/.test(String(req.headers.accept ?? ''));

/**
 * The console's files and its client-side routes on the API's port: a file of the build is served as
 * is (hashed assets cached for good); any other GET from a browser that wants a page gets index.html,
 * so a reload of /orders/<id> shows the screen while the same path asked for JSON stays the API, and
 * an unknown path asked for by curl keeps its problem+json 404.
 */
export function serveConsole(consoleDir: string) {
  const index = `${consoleDir}/index.html`;
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const path = pathOf(req);
    if (path.startsWith('/assets/')) {
      const file = fileUnder(consoleDir, path);
      if (!file) return next();
      return res.sendFile(file, { maxAge: '365d', immutable: true });
    }
    // `/` is no API path: the start page for anyone, curl included, so a newcomer's first request finds the console.
    if ((!wantsPage(req) && path !== '/') || SERVER_PAGES.test(path)) return next();
    const file = path !== '/' && fileUnder(consoleDir, path);
    // index.html names the hashed assets of the current build: never cached.
    return res.sendFile(file || index, { headers: { 'Cache-Control': 'no-cache' } });
  };
}
