import type { Type as ClassType } from '@nestjs/common';
import { FieldError } from '@lp/eventsourcing';
import { childPath } from '../validation/flatten-validation-errors';

/** What a DTO property declares about its shape: the longest list it takes, and the DTO of its objects. */
interface DeclaredShape {
  maxItems?: number;
  type?: ClassType<unknown>;
}

// Filled by the field decorators (validation/fields.ts) as the DTO classes load.
const SHAPES = new WeakMap<object, Map<string, DeclaredShape>>();

/** Property decorator: records a list limit and/or nested DTO so `oversizedLists` can read it. */
export function DeclareShape(shape: DeclaredShape): PropertyDecorator {
  return (target, property) => {
    const own = SHAPES.get(target) ?? new Map<string, DeclaredShape>();
    own.set(String(property), { ...own.get(String(property)), ...shape });
    SHAPES.set(target, own);
  };
}

/** The declared shapes of a DTO class, its base classes' included (a subclass overrides). */
function shapesOf(dto: ClassType<unknown>): Map<string, DeclaredShape> {
  const shapes = new Map<string, DeclaredShape>();
  const chain: object[] = [];
  for (let proto = dto.prototype as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) chain.unshift(proto);
  for (const proto of chain) for (const [property, shape] of SHAPES.get(proto) ?? []) shapes.set(property, shape);
  return shapes;
}

/**
 * Every list in a plain (not yet transformed) body that is longer than its DTO allows, following
 * nested DTOs. Only the declared properties are visited and no list beyond its limit, so the cost
 * does not grow with what an oversized body holds: building and validating 1,700 order lines as
 * objects costs tens of milliseconds per request, this check microseconds.
 */
export function oversizedLists(body: unknown, dto: ClassType<unknown>, path = ''): FieldError[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [];
  const found: FieldError[] = [];
  for (const [property, { maxItems, type }] of shapesOf(dto)) {
    if (!Object.prototype.hasOwnProperty.call(body, property)) continue;
    const value = (body as Record<string, unknown>)[property];
    const at = childPath(path, property);
    if (Array.isArray(value)) {
      if (maxItems !== undefined && value.length > maxItems) {
        found.push({ path: at, message: `${property} must contain no more than ${maxItems} elements (it holds ${value.length})` });
      } else if (type) {
        value.forEach((item, index) => found.push(...oversizedLists(item, type, childPath(at, String(index)))));
      }
    } else if (type) {
      found.push(...oversizedLists(value, type, at));
    }
  }
  return found;
}
