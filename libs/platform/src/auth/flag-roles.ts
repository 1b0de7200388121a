import { SetMetadata } from '@nestjs/common';
import { ProblemException } from '../errors/problem-exception';
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
 * is committed. Without the flag the route stays open to whoever its @Roles admit. Checked by the
 * global JWT guard with the route's roles (refuseUnallowedFlag), so that every refusal of the
 * caller comes before idempotency, which records only what the handler's request answered.
 */
export const FlagNeedsRoles = (flag: string, ...roles: Role[]) => SetMetadata(FLAG_ROLES_KEY, { flag, roles } satisfies FlagRule);

/** Throws 403 `<FLAG>_NOT_ALLOWED` when the body sets the rule's flag and the caller has none of its roles. */
export function refuseUnallowedFlag(rule: FlagRule, body: unknown, roles: readonly string[]): void {
  if (!isSet(body, rule.flag)) return;
  if (rule.roles.some((role) => roles.includes(role))) return;
  throw new ProblemException(
    403,
    `${rule.flag.toUpperCase()}_NOT_ALLOWED`,
    `Only these roles may send "${rule.flag}": true: ${rule.roles.join(', ')}`,
  );
}

// Strictly `true`: any other value is either "not set" or refused by validation as not a boolean.
const isSet = (body: unknown, flag: string) => typeof body === 'object' && body !== null && (body as Record<string, unknown>)[flag] === true;
