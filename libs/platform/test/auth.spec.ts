import { Controller, Get, Post } from '@nestjs/common';
import { sign } from 'jsonwebtoken';
import request from 'supertest';
import { AuthenticatedUser, canSee, CurrentUser, Public, ResellerDirectory, resellerScope, Roles } from '../src';
import { BearerTokenVerifier } from '../src/auth/bearer-token';
import { resolveTokenPolicy } from '../src/auth/token-policy';
import { createTestApp, TestApp } from './support/test-app';
import { bearer, TEST_SECRET, tokenFor } from './support/tokens';

@Controller('things')
class ThingsController {
  @Get('me')
  me(@CurrentUser() user: AuthenticatedUser) {
    return user;
  }

  @Public()
  @Get('open')
  open() {
    return { open: true };
  }

  @Roles('admin-agent', 'distributor-admin')
  @Post('admin-only')
  adminOnly() {
    return { done: true };
  }
}

describe('JWT guard', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp([ThingsController]);
  });
  afterAll(() => t.app.close());

  it('answers 401 problem without a token', async () => {
    const res = await request(t.server()).get('/things/me').expect(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHORIZED', title: 'Unauthorized' });
  });

  it.each([
    ['a wrong secret', bearer(tokenFor({}, { secret: 'other-secret' }))],
    ['an expired token', bearer(tokenFor({}, { expiresIn: -10 }))],
    ['garbage', 'Bearer not.a.jwt'],
    ['another scheme', `Basic ${tokenFor()}`],
    ['unknown roles', bearer(tokenFor({ roles: ['root'] }))],
    ['a reseller role without reseller', bearer(tokenFor({ roles: ['sales-agent'], resellerId: undefined }))],
    ['a reseller not in the directory', bearer(tokenFor({ resellerId: 'r-nope' }))],
    ['no exp', bearer(signed({}))],
    ['exp two days ahead', bearer(signed({ exp: now() + 48 * 3600 }))],
    ['a lifetime over 24 h (iat long ago)', bearer(signed({ iat: now() - 25 * 3600, exp: now() + 3600 }))],
  ])('answers 401 for %s', async (_label, header) => {
    const res = await request(t.server()).get('/things/me').set('Authorization', header).expect(401);
    expect(res.body.code).toBe('UNAUTHORIZED');
  });

  it('gives the handler the authenticated user', async () => {
    const res = await request(t.server())
      .get('/things/me')
      .set('Authorization', bearer(tokenFor({ sub: 'u-7', name: '山田', roles: ['sales-agent'] })))
      .expect(200);
    expect(res.body).toEqual({ id: 'u-7', name: '山田', roles: ['sales-agent'], resellerId: 'r-direct', isDistributor: false });
  });

  it('recognises distributor staff by the missing resellerId', async () => {
    const token = tokenFor({ roles: ['distributor-admin'], resellerId: undefined });
    const res = await request(t.server()).get('/things/me').set('Authorization', bearer(token)).expect(200);
    expect(res.body.isDistributor).toBe(true);
    expect(res.body.resellerId).toBeUndefined();
  });

  it('lets @Public() routes through without a token', async () => {
    await request(t.server()).get('/things/open').expect(200, { open: true });
  });

  it('answers 403 FORBIDDEN when the user has none of the roles', async () => {
    const token = tokenFor({ roles: ['sales-agent'] });
    const res = await request(t.server()).post('/things/admin-only').set('Authorization', bearer(token)).expect(403);
    expect(res.body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    await request(t.server())
      .post('/things/admin-only')
      .set('Authorization', bearer(tokenFor({ roles: ['admin-agent'] })))
      .expect(201);
  });
});

