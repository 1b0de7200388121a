import { buildMessage, ValidateBy, ValidationOptions } from 'class-validator';
import { isRealDate, isRealMonth } from '../time/tokyo';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const POSTAL_CODE = /^\d{3}-?\d{4}$/;
// Full-width katakana block (incl. ヴ, small kana, ー and the middle dot) plus half/full-width spaces.
const KATAKANA = /^[\u30A0-\u30FF\u3000 ]+$/;
const PHONE_CHARS = /^\d[\d-]*\d$/;

function stringRule(
  name: string,
  test: (value: string) => boolean,
  message: string,
  options?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && test(value),
        defaultMessage: buildMessage((each) => `${each}$property ${message}`, options),
      },
    },
    options,
  );
}

/** A real calendar date 'YYYY-MM-DD' (2026-02-30 is refused). */
export const IsBusinessDate = (options?: ValidationOptions) =>
  stringRule('isBusinessDate', isRealDate, 'must be a real date formatted YYYY-MM-DD', options);

/** A month 'YYYY-MM'. */
export const IsMonth = (options?: ValidationOptions) =>
  stringRule('isMonth', isRealMonth, 'must be a month formatted YYYY-MM', options);

/** A GUID such as a Microsoft tenant id (any version, case-insensitive). */
export const IsGuid = (options?: ValidationOptions) =>
  stringRule('isGuid', (value) => GUID.test(value), 'must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)', options);

/** A Japanese postal code: 7 digits, '1234567' or '123-4567'. */
export const IsPostalCode = (options?: ValidationOptions) =>
  stringRule('isPostalCode', (value) => POSTAL_CODE.test(value), 'must be a postal code of 7 digits (1234567 or 123-4567)', options);

/** Full-width katakana (for furigana fields); spaces and ー allowed. */
export const IsKatakana = (options?: ValidationOptions) =>
  stringRule('isKatakana', (value) => value.trim() !== '' && KATAKANA.test(value), 'must be full-width katakana', options);

/** A Japanese phone number: digits and hyphens, 10 or 11 digits. */
export const IsPhoneNumber = (options?: ValidationOptions) =>
  stringRule(
    'isJapanesePhoneNumber',
    (value) => PHONE_CHARS.test(value) && !value.includes('--') && /^\d{10,11}$/.test(value.replace(/-/g, '')),
    'must be a phone number of 10 or 11 digits (hyphens allowed)',
    options,
  );
