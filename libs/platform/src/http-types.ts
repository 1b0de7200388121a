import type { IncomingMessage, ServerResponse } from 'http';

/**
 * The few Fastify request/reply members the platform uses (what Nest hands guards, interceptors,
 * filters and `@Res()` handlers on @nestjs/platform-fastify). Structural, so the library stays
 * strict without importing Fastify's types everywhere.
 */
export interface HttpRequest {
  method: string;
  /** The request target as the client sent it, query included. */
  originalUrl: string;
  body?: unknown;
  /** The query string, parsed (a repeated name: an array of its values). */
  query?: unknown;
  headers: Record<string, string | string[] | undefined>;
  /** The route's pattern (`/orders/:id`); absent for a request no route matched. */
  routeOptions?: { url?: string };
  raw: IncomingMessage;
}

export interface HttpResponse {
  statusCode: number;
  /** The answer has been handed to Node (by reply.send, or the raw response has written its head). */
  sent: boolean;
  status(code: number): this;
  type(contentType: string): this;
  send(body?: unknown): this;
  header(name: string, value: string | number | readonly string[]): this;
  getHeader(name: string): string | number | string[] | undefined;
  getHeaders(): Record<string, string | number | string[] | undefined>;
  /** The handler writes the Node response itself (a stream): Fastify sends nothing. */
  hijack(): this;
  raw: ServerResponse;
}

/** A Fastify hook's callback: an error answers the request through the exception filter. */
export type HookDone = (error?: Error) => void;

/** A header's value as one string (repeated headers joined), case-insensitive name. */
export function headerOf(req: { headers: Record<string, string | string[] | undefined> }, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : value;
}
