import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { HttpRequest as Request } from '../http-types';
import { Actor, CommandContext } from '@lp/eventsourcing';
import { AuthenticatedUser, RequestWithUser } from '../auth/authenticated-user';
import { requestContextOf } from './request-context';

export function actorOf(user: AuthenticatedUser | undefined): Actor {
  if (!user) return { id: 'anonymous' };
  return {
    id: user.id,
    name: user.name,
    ...(user.resellerId ? { resellerId: user.resellerId } : {}),
    roles: [...user.roles],
  };
}

/** The CommandContext of a request: the caller as actor, its correlation id, caused by the request. */
export function commandContextOf(req: Request & RequestWithUser): CommandContext {
  const context = requestContextOf(req);
  return {
    actor: actorOf(req.user),
    correlationId: context.correlationId,
    causationId: context.requestId,
    now: context.clock?.now() ?? new Date(),
  };
}

/** `@CommandCtx() ctx: CommandContext` in a controller method. */
export const CommandCtx = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): CommandContext =>
    commandContextOf(ctx.switchToHttp().getRequest<Request & RequestWithUser>()),
);
