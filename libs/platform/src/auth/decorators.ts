import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { AuthenticatedUser, RequestWithUser } from './authenticated-user';
import { Role } from './roles';

export const IS_PUBLIC_KEY = 'platform:isPublic';
export const ROLES_KEY = 'platform:roles';

/** The route (or controller) needs no token: health, metrics, docs. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);

/** The user needs at least one of these roles, else 403 FORBIDDEN. Method metadata overrides the controller's. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The authenticated caller (undefined only on @Public() routes). */
export const CurrentUser = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): AuthenticatedUser | undefined =>
    ctx.switchToHttp().getRequest<RequestWithUser>().user,
);
