import { Transform } from 'class-transformer';
import { buildMessage, ValidateBy, ValidationOptions } from 'class-validator';

/*
 * Each rule is one regular expression, written so that ECMAScript (this server) and Python (the
 * generators that read our OpenAPI document) read it the same way: explicit [0-9] instead of \d
 * (Python's \d matches every Unicode digit), an explicit list of blank characters instead of \s
 * (the two languages disagree on a few). The same string is the schema's `pattern`, so a value the
 * document calls valid is one the server accepts.
 */

/** Business dates and months lie within 2000-01-01 … 2099-12-31 (no year 0000 or 9999 typos). */
export const FIRST_BUSINESS_DATE = '2000-01-01';
export const LAST_BUSINESS_DATE = '2099-12-31';

const YEAR = '20[0-9]{2}';
// Leap years 2000–2099 are exactly the multiples of 4 (2000 is divisible by 400).
const LEAP_YEAR = '20([02468][048]|[13579][26])';
const MONTH_DAY =
  '((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))';

/** A real calendar day 'YYYY-MM-DD' in 2000–2099: 2026-02-30 and 2025-02-29 do not match, 2024-02-29 does. */
export const BUSINESS_DATE_PATTERN = `^(${YEAR}-${MONTH_DAY}|${LEAP_YEAR}-02-29)$`;
/**
 * An instant 'YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)' (RFC 3339, upper-case T and Z) on a real day
 * of 2000–2099; no leap second, which JavaScript dates cannot hold.
 */
export const INSTANT_PATTERN = `^(${YEAR}-${MONTH_DAY}|${LEAP_YEAR}-02-29)T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$`;
/** A month 'YYYY-MM' in 2000–2099. */
export const MONTH_PATTERN = `^${YEAR}-(0[1-9]|1[0-2])$`;
export const GUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
export const POSTAL_CODE_PATTERN = '^[0-9]{3}-?[0-9]{4}$';
/** 10 or 11 digits, single hyphens between digits: 03-1234-5678, 09012345678. */
export const PHONE_PATTERN = '^([0-9]-?){9,10}[0-9]$';
// Full-width katakana block (incl. ヴ, small kana, ー and the middle dot), with half/full-width spaces between.
const KANA = '\\u30A0-\\u30FF';
export const KATAKANA_PATTERN = `^[${KANA}\\u3000 ]*[${KANA}][${KANA}\\u3000 ]*$`;
export const DOMAIN_PATTERN = '^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\\.)+[a-zA-Z]{2,63}$';

/** Every character either language calls white space (JS trim() and Python's \s, both). */
const BLANK = ' \\t\\n\\r\\f\\v\\u001c-\\u001f\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
/** At least one character that is not blank. */
export const NON_BLANK_PATTERN = `[^${BLANK}]`;
const EDGE_BLANKS = new RegExp(`^[${BLANK}]+|[${BLANK}]+$`, 'g');

/** `NOD` + yyyyMM (2000-01 … 2099-12) + `-` + 10 digits, or blank (→ the next number is drawn). */
export function documentNumberPattern(prefix: string): string {
  return `^(${prefix}${YEAR}(0[1-9]|1[0-2])-[0-9]{10})?$`;
}

export function trimBlanks(value: string): string {
  return value.replace(EDGE_BLANKS, '');
}

function patternRule(name: string, pattern: string, message: string, options?: ValidationOptions): PropertyDecorator {
  const regex = new RegExp(pattern);
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && regex.test(value),
        defaultMessage: buildMessage((each) => `${each}$property ${message}`, options),
      },
    },
    options,
  );
}

/** Strings lose their leading and trailing blanks before they are validated (and stored). */
export const Trim = (): PropertyDecorator =>
  Transform(({ value }) => {
    if (typeof value === 'string') return trimBlanks(value);
    if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? trimBlanks(item) : item));
    return value;
  });

/** A string with something in it besides blanks. */
export const IsNonBlank = (options?: ValidationOptions) => patternRule('isNonBlank', NON_BLANK_PATTERN, 'must not be blank', options);

/** A real date 'YYYY-MM-DD' within 2000-01-01 … 2099-12-31 (2026-02-30 is refused). */
export const IsBusinessDate = (options?: ValidationOptions) =>
  patternRule('isBusinessDate', BUSINESS_DATE_PATTERN, `must be a real date formatted YYYY-MM-DD between ${FIRST_BUSINESS_DATE} and ${LAST_BUSINESS_DATE}`, options);

/** An ISO 8601 instant such as 2026-05-15T09:30:00Z (see INSTANT_PATTERN). */
export const IsInstant = (options?: ValidationOptions) =>
  patternRule('isInstant', INSTANT_PATTERN, 'must be an ISO 8601 instant such as 2026-05-15T09:30:00Z (UTC Z or an offset like +09:00) between 2000 and 2099', options);

/** A month 'YYYY-MM' within 2000-01 … 2099-12. */
export const IsMonth = (options?: ValidationOptions) =>
  patternRule('isMonth', MONTH_PATTERN, 'must be a month formatted YYYY-MM between 2000-01 and 2099-12', options);

/** A GUID such as a Microsoft tenant id (any version, case-insensitive). */
export const IsGuid = (options?: ValidationOptions) =>
  patternRule('isGuid', GUID_PATTERN, 'must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)', options);

/** A Japanese postal code: 7 digits, '1234567' or '123-4567'. */
export const IsPostalCode = (options?: ValidationOptions) =>
  patternRule('isPostalCode', POSTAL_CODE_PATTERN, 'must be a postal code of 7 digits (1234567 or 123-4567)', options);

/** Full-width katakana (for furigana fields); spaces and ー allowed. */
export const IsKatakana = (options?: ValidationOptions) => patternRule('isKatakana', KATAKANA_PATTERN, 'must be full-width katakana', options);

/** A Japanese phone number: digits and hyphens, 10 or 11 digits. */
export const IsPhoneNumber = (options?: ValidationOptions) =>
  patternRule('isJapanesePhoneNumber', PHONE_PATTERN, 'must be a phone number of 10 or 11 digits (hyphens allowed)', options);

/** A host name such as contoso.onmicrosoft.com. */
export const IsDomainName = (options?: ValidationOptions) => patternRule('isDomainName', DOMAIN_PATTERN, 'must be a domain name', options);

/** A document number given by hand (domain.md, Numbers): `<prefix>yyyyMM-##########`, or blank. */
export const IsDocumentNumber = (prefix: string, options?: ValidationOptions) =>
  patternRule('isDocumentNumber', documentNumberPattern(prefix), `must be formatted ${prefix}yyyyMM-########## (10 digits) with a month 2000-01 … 2099-12`, options);
