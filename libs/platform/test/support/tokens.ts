import { sign } from 'jsonwebtoken';
import { loadDevDefaults } from '../../src/config/dev-defaults';

export const TEST_SECRET = 'platform-test-secret';

type Claims = { sub?: string; name?: string; roles?: string[]; resellerId?: string };

export function tokenFor(claims: Claims = {}, options: { secret?: string; expiresIn?: number } = {}): string {
  const payload = { sub: 'u-1', name: 'Test User', roles: ['admin-agent'], resellerId: 'r-direct', ...claims };
  return sign(payload, options.secret ?? TEST_SECRET, { algorithm: 'HS256', expiresIn: options.expiresIn ?? 3600 });
}

export const bearer = (token: string) => `Bearer ${token}`;
export const devSecret = () => loadDevDefaults().jwtSecret;