describe('token lifetime policy', () => {
  const verifier = (maxLifetimeSeconds: number) => new BearerTokenVerifier(TEST_SECRET, new ResellerDirectory(), { maxLifetimeSeconds });

  it('says why a long-lived or unknown-reseller token is refused', () => {
    expect(() => verifier(86_400).authenticate(bearer(signed({ exp: now() + 48 * 3600 })))).toThrow(/longer than the accepted 24h/);
    expect(() => verifier(86_400).authenticate(bearer(signed({})))).toThrow(/no expiry/);
    expect(() => verifier(86_400).authenticate(bearer(tokenFor({ resellerId: 'r-nope' })))).toThrow(/unknown reseller r-nope/);
  });

  it('accepts what the configured lifetime allows, and a little clock skew', () => {
    expect(verifier(72 * 3600).authenticate(bearer(signed({ exp: now() + 48 * 3600 }))).id).toBe('u-1');
    expect(verifier(3600).authenticate(bearer(signed({ iat: now() + 30, exp: now() + 3630 }))).id).toBe('u-1');
  });

  it('refuses a token it accepted before once the token has expired', () => {
    const checker = verifier(3600);
    const token = bearer(signed({ exp: now() + 60 }));
    expect(checker.authenticate(token).id).toBe('u-1');
    const later = Date.now() + 61_000;
    const clock = jest.spyOn(Date, 'now').mockReturnValue(later);
    try {
      expect(() => checker.authenticate(token)).toThrow(/expired/);
    } finally {
      clock.mockRestore();
    }
  });

  it('never takes a token with another signature for one it accepted before', () => {
    const checker = verifier(3600);
    const token = signed({ exp: now() + 60 });
    expect(checker.authenticate(bearer(token)).id).toBe('u-1');
    const forged = `${token.slice(0, token.lastIndexOf('.') + 1)}${'A'.repeat(43)}`;
    expect(() => checker.authenticate(bearer(forged))).toThrow(/invalid/);
  });

  it('reads JWT_MAX_LIFETIME, 24 h by default, and refuses a value that is not a lifetime', () => {
    expect(resolveTokenPolicy({})).toEqual({ maxLifetimeSeconds: 86_400 });
    expect(resolveTokenPolicy({ JWT_MAX_LIFETIME: '90m' })).toEqual({ maxLifetimeSeconds: 5_400 });
    expect(resolveTokenPolicy({ JWT_MAX_LIFETIME: '3600' })).toEqual({ maxLifetimeSeconds: 3_600 });
    expect(() => resolveTokenPolicy({ JWT_MAX_LIFETIME: 'a day' })).toThrow(/JWT_MAX_LIFETIME: invalid value "a day"/);
    expect(() => resolveTokenPolicy({ JWT_MAX_LIFETIME: '0' })).toThrow(/JWT_MAX_LIFETIME/);
  });
});

describe('visibility helpers', () => {
  const reseller: AuthenticatedUser = { id: 'u', name: 'u', roles: ['admin-agent'], resellerId: 'r-direct', isDistributor: false };
  const distributor: AuthenticatedUser = { id: 'd', name: 'd', roles: ['distributor-admin'], isDistributor: true };

  it('lets reseller staff see only their reseller', () => {
    expect(canSee(reseller, 'r-direct')).toBe(true);
    expect(canSee(reseller, 'r-indirect')).toBe(false);
    expect(canSee(reseller, undefined)).toBe(false);
    expect(resellerScope(reseller)).toEqual({ resellerId: 'r-direct' });
  });

  it('lets the distributor see everything', () => {
    expect(canSee(distributor, 'r-indirect')).toBe(true);
    expect(resellerScope(distributor)).toEqual({});
  });

  it('knows the sample resellers', () => {
    const directory = new ResellerDirectory();
    expect(directory.get('r-direct')).toMatchObject({ billingModel: 'DIRECT_BILL' });
    expect(directory.get('r-indirect')).toMatchObject({ billingModel: 'INDIRECT_RESELLER' });
    expect(directory.get('r-nope')).toBeUndefined();
  });
});

function now(): number {
  return Math.floor(Date.now() / 1000);
}

/** A validly signed token with exactly these time claims (no iat or exp unless given). */
function signed(times: { iat?: number; exp?: number }): string {
  return sign({ sub: 'u-1', roles: ['admin-agent'], resellerId: 'r-direct', ...times }, TEST_SECRET, { algorithm: 'HS256', noTimestamp: times.iat === undefined });
}
