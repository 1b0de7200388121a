import { ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { ProblemException } from '../errors/problem-exception';
import { flattenValidationErrors } from './flatten-validation-errors';

/**
 * The platform's input validation: unknown fields are errors (not silently dropped, so a typo in
 * a field name is noticed), payloads become DTO instances, and the 400 lists every bad field.
 */
export function createValidationPipe(options: ValidationPipeOptions = {}): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new ProblemException(400, 'VALIDATION_FAILED', 'Some fields are invalid', flattenValidationErrors(errors)),
    ...options,
  });
}
