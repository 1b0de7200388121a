import { AuthenticatedUser } from './authenticated-user';

/** Whether the user may see data of that reseller (distributor staff see all). */
export function canSee(user: AuthenticatedUser, resellerId: string | undefined): boolean {
  return user.isDistributor || (resellerId !== undefined && user.resellerId === resellerId);
}

/** Filter fragment for list queries: `{ resellerId }` for reseller staff, `{}` for the distributor. */
export function resellerScope(user: AuthenticatedUser): { resellerId?: string } {
  return user.isDistributor ? {} : { resellerId: user.resellerId };
}
