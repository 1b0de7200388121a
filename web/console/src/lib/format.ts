export const yen = (amount: number | null | undefined) => (amount === null || amount === undefined ? '' : `${amount.toLocaleString('ja-JP')}円`);

/** An instant in Japan's time, as the seeds show it: 2021-07-20 10:26:16. */
export function dateTime(instant: string | null | undefined): string {
  if (!instant) return '';
  const parts = new Intl.DateTimeFormat('ja-JP', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).formatToParts(new Date(instant));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')}`;
}

/** Today in Asia/Tokyo (business dates), YYYY-MM-DD. */
export const todayInTokyo = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo' }).format(new Date());

const TERMS: Record<string, string> = { monthly: '月間契約', annual: '年間契約', 'one-time': '買い切り', usage: '従量課金', P1M: '月間契約', P1Y: '年間契約' };
export const termLabel = (term: string | undefined) => (term ? (TERMS[term] ?? term) : '');
