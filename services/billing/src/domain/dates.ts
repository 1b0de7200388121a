/**
 * Calendar arithmetic on business dates ('YYYY-MM-DD') and billing months ('YYYY-MM').
 *
 * Billing dates are Japanese business dates, not instants: they are never turned into local-time
 * `Date`s (a server in another time zone would shift them by a day). Month arithmetic is plain
 * integer arithmetic; day arithmetic goes through `Date.UTC`, which has no time zone.
 * Zero-padded ISO strings sort like the dates they name, so comparisons are string comparisons.
 * Which days exist and day arithmetic come from the platform's one business-date module.
 */
import { addDays as addBusinessDays, isRealDate, lastDayOfMonth } from '@lp/platform/time';

/** A business date, 'YYYY-MM-DD'. */
export type IsoDate = string;
/** A billing month, 'YYYY-MM'. */
export type YearMonth = string;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** Gregorian: every 4th year, except centuries, except every 400th (2000 and 2400 leap, 2100 not). */
export function isLeapYear(year: number): boolean {
  return dayOf(lastDayOfMonth(`${pad(year, 4)}-02`)) === 29;
}


function parseMonth(month: YearMonth): { year: number; month: number } {
  const match = MONTH.exec(month);
  const parsed = match ? { year: Number(match[1]), month: Number(match[2]) } : undefined;
  if (!parsed || parsed.month < 1 || parsed.month > 12) throw new RangeError(`Not a month (YYYY-MM): ${month}`);
  return parsed;
}

function parseDate(date: IsoDate): { year: number; month: number; day: number } {
  const match = isRealDate(date) ? DATE.exec(date) : null;
  if (!match) throw new RangeError(`Not a date (YYYY-MM-DD): ${date}`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

const formatMonth = (year: number, month: number): YearMonth => `${pad(year, 4)}-${pad(month, 2)}`;

/** Throws a RangeError unless `date` is a real calendar date ('2026-02-29' is not). */
export function assertDate(date: IsoDate): IsoDate {
  parseDate(date);
  return date;
}

/** Throws a RangeError unless `month` is 'YYYY-MM' with a month 01–12. */
export function assertMonth(month: YearMonth): YearMonth {
  parseMonth(month);
  return month;
}

export function daysInMonth(month: YearMonth): number {
  return dayOf(lastDayOfMonth(assertMonth(month)));
}

export function monthOf(date: IsoDate): YearMonth {
  const { year, month } = parseDate(date);
  return formatMonth(year, month);
}

/** The day of the month, 1–31. */
export function dayOf(date: IsoDate): number {
  return parseDate(date).day;
}

export function firstDayOf(month: YearMonth): IsoDate {
  return `${assertMonth(month)}-01`;
}

export function lastDayOf(month: YearMonth): IsoDate {
  return `${month}-${pad(daysInMonth(month), 2)}`;
}

/** `month` moved by `count` months (negative: back); December + 1 is January of the next year. */
export function addMonths(month: YearMonth, count: number): YearMonth {
  const { year, month: m } = parseMonth(month);
  const index = year * 12 + (m - 1) + count;
  return formatMonth(Math.floor(index / 12), (index % 12) + 1);
}

/** How many months `to` is after `from` (negative when before): 2026-11 → 2027-02 is 3. */
export function monthsBetween(from: YearMonth, to: YearMonth): number {
  const a = parseMonth(from);
  const b = parseMonth(to);
  return (b.year - a.year) * 12 + (b.month - a.month);
}

export function addDays(date: IsoDate, count: number): IsoDate {
  return addBusinessDays(assertDate(date), count);
}

/** The 1st of the month on or after `date`: itself on a 1st, else the next month's 1st. */
export function firstOfMonthOnOrAfter(date: IsoDate): IsoDate {
  return dayOf(date) === 1 ? date : firstDayOf(addMonths(monthOf(date), 1));
}

/** The later of two dates (or of two months: the same string order holds). */
export function later<T extends string>(a: T, b: T): T {
  return a >= b ? a : b;
}

/** The earlier of two dates (or of two months). */
export function earlier<T extends string>(a: T, b: T): T {
  return a <= b ? a : b;
}

/** '2026-06' → '2026年6月', as on Japanese invoices (○月分). */
export function japaneseMonth(month: YearMonth): string {
  const { year, month: m } = parseMonth(month);
  return `${year}年${m}月`;
}
