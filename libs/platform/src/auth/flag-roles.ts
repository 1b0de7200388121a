import { applyDecorators, CanActivate, ExecutionContext, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProblemException } from '../errors/problem-exception';
import { RequestWithUser } from './authenticated-user';
import { Role } from './roles';

export const FLAG_ROLES_KEY = 'platform:flagRoles';

export interface FlagRule {
  /** The body field, e.g. `force`. */
  flag: string;
  roles: readonly Role[];
}

/**
 * A body flag that overrides a safeguard (e.g. `force: true` past the supplier's warning) is for
 * these roles only: anyone else gets 403 `<FLAG>_NOT_ALLOWED` before the handler runs, so nothing
 * is committed. Without the flag the route stays open to whoever its @Roles admit.
 */
export const FlagNeedsRoles = (flag: string, ...roles: Role[]) =>
  applyDecorators(SetMetadata(FLAG_ROLES_KEY, { flag, roles } satisfies FlagRule), UseGuards(FlagRolesGuard));

/** Runs after the global JWT guard (which sets the user), before validation and the handler. */
@Injectable()
export class FlagRolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const rule = this.reflector.get<FlagRule | undefined>(FLAG_ROLES_KEY, context.getHandler());
    if (!rule) return true;
    const request = context.switchToHttp().getRequest<RequestWithUser & { body?: unknown }>();
    if (!isSet(request.body, rule.flag)) return true;
    const roles = request.user?.roles ?? [];
    if (rule.roles.some((role) => roles.includes(role))) return true;
    throw new ProblemException(
      403,
      `${rule.flag.toUpperCase()}_NOT_ALLOWED`,
      `Only these roles may send "${rule.flag}": true: ${rule.roles.join(', ')}`,
    );
  }
}

// Strictly `true`: any other value is either "not set" or refused by validation as not a boolean.
const isSet = (body: unknown, flag: string) => typeof body === 'object' && body !== null && (body as Record<string, unknown>)[flag] === true;
