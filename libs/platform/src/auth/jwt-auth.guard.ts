import { createSecretKey, KeyObject } from 'crypto';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JsonWebTokenError, JwtPayload, TokenExpiredError, verify } from 'jsonwebtoken';
import { ProblemException } from '../errors/problem-exception';
import { AuthenticatedUser, RequestWithUser } from './authenticated-user';
import { IS_PUBLIC_KEY, ROLES_KEY } from './decorators';
import { JWT_SECRET } from './jwt-secret';
import { isRole, Role } from './roles';

const unauthorized = (detail: string) => new ProblemException(401, 'UNAUTHORIZED', detail);

/** Global guard: every route needs a valid bearer token unless @Public(); @Roles() narrows who may call. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  /**
   * A KeyObject made once: given a string, jsonwebtoken first tries (and fails) to parse it as a
   * public key on every call, which made token checks the largest CPU cost per request.
   */
  private readonly key: KeyObject;

  constructor(
    private readonly reflector: Reflector,
    @Inject(JWT_SECRET) secret: string,
  ) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<RequestWithUser & { headers: Record<string, unknown> }>();
    const user = this.authenticate(request.headers.authorization);
    request.user = user;

    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (required?.length && !required.some((role) => user.roles.includes(role))) {
      throw new ProblemException(403, 'FORBIDDEN', `This needs one of the roles: ${required.join(', ')}`);
    }
    return true;
  }

  private authenticate(header: unknown): AuthenticatedUser {
    if (typeof header !== 'string' || !header) throw unauthorized('A bearer token is required');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw unauthorized('The Authorization header must be "Bearer <token>"');

    let payload: JwtPayload;
    try {
      const decoded = verify(match[1], this.key, { algorithms: ['HS256'] });
      if (typeof decoded === 'string') throw new JsonWebTokenError('payload is not an object');
      payload = decoded;
    } catch (error) {
      if (error instanceof TokenExpiredError) throw unauthorized('The token has expired');
      throw unauthorized('The token is invalid');
    }
    return toUser(payload);
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
