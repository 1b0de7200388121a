const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

/** `64kb` → 65536, as body-parser reads its `limit`; a number is taken as bytes. */
export function parseByteSize(size: string | number): number {
  if (typeof size === 'number') return size;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb)?\s*$/i.exec(size);
  if (!match) throw new Error(`Not a byte size: ${JSON.stringify(size)} (e.g. 64kb, 1mb, 4096)`);
  return Math.floor(Number(match[1]) * UNITS[(match[2] ?? 'b').toLowerCase()]);
}
