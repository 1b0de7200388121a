import { createSecretKey, KeyObject } from 'crypto';
import { JsonWebTokenError, JwtPayload, TokenExpiredError, verify } from 'jsonwebtoken';
import { ProblemException } from '../errors/problem-exception';
import { AuthenticatedUser } from './authenticated-user';
import { ResellerDirectory } from './reseller-directory';
import { isRole } from './roles';
import { resolveTokenPolicy, TokenPolicy } from './token-policy';

export const unauthorized = (detail: string) => new ProblemException(401, 'UNAUTHORIZED', detail);

// The issuer's clock may run a little ahead of ours: a fresh token is not refused as too long-lived for that.
const CLOCK_SKEW_SECONDS = 60;

/** Verified tokens remembered at once: the users active at a time, with room to spare. */
const VERIFIED_TOKENS_KEPT = 1_000;

/** Bearer header → user, or 401: signature, expiry, bounded lifetime, claims, a known reseller. */
export class BearerTokenVerifier {
  /**
   * A KeyObject made once: given a string, jsonwebtoken first tries (and fails) to parse it as a
   * public key on every call, which made token checks the largest CPU cost per request.
   */
  private readonly key: KeyObject;
  /**
   * Claims of tokens already verified, by the whole token (signature included): a client sends the
   * same token on every request, and checking its HMAC and parsing it again cost more than the rest
   * of a small request's authentication. Expiry is checked again on every use.
   */
  private readonly verified = new Map<string, JwtPayload>();

  constructor(
    secret: string,
    private readonly resellers: ResellerDirectory,
    private readonly policy: TokenPolicy,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  /** With the lifetime policy of the environment (JWT_MAX_LIFETIME). */
  static fromEnvironment(secret: string, resellers: ResellerDirectory, env: NodeJS.ProcessEnv = process.env): BearerTokenVerifier {
    return new BearerTokenVerifier(secret, resellers, resolveTokenPolicy(env));
  }

  /** The token of a `Bearer <token>` header, else 401. */
  static tokenOf(header: unknown): string {
    if (typeof header !== 'string' || !header) throw unauthorized('A bearer token is required');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw unauthorized('The Authorization header must be "Bearer <token>"');
    return match[1];
  }

  authenticate(header: unknown): AuthenticatedUser {
    const payload = this.verifiedClaims(BearerTokenVerifier.tokenOf(header));
    this.checkLifetime(payload);
    const user = toUser(payload);
    if (user.resellerId !== undefined && !this.resellers.get(user.resellerId)) {
      throw unauthorized(`The token names an unknown reseller ${user.resellerId}`);
    }
    return user;
  }

  private verifiedClaims(token: string): JwtPayload {
    const known = this.verified.get(token);
    // jsonwebtoken's own rule and clock: expired once now reaches exp.
    if (known && (typeof known.exp !== 'number' || Math.floor(Date.now() / 1000) < known.exp)) return known;
    if (known) this.verified.delete(token);
    try {
      const decoded = verify(token, this.key, { algorithms: ['HS256'] });
      if (typeof decoded === 'string') throw new JsonWebTokenError('payload is not an object');
      this.remember(token, decoded);
      return decoded;
    } catch (error) {
      if (error instanceof TokenExpiredError) throw unauthorized('The token has expired');
      throw unauthorized('The token is invalid');
    }
  }

  private remember(token: string, claims: JwtPayload): void {
    // Oldest first out: a Map iterates in insertion order.
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, claims);
  }

  /** A token must expire, and within the policy's lifetime both from its issue and from now. */
  private checkLifetime({ exp, iat }: JwtPayload): void {
    const max = this.policy.maxLifetimeSeconds;
    if (typeof exp !== 'number') throw unauthorized('The token has no expiry (exp)');
    if (iat !== undefined && typeof iat !== 'number') throw unauthorized('The token has an invalid iat');
    const tooLong = (iat !== undefined && exp - iat > max) || exp - this.nowSeconds() > max + CLOCK_SKEW_SECONDS;
    if (tooLong) throw unauthorized(`The token lives longer than the accepted ${formatSeconds(max)}`);
  }
}

/** Claims → user; a token whose claims do not make sense is as good as a forged one (401). */
export function toUser(payload: JwtPayload): AuthenticatedUser {
  const { sub, name, roles, resellerId } = payload as JwtPayload & Record<string, unknown>;
  if (typeof sub !== 'string' || !sub) throw unauthorized('The token has no subject');
  if (!Array.isArray(roles) || !roles.every(isRole)) throw unauthorized('The token has unknown roles');
  if (resellerId !== undefined && (typeof resellerId !== 'string' || !resellerId)) {
    throw unauthorized('The token has an invalid resellerId');
  }
  // Only distributor staff work without a reseller; anyone else must be scoped to one.
  if (resellerId === undefined && !roles.includes('distributor-admin')) {
    throw unauthorized('The token names no reseller');
  }
  return {
    id: sub,
    name: typeof name === 'string' && name ? name : sub,
    roles,
    ...(resellerId !== undefined ? { resellerId } : {}),
    isDistributor: resellerId === undefined,
  };
}

function formatSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
