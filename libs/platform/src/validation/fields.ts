import { applyDecorators, Type as ClassType } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  BUSINESS_DATE_PATTERN,
  documentNumberPattern,
  DOMAIN_PATTERN,
  GUID_PATTERN,
  IsBusinessDate,
  IsDocumentNumber,
  IsDomainName,
  IsGuid,
  IsInstant,
  INSTANT_PATTERN,
  IsKatakana,
  IsMonth,
  IsNonBlank,
  IsPhoneNumber,
  IsPostalCode,
  KATAKANA_PATTERN,
  MONTH_PATTERN,
  NON_BLANK_PATTERN,
  PHONE_PATTERN,
  POSTAL_CODE_PATTERN,
  Trim,
} from './validators';
import { DeclareShape } from '../request-body/list-limits';

/*
 * One decorator per kind of field: the OpenAPI schema and the validation rules are declared
 * together from the same constants, so the document never promises what the server refuses.
 */

export interface FieldOptions {
  description?: string;
  example?: unknown;
  /** Absent (or null) is fine; a given value must still be valid. */
  optional?: boolean;
  /** What an absent optional field means. */
  default?: unknown;
}

/** Ids the platform draws are UUIDs; this bound only keeps absurd input out. */
export const MAX_ID_LENGTH = 100;
/** Seats on one line: far above any real order, far below unsafe integers. */
export const MAX_QUANTITY = 100_000;
/** Any amount of yen given by hand (100 billion yen); keeps sums well inside safe integers. */
export const MAX_YEN = 100_000_000_000;
export const MAX_EMAIL_LENGTH = 254;

function field(options: FieldOptions, schema: ApiPropertyOptions, ...rules: PropertyDecorator[]): PropertyDecorator {
  const { description, example, optional } = options;
  const documented = {
    ...schema,
    ...(description !== undefined && { description }),
    ...(example !== undefined && { example }),
    ...(options.default !== undefined && { default: options.default }),
    required: !optional,
  } as ApiPropertyOptions;
  return applyDecorators(ApiProperty(documented), ...(optional ? [IsOptional()] : []), ...rules);
}

/** Free text, trimmed; required text must have something besides blanks. */
export function TextField(options: FieldOptions & { maxLength: number }): PropertyDecorator {
  const { maxLength } = options;
  if (options.optional) return field(options, { type: 'string', maxLength }, Trim(), IsString(), MaxLength(maxLength));
  return field(options, { type: 'string', minLength: 1, maxLength, pattern: NON_BLANK_PATTERN }, Trim(), IsString(), IsNonBlank(), MaxLength(maxLength));
}

/** A reference to a resource by its id (unknown and others' ids answer 404, not 400). */
export const IdField = (options: FieldOptions = {}) => TextField({ ...options, maxLength: MAX_ID_LENGTH });

/** Several ids, each at most once. */
export function IdListField(options: FieldOptions & { minItems?: number; maxItems: number }): PropertyDecorator {
  const { minItems = 0, maxItems } = options;
  return field(
    options,
    {
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: MAX_ID_LENGTH, pattern: NON_BLANK_PATTERN },
      ...(minItems > 0 && { minItems }),
      maxItems,
      uniqueItems: true,
    },
    DeclareShape({ maxItems }),
    Trim(),
    IsArray(),
    ...(minItems > 0 ? [ArrayMinSize(minItems)] : []),
    ArrayMaxSize(maxItems),
    ArrayUnique(),
    IsString({ each: true }),
    IsNonBlank({ each: true }),
    MaxLength(MAX_ID_LENGTH, { each: true }),
  );
}

export const DateField = (options: FieldOptions = {}) =>
  field({ example: '2026-05-15', ...options }, { type: 'string', format: 'date', pattern: BUSINESS_DATE_PATTERN }, IsBusinessDate());

export const InstantField = (options: FieldOptions = {}) =>
  field({ example: '2026-05-15T09:30:00Z', ...options }, { type: 'string', format: 'date-time', pattern: INSTANT_PATTERN }, IsInstant());

export const MonthField = (options: FieldOptions = {}) =>
  field({ example: '2026-06', ...options }, { type: 'string', pattern: MONTH_PATTERN }, IsMonth());

export function IntField(options: FieldOptions & { min: number; max: number }): PropertyDecorator {
  const { min, max } = options;
  return field(options, { type: 'integer', minimum: min, maximum: max }, IsInt(), Min(min), Max(max));
}

export const BooleanField = (options: FieldOptions = {}) => field(options, { type: 'boolean' }, IsBoolean());

export const EnumField = (values: readonly string[], options: FieldOptions = {}) =>
  field(options, { type: 'string', enum: [...values] }, IsIn([...values], { message: `$property $value is not one of ${values.join(', ')}` }));

export const EmailField = (options: FieldOptions = {}) =>
  field(options, { type: 'string', format: 'email', maxLength: MAX_EMAIL_LENGTH }, Trim(), IsEmail(), MaxLength(MAX_EMAIL_LENGTH));

export const PhoneField = (options: FieldOptions = {}) =>
  field({ example: '03-1234-5678', ...options }, { type: 'string', pattern: PHONE_PATTERN }, Trim(), IsPhoneNumber());

export const PostalCodeField = (options: FieldOptions = {}) =>
  field({ example: '1000001', ...options }, { type: 'string', pattern: POSTAL_CODE_PATTERN }, Trim(), IsPostalCode());

export const KatakanaField = (options: FieldOptions & { maxLength: number }) =>
  field(options, { type: 'string', pattern: KATAKANA_PATTERN, maxLength: options.maxLength }, Trim(), IsKatakana(), MaxLength(options.maxLength));

export const GuidField = (options: FieldOptions = {}) =>
  field(options, { type: 'string', format: 'uuid', pattern: GUID_PATTERN }, Trim(), IsGuid());

export const DomainField = (options: FieldOptions = {}) =>
  field(options, { type: 'string', pattern: DOMAIN_PATTERN, maxLength: 253 }, Trim(), IsDomainName());

/** A number given by hand (`NOD`, `NCN` …); blank → the next number is drawn. */
export const DocumentNumberField = (prefix: string, options: FieldOptions = {}) =>
  field({ optional: true, ...options }, { type: 'string', pattern: documentNumberPattern(prefix) }, Trim(), IsDocumentNumber(prefix));

/** One nested object: an array or a string in its place is refused. */
export const NestedField = (type: ClassType<unknown>, options: FieldOptions = {}) =>
  field(options, { type }, DeclareShape({ type }), IsObject(), ValidateNested(), Type(() => type));

/** A list of nested objects; each item must be an object (not a list or a string). */
export function NestedListField(type: ClassType<unknown>, options: FieldOptions & { minItems?: number; maxItems: number }): PropertyDecorator {
  const { minItems = 0, maxItems } = options;
  return field(
    options,
    { type: [type], ...(minItems > 0 && { minItems }), maxItems },
    DeclareShape({ maxItems, type }),
    IsArray(),
    ...(minItems > 0 ? [ArrayMinSize(minItems)] : []),
    ArrayMaxSize(maxItems),
    IsObject({ each: true }),
    ValidateNested({ each: true }),
    Type(() => type),
  );
}
