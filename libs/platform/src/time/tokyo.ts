// The two functions' own modules: date-fns-tz's index (and its formatInTimeZone) loads all of date-fns,
// ~300 files and ~50 ms of every start, for a format this file writes itself.
// (Required by subpath: this project's TypeScript resolution does not read package exports.)
import type * as DateFnsTz from 'date-fns-tz';
const { fromZonedTime } = require('date-fns-tz/fromZonedTime') as Pick<typeof DateFnsTz, 'fromZonedTime'>;
const { toZonedTime } = require('date-fns-tz/toZonedTime') as Pick<typeof DateFnsTz, 'toZonedTime'>;

/** Business dates are Asia/Tokyo calendar dates 'YYYY-MM-DD' (docs/api.md). */
export const TOKYO = 'Asia/Tokyo';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

/** Today's business date for an instant (2026-05-14T15:00:00Z is 2026-05-15 in Tokyo). */
export function todayInTokyo(now: Date): string {
  // Every command asks; formatting is costly, and the answer only changes once a day.
  const key = Math.floor(now.getTime() / 60_000);
  if (key !== lastToday.minute) lastToday = { minute: key, date: localDateOf(toZonedTime(now, TOKYO)) };
  return lastToday.date;
}
let lastToday = { minute: Number.NaN, date: '' };

/** 'YYYY-MM-DD' of a date's local fields (toZonedTime sets them to the zone's wall clock, as formatInTimeZone does). */
function localDateOf(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/** 'YYYY-MM-DD' naming a day that exists (no 2026-02-30, no 2026-13-01). */
export function isRealDate(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** 'YYYY-MM' with a month 01–12. */
export function isRealMonth(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const match = MONTH.exec(value);
  return !!match && Number(match[2]) >= 1 && Number(match[2]) <= 12;
}

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one; UTC avoids any local-zone surprise.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function assertDate(date: string): [number, number, number] {
  if (!isRealDate(date)) throw new RangeError(`Not a date YYYY-MM-DD: ${String(date)}`);
  return date.split('-').map(Number) as [number, number, number];
}

function formatUtcDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** '2026-05-14' → '202605' (month keys of invoice numbers and billing runs). */
export function monthKey(date: string): string {
  const [year, month] = assertDate(date);
  return `${year}${String(month).padStart(2, '0')}`;
}

/** '2026-05-14' → '2026-05'. */
export function monthOf(date: string): string {
  assertDate(date);
  return date.slice(0, 7);
}

/** Calendar arithmetic on business dates (no time zone involved: a date is a date). */
export function addDays(date: string, days: number): string {
  const [year, month, day] = assertDate(date);
  return formatUtcDate(new Date(Date.UTC(year, month - 1, day + days)));
}

/** '2026-02-10' → '2026-02-28'. Also accepts a month 'YYYY-MM'. */
export function lastDayOfMonth(dateOrMonth: string): string {
  const [year, month] = isRealMonth(dateOrMonth) ? dateOrMonth.split('-').map(Number) : assertDate(dateOrMonth);
  return `${year}-${String(month).padStart(2, '0')}-${String(daysInMonth(year, month)).padStart(2, '0')}`;
}

/** '2026-02-10' → '2026-02-01'. Also accepts a month 'YYYY-MM'. */
export function firstDayOfMonth(dateOrMonth: string): string {
  if (isRealMonth(dateOrMonth)) return `${dateOrMonth}-01`;
  return `${monthOf(dateOrMonth)}-01`;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const [y1, m1, d1] = assertDate(from);
  const [y2, m2, d2] = assertDate(to);
  return Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / 86_400_000);
}

/** The instant a Tokyo business day starts ('2026-05-15' → 2026-05-14T15:00:00Z). */
export function startOfTokyoDay(date: string): Date {
  assertDate(date);
  return fromZonedTime(`${date}T00:00:00`, TOKYO);
}
