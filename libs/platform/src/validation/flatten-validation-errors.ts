import { ValidationError } from 'class-validator';
import { FieldError } from '@lp/eventsourcing';

/** `lines` + `1` → `lines[1]`; `contact` + `email` → `contact.email`. */
export function childPath(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

/**
 * class-validator nests errors of @ValidateNested objects and arrays in `children`; clients need
 * one flat list naming every bad field, one entry per failed constraint.
 */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const path = childPath(parent, error.property);
    const own = Object.values(error.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });
}
