import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProblemException } from '../errors/problem-exception';
import { RequestWithUser } from './authenticated-user';
import { BearerTokenVerifier } from './bearer-token';
import { IS_PUBLIC_KEY, ROLES_KEY } from './decorators';
import { FLAG_ROLES_KEY, FlagRule, refuseUnallowedFlag } from './flag-roles';
import { JWT_SECRET } from './jwt-secret';
import { ResellerDirectory } from './reseller-directory';
import { Role } from './roles';

export { toUser } from './bearer-token';

/**
 * Global guard: every route needs a valid bearer token unless @Public(); @Roles() narrows who may
 * call, @FlagNeedsRoles() who may set a body flag.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly verifier: BearerTokenVerifier;

  constructor(
    private readonly reflector: Reflector,
    @Inject(JWT_SECRET) secret: string,
    resellers: ResellerDirectory,
  ) {
    this.verifier = BearerTokenVerifier.fromEnvironment(secret, resellers);
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<RequestWithUser & { headers: Record<string, unknown>; body?: unknown }>();
    const user = this.verifier.authenticate(request.headers.authorization);
    request.user = user;

    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (required?.length && !required.some((role) => user.roles.includes(role))) {
      throw new ProblemException(403, 'FORBIDDEN', `This needs one of the roles: ${required.join(', ')}`);
    }
    const flagRule = this.reflector.get<FlagRule | undefined>(FLAG_ROLES_KEY, context.getHandler());
    if (flagRule) refuseUnallowedFlag(flagRule, request.body, user.roles);
    return true;
  }
}
