import type { INestApplication } from '@nestjs/common';

export interface ServedRoute {
  method: string;
  /** The pattern, as in `GET /orders/:id`. */
  path: string;
}

const ROUTES = new WeakMap<object, ServedRoute[]>();

/** Records the routes Fastify is given from now on (configureHttpApp calls it before Nest registers any). */
export function recordServedRoutes(fastify: { addHook(name: 'onRoute', hook: (route: { method: string | string[]; url: string }) => void): unknown }): void {
  const routes: ServedRoute[] = [];
  ROUTES.set(fastify, routes);
  fastify.addHook('onRoute', ({ method, url }) => {
    // HEAD is answered for every GET route (Fastify adds it), as it always was: not a route of its own.
    for (const one of Array.isArray(method) ? method : [method]) if (one !== 'HEAD') routes.push({ method: one, path: url });
  });
}

/** Every route the app serves: its controllers', the probes', and Swagger UI's. */
export function servedRoutes(app: INestApplication): ServedRoute[] {
  return [...(ROUTES.get(app.getHttpAdapter().getInstance()) ?? [])];
}
