import { z } from 'zod';

/** Shapes shared by the published events (one declaration each, so the schemas say the same everywhere). */

/** A business date (Asia/Tokyo), `YYYY-MM-DD`. */
export const BusinessDate = z.iso.date();

/** An instant, ISO 8601 in UTC (`2026-05-15T01:23:45.000Z`). */
export const Timestamp = z.iso.datetime();

/** A billing month, `YYYY-MM`. */
export const BillingMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);

/** Amounts are integer yen. */
export const Yen = z.int();

export const Quantity = z.int();
