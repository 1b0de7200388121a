import { getSession, signOut } from './auth';
import { Problem } from './messages';

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

/** One call to the public HTTP API with the signed-in user's token; a refusal throws a Problem. */
export async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const session = getSession();
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(session ? { Authorization: `Bearer ${session.token}` } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new Problem(0, { title: 'サーバーに接続できません。ネットワークを確認してください。' });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = { title: text.slice(0, 200) };
  }
  if (!response.ok) {
    if (response.status === 401 && session) signOut();
    throw new Problem(response.status, (json ?? {}) as object);
  }
  return json as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}) => api<T>('POST', path, body);

/** A query string of the given, non-empty parameters. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Every page of a list (for the CSV export of the filtered list). */
export async function getAll<T>(path: string, params: Record<string, string | number | undefined>): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const answer = await get<Page<T>>(`${path}${query({ ...params, page, pageSize: 200 })}`);
    items.push(...answer.items);
    if (answer.items.length === 0 || items.length >= answer.total) return items;
  }
}
