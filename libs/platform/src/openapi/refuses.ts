import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ApiExtension } from '@nestjs/swagger';

/** The problem codes a handler may answer, by HTTP status: `{ 404: ['CONTRACT_NOT_FOUND'], 409: [...] }`. */
export type RefusalCodes = Partial<Record<number, readonly string[]>>;

/** Where the declared codes travel from the handler into its OpenAPI operation (removed once read). */
export const REFUSALS_EXTENSION = 'x-refusals';
const REFUSALS_METADATA = Symbol('refusals');

/** Every handler @Refuses was put on, so the checker can find a route's declaration from its path. */
const declaredHandlers: { controller: object; handler: string | symbol }[] = [];

/**
 * Declares which problem `code`s a handler may answer, besides the platform's own (auth, body
 * checks, validation, idempotency, store: see platform-refusals.ts). The OpenAPI document lists
 * exactly these per status, and with CHECK_DECLARED_PROBLEMS set an undeclared answer fails loudly.
 */
export function Refuses(codes: RefusalCodes): MethodDecorator {
  const normalized = normalize(codes);
  const extension = ApiExtension(REFUSALS_EXTENSION, normalized);
  return (target, key, descriptor) => {
    Reflect.defineMetadata(REFUSALS_METADATA, normalized, descriptor.value as object);
    declaredHandlers.push({ controller: target.constructor, handler: key });
    extension(target, key, descriptor);
  };
}

function normalize(codes: RefusalCodes): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [status, list] of Object.entries(codes)) {
    const number = Number(status);
    if (!Number.isInteger(number) || number < 400 || number > 499) throw new Error(`@Refuses: ${status} is not a 4xx status`);
    result[status] = [...new Set(list ?? [])].sort();
  }
  return result;
}

export function refusalsOf(handler: object): Record<string, string[]> | undefined {
  return Reflect.getMetadata(REFUSALS_METADATA, handler);
}

/** `POST /contracts/:id/confirm` → what its handler declared; undefined for a handler without @Refuses. */
export function declaredRefusalsByRoute(): Map<string, Record<string, string[]>> {
  const routes = new Map<string, Record<string, string[]>>();
  for (const { controller, handler } of declaredHandlers) {
    const method = (controller as { prototype: Record<string | symbol, object> }).prototype[handler];
    const verb = RequestMethod[Reflect.getMetadata(METHOD_METADATA, method) as RequestMethod];
    for (const base of asList(Reflect.getMetadata(PATH_METADATA, controller))) {
      for (const path of asList(Reflect.getMetadata(PATH_METADATA, method))) {
        routes.set(routeKey(verb, joinPath(base, path)), refusalsOf(method)!);
      }
    }
  }
  return routes;
}

export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

const asList = (value: unknown): string[] => (Array.isArray(value) ? value : [typeof value === 'string' ? value : '']);

function joinPath(...parts: string[]): string {
  const joined = parts
    .flatMap((part) => part.split('/'))
    .filter(Boolean)
    .join('/');
  return `/${joined}`;
}
