import { sign } from 'jsonwebtoken';
import type { ServerResponse } from 'http';
import { pathOf } from './console-files';
import type { MiddlewareRequest, Next } from './serve-console';
import { loadDevDefaults, weakEtag } from '@lp/platform';

export interface SampleUser {
  label: string;
  roles: string[];
  resellerId?: string;
  token: string;
}

const ROLE_LABELS: Record<string, string> = { 'admin-agent': '管理エージェント', 'sales-agent': '販売代理店' };
const LIFETIME = '12h';

/** One signed token per sample user: each role of each sample reseller, and distributor staff. */
export function sampleUsers(secret: string): SampleUser[] {
  const defaults = loadDevDefaults();
  const users = defaults.resellers.flatMap((reseller) =>
    Object.entries(ROLE_LABELS).map(([role, label]) => ({
      label: `${reseller.name} ${label}`,
      claims: { sub: `${reseller.id}-${role}`, name: `${reseller.name} ${label}`, roles: [role], resellerId: reseller.id },
    })),
  );
  users.push({ label: 'ディストリビューター', claims: { sub: 'distributor-admin', name: 'ディストリビューター', roles: ['distributor-admin'] } as never });
  return users.map(({ label, claims }) => ({
    label,
    roles: claims.roles,
    resellerId: (claims as { resellerId?: string }).resellerId,
    token: sign(claims, secret, { algorithm: 'HS256', expiresIn: LIFETIME }),
  }));
}

/**
 * GET /dev/sample-tokens for the console's one-click sign-in. Only while the server verifies with the
 * development secret of config/dev-defaults.json, which anyone can read anyway: with a real
 * JWT_SECRET the path does not exist.
 */
export function sampleTokensEndpoint(env: NodeJS.ProcessEnv = process.env) {
  const devSecret = loadDevDefaults().jwtSecret;
  const enabled = !env.JWT_SECRET || env.JWT_SECRET === devSecret;
  return (req: MiddlewareRequest, res: ServerResponse, next: Next) => {
    if (!enabled || req.method !== 'GET' || pathOf(req) !== '/dev/sample-tokens') return next();
    const body = JSON.stringify({ items: sampleUsers(devSecret) });
    res.writeHead(200, { 'Cache-Control': 'no-store', 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ETag: weakEtag(body) });
    res.end(body);
  };
}
