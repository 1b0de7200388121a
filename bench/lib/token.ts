import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import jwt from 'jsonwebtoken';

/** The secret the server uses: JWT_SECRET, else config/dev-defaults.json found above this file (as the services do). */
function jwtSecret(): string {
  if (process.env.JWT_SECRET) return process.env.JWT_SECRET;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'config', 'dev-defaults.json');
    if (existsSync(candidate)) return JSON.parse(readFileSync(candidate, 'utf8')).jwtSecret;
    if (dirname(dir) === dir) throw new Error(`config/dev-defaults.json not found above ${__dirname}`);
  }
}

/** An admin-agent of r-direct, as `npm run -s token -- --role admin-agent --reseller r-direct` prints. */
export function benchToken(): string {
  const sub = 'u-bench-admin';
  return jwt.sign({ sub, name: 'Bench Admin', roles: ['admin-agent'], resellerId: 'r-direct' }, jwtSecret(), { expiresIn: '12h' });
}

/** Distributor staff (what /metrics and /ops need). */
export function distributorToken(): string {
  return jwt.sign({ sub: 'u-bench-distributor', name: 'Bench Distributor', roles: ['distributor-admin'] }, jwtSecret(), { expiresIn: '12h' });
}
