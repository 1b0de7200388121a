import { spawnSync } from 'child_process';
import { join } from 'path';
import { verify } from 'jsonwebtoken';
import { toUser } from '../src';
import { devSecret } from './support/tokens';

const SCRIPT = join(__dirname, '..', '..', '..', 'scripts', 'token.js');

function runToken(args: string[], env: Record<string, string | undefined> = {}) {
  const childEnv = { ...process.env, ...env };
  if (!('JWT_SECRET' in env)) delete childEnv.JWT_SECRET;
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete childEnv[name];
  return spawnSync(process.execPath, [SCRIPT, ...args], { env: childEnv, encoding: 'utf8' });
}

describe('scripts/token.js', () => {
  it('prints only a token that verifies with the dev secret and maps to the user', () => {
    const result = runToken(['--role', 'admin-agent', '--reseller', 'r-direct', '--name', '山田']);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const claims = verify(result.stdout.trim(), devSecret(), { algorithms: ['HS256'] }) as Record<string, unknown>;
    expect(claims).toMatchObject({ roles: ['admin-agent'], resellerId: 'r-direct', name: '山田' });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(12 * 3600);
    expect(toUser(claims)).toMatchObject({ resellerId: 'r-direct', isDistributor: false });
  });

  it('honours JWT_SECRET, repeated and comma-separated roles, --sub and --expires', () => {
    const result = runToken(
      ['--role', 'admin-agent,sales-agent', '--role', 'sales-agent', '--reseller', 'r-indirect', '--sub', 'u-5', '--expires', '1h'],
      { JWT_SECRET: 'from-env' },
    );
    expect(result.status).toBe(0);
    const claims = verify(result.stdout.trim(), 'from-env') as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: 'u-5', roles: ['admin-agent', 'sales-agent'], resellerId: 'r-indirect' });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
  });

  it('issues longer-lived tokens when JWT_MAX_LIFETIME allows them', () => {
    const result = runToken(['--role', 'distributor-admin', '--expires', '48h'], { JWT_MAX_LIFETIME: '72h' });
    expect(result.status).toBe(0);
    const claims = verify(result.stdout.trim(), devSecret()) as Record<string, unknown>;
    expect(Number(claims.exp) - Number(claims.iat)).toBe(48 * 3600);
  });

  it('makes distributor tokens without a reseller', () => {
    const result = runToken(['--role', 'distributor-admin']);
    expect(result.status).toBe(0);
    const claims = verify(result.stdout.trim(), devSecret()) as Record<string, unknown>;
    expect(claims.resellerId).toBeUndefined();
    expect(toUser(claims).isDistributor).toBe(true);
  });

  it.each([
    [['--role', 'admin-agent'], /--reseller is required/],
    [['--role', 'admin-agent', '--reseller', 'r-unknown'], /unknown reseller r-unknown/],
    [['--role', 'boss', '--reseller', 'r-direct'], /unknown role boss/],
    [['--reseller', 'r-direct'], /--role is required/],
    [['--role', 'admin-agent', '--reseller'], /--reseller needs a value/],
    [['--role', 'distributor-admin', '--reseller', 'r-direct'], /carry no --reseller/],
    [['--role', 'admin-agent', '--reseller', 'r-direct', '--expires', '48h'], /services refuse tokens living longer than 24h/],
  ])('refuses %j on stderr with exit 2', (args, message) => {
    const result = runToken(args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });
});
