import { ArgumentMetadata, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { ProblemException } from '../errors/problem-exception';
import { oversizedLists } from '../request-body/list-limits';
import { flattenValidationErrors } from './flatten-validation-errors';
import { keepValidationRules } from './metadata-cache';

/** The detail of a refusal for lists over their limit, made before the body became objects. */
export const OVERSIZED_LISTS_DETAIL = 'Some lists hold more items than allowed; the rest of the body was not checked';

/**
 * Refuses lists longer than the DTO allows while the body is still plain JSON: class-transformer
 * and class-validator would otherwise build and check every item of a list that is refused anyway.
 */
class PlatformValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype) {
      const errors = oversizedLists(value, metadata.metatype);
      if (errors.length) throw new ProblemException(400, 'VALIDATION_FAILED', OVERSIZED_LISTS_DETAIL, errors);
    }
    return super.transform(value, metadata);
  }
}

/**
 * The platform's input validation: unknown fields are errors (not silently dropped, so a typo in
 * a field name is noticed), payloads become DTO instances, and the 400 lists every bad field.
 */
export function createValidationPipe(options: ValidationPipeOptions = {}): ValidationPipe {
  keepValidationRules();
  return new PlatformValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new ProblemException(400, 'VALIDATION_FAILED', 'Some fields are invalid', flattenValidationErrors(errors)),
    ...options,
  });
}
