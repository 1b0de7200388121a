import { Role } from './roles';

/** The caller as established by the JWT guard. */
export interface AuthenticatedUser {
  id: string;
  name: string;
  roles: Role[];
  /** The reseller the user works for; absent for distributor staff. */
  resellerId?: string;
  /** Distributor staff (no resellerId) see and may act on every reseller's data. */
  isDistributor: boolean;
}

/** Where the guard leaves the user on the request. */
export type RequestWithUser = { user?: AuthenticatedUser };
