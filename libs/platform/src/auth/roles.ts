export const ROLES = ['admin-agent', 'sales-agent', 'distributor-admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * As Partner Center splits a partner's staff: admin agents (管理エージェント) may do everything for
 * their reseller, including what cannot be undone or overrides a safeguard; sales agents
 * (販売代理店) sell and read everything of their reseller; distributor staff work for all resellers
 * and alone run billing, ops and manual activation. Who may call which route: docs/roles.md.
 */
export const ROLE_LABELS: Record<Role, string> = {
  'admin-agent': 'admin agent (管理エージェント)',
  'sales-agent': 'sales agent (販売代理店)',
  'distributor-admin': 'distributor (ディストリビューター)',
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
