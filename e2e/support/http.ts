import jwt from 'jsonwebtoken';
import { loadDevDefaults } from '@lp/platform';

export function token(roles: string[], resellerId?: string): string {
  const sub = `e2e-${roles[0]}`;
  return jwt.sign({ sub, name: sub, roles, ...(resellerId && { resellerId }) }, process.env.JWT_SECRET ?? loadDevDefaults().jwtSecret, { expiresIn: '1h' });
}

export const RESELLER = token(['admin-agent'], 'r-direct');
export const DISTRIBUTOR = token(['distributor-admin']);

export interface Answer {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function call(baseUrl: string, method: string, path: string, body?: object, bearer = RESELLER): Promise<Answer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** Retries until `check` accepts the answer: the other service learns things over Kafka, a moment later. */
export async function eventually(attempt: () => Promise<Answer>, check: (answer: Answer) => boolean, timeoutMs = 20_000): Promise<Answer> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await attempt();
    if (check(answer) || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const customerBody = {
  companyName: '分散テスト株式会社',
  companyNameKana: 'ブンサンテストカブシキガイシャ',
  siteName: '本社',
  contact: { name: '山田 太郎', phone: '03-1234-5678', email: 'yamada@example.co.jp' },
  address: { postalCode: '1000001', prefecture: '東京都', city: '千代田区', address1: '千代田1-1' },
};
