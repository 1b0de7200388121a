import type { HttpRequest, HttpResponse, HookDone } from '../http-types';

const ROUTED = Symbol('routed');

/**
 * preHandler hook: the request got past the edge's own checks (ids, body headers, parsing) to its
 * route's handler. Fastify matches the route before those checks run, but a request they refuse
 * was never served by the route: it is counted and checked as unmatched, as before the route ran.
 */
export function markRouted(req: HttpRequest, _reply: HttpResponse, done: HookDone): void {
  (req as HttpRequest & { [ROUTED]?: boolean })[ROUTED] = true;
  done();
}

/** The pattern of the route that served the request (`/orders/:id`), or undefined if none did. */
export function routePatternOf(req: Partial<Pick<HttpRequest, 'routeOptions'>>): string | undefined {
  return (req as { [ROUTED]?: boolean })[ROUTED] ? req.routeOptions?.url : undefined;
}
