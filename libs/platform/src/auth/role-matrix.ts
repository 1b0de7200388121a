import { Role } from './roles';

/**
 * Who may call each HTTP route: the single written-down role matrix. docs/roles.md shows it as a
 * table and services/embedded/test/role-matrix.spec.ts holds the running app to it cell by cell
 * (and fails when a route is served that is not listed here). The controllers' @Roles and
 * @FlagNeedsRoles decorators enforce it.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteAccess {
  method: HttpMethod;
  /** As the controller declares it, e.g. `/orders/:id`. */
  path: string;
  /** `public`: no token needed (probes, metrics); else the roles that may call it. */
  allowed: 'public' | readonly Role[];
  why: string;
}

/** A body flag on a route that only some of the route's roles may set to true. */
export interface FlagAccess {
  method: HttpMethod;
  path: string;
  flag: string;
  allowed: readonly Role[];
  why: string;
}

const EVERYONE: readonly Role[] = ['admin-agent', 'sales-agent', 'distributor-admin'];
const ADMIN_AGENTS_AND_DISTRIBUTOR: readonly Role[] = ['admin-agent', 'distributor-admin'];
const DISTRIBUTOR: readonly Role[] = ['distributor-admin'];

const READ = 'reading: every role sees everything of its own reseller (the distributor: of all)';

export const ROUTE_ACCESS: readonly RouteAccess[] = [
  // platform
  { method: 'GET', path: '/health/live', allowed: 'public', why: 'liveness probe of the orchestrator' },
  { method: 'GET', path: '/health/ready', allowed: 'public', why: 'readiness probe of the orchestrator and the gateway' },
  { method: 'GET', path: '/asyncapi.json', allowed: 'public', why: 'the published event contracts (AsyncAPI) for subscribers: describes the topics, holds no data' },
  { method: 'GET', path: '/metrics', allowed: DISTRIBUTOR, why: 'names every reseller’s routes and volumes: distributor staff, or the scraper with the METRICS_TOKEN bearer' },
  { method: 'GET', path: '/ops/projections', allowed: DISTRIBUTOR, why: 'ops: runs the platform for all resellers' },
  { method: 'POST', path: '/ops/projections/:name/rebuild', allowed: DISTRIBUTOR, why: 'ops: a rebuild touches every reseller’s read models' },
  { method: 'GET', path: '/ops/dlq', allowed: DISTRIBUTOR, why: 'ops: dead letters hold every reseller’s events' },
  { method: 'GET', path: '/ops/dlq/:id', allowed: DISTRIBUTOR, why: 'ops: a dead letter is any reseller’s event' },
  { method: 'POST', path: '/ops/dlq/redrive', allowed: DISTRIBUTOR, why: 'ops: a re-drive hands events to a consumer again' },
  { method: 'POST', path: '/ops/dlq/:id/discard', allowed: DISTRIBUTOR, why: 'ops: dropping an event for good, journalled with who and why' },
  { method: 'POST', path: '/ops/republish', allowed: DISTRIBUTOR, why: 'ops: re-sends every reseller’s events downstream' },
  { method: 'GET', path: '/ops/consumers', allowed: DISTRIBUTOR, why: 'ops: runs the platform for all resellers' },
  { method: 'POST', path: '/ops/consumers/:name/rewind', allowed: DISTRIBUTOR, why: 'ops: a rewind makes a reactor handle every reseller’s events again' },
  { method: 'GET', path: '/ops/events/export', allowed: DISTRIBUTOR, why: 'ops: the audit export holds every reseller’s events and personal data' },

  // order service
  { method: 'POST', path: '/customers', allowed: EVERYONE, why: 'selling starts with the customer (販売先)' },
  { method: 'GET', path: '/customers', allowed: EVERYONE, why: READ },
  { method: 'GET', path: '/customers/:id', allowed: EVERYONE, why: READ },
  { method: 'GET', path: '/products', allowed: EVERYONE, why: 'the catalog every seller quotes from' },
  { method: 'POST', path: '/orders', allowed: EVERYONE, why: 'selling: 注文作成' },
  { method: 'GET', path: '/orders', allowed: EVERYONE, why: READ },
  { method: 'GET', path: '/orders/:id', allowed: EVERYONE, why: READ },
  { method: 'GET', path: '/orders/:id/history', allowed: EVERYONE, why: READ },
  { method: 'POST', path: '/orders/:id/accept', allowed: EVERYONE, why: 'selling: 受付' },
  { method: 'POST', path: '/orders/:id/revoke-acceptance', allowed: EVERYONE, why: 'undoes the seller’s own 受付 while nothing is placed' },
  { method: 'PUT', path: '/orders/:id/provisioning-target', allowed: EVERYONE, why: 'selling: the customer’s tenant for the order' },
  { method: 'POST', path: '/orders/:id/place', allowed: EVERYONE, why: 'selling: 発注 (the MCA must already be accepted)' },
  { method: 'POST', path: '/orders/:id/cancel', allowed: EVERYONE, why: 'nothing reached a vendor yet and the order stays in the list as キャンセル' },
  { method: 'DELETE', path: '/orders/:id', allowed: ADMIN_AGENTS_AND_DISTRIBUTOR, why: 'deleting (削除) takes the order off the list: admin agents and the distributor only' },

  // provisioning service
  { method: 'POST', path: '/customers/:customerId/tenants', allowed: EVERYONE, why: 'selling: the customer’s Microsoft tenant is part of onboarding it' },
  { method: 'GET', path: '/customers/:customerId/tenants', allowed: EVERYONE, why: READ },
  { method: 'GET', path: '/tenants/:id', allowed: EVERYONE, why: READ },
  { method: 'GET', path: '/tenants/:id/history', allowed: EVERYONE, why: READ },
  {
    method: 'POST',
    path: '/tenants/:id/customer-agreement',
    allowed: ADMIN_AGENTS_AND_DISTRIBUTOR,
    why: 'attesting the Microsoft Customer Agreement for the customer is a legal statement: admin agents (of a DIRECT_BILL reseller) and the distributor',
  },
  {
    method: 'POST',
    path: '/tenants/:id/customer-agreement/direct-acceptance',
    allowed: ADMIN_AGENTS_AND_DISTRIBUTOR,
    why: 'records the customer’s own MCA acceptance, which unlocks 発注 like an attestation',
  },
  { method: 'GET', path: '/provisioning/subscriptions', allowed: EVERYONE, why: READ },
  { method: 'GET', path: '/provisioning/subscriptions/:id', allowed: EVERYONE, why: READ },
  { method: 'GET', path: '/provisioning/subscriptions/:id/history', allowed: EVERYONE, why: READ },
  { method: 'POST', path: '/provisioning/subscriptions/:id/activate', allowed: DISTRIBUTOR, why: 'manual provisioning is done by the distributor (StreamOne / Sourcenext)' },
  { method: 'POST', path: '/provisioning/subscriptions/:id/retry', allowed: ADMIN_AGENTS_AND_DISTRIBUTOR, why: 'sends new vendor calls after a failure: the reseller’s admin agents and the distributor' },
  { method: 'GET', path: '/ops/vendor-simulators', allowed: DISTRIBUTOR, why: 'ops: the simulated vendors serve every reseller' },
  { method: 'POST', path: '/ops/vendor-simulators/:name/failures', allowed: DISTRIBUTOR, why: 'ops: failures injected hit every reseller’s vendor calls' },

  // contract service
  { method: 'POST', path: '/contracts', allowed: EVERYONE, why: 'selling: 契約作成 from placed lines' },
  { method: 'GET', path: '/contracts', allowed: EVERYONE, why: READ },
  { method: 'GET', path: '/contracts/:id', allowed: EVERYONE, why: READ },
  { method: 'GET', path: '/contracts/:id/history', allowed: EVERYONE, why: READ },
  { method: 'POST', path: '/contracts/:id/confirm', allowed: EVERYONE, why: 'selling: 契約確定 once the subscriptions are ACTIVE' },
  { method: 'POST', path: '/contracts/:id/cancellations', allowed: EVERYONE, why: 'a request (申請); as in Partner Center, sales agents manage their customers’ subscriptions' },
  { method: 'POST', path: '/contracts/:id/quantity-changes', allowed: EVERYONE, why: 'a request (申請) to add or reduce seats' },
  { method: 'GET', path: '/contract-changes', allowed: EVERYONE, why: READ },
  { method: 'GET', path: '/contract-changes/:id', allowed: EVERYONE, why: READ },
  { method: 'GET', path: '/contract-changes/:id/history', allowed: EVERYONE, why: READ },
  { method: 'POST', path: '/contract-changes/:id/accept', allowed: EVERYONE, why: 'managing subscriptions: 受付' },
  { method: 'POST', path: '/contract-changes/:id/revoke-acceptance', allowed: EVERYONE, why: 'undoes 受付 while nothing reached the vendor' },
  { method: 'POST', path: '/contract-changes/:id/link-cancellation', allowed: EVERYONE, why: 'managing subscriptions: 解約連携 (the vendor still has to confirm)' },
  { method: 'POST', path: '/contract-changes/:id/link-quantity-change', allowed: EVERYONE, why: 'managing subscriptions: the new seat count to the vendor' },
  { method: 'POST', path: '/contract-changes/:id/confirm-cancellation', allowed: EVERYONE, why: '解約確定 once the vendor confirmed; overriding it (force) is below' },
  { method: 'POST', path: '/contract-changes/:id/confirm-quantity-change', allowed: EVERYONE, why: 'confirmation once the vendor confirmed; overriding it (force) is below' },
  { method: 'POST', path: '/contract-changes/:id/withdraw', allowed: EVERYONE, why: 'キャンセル of a request nothing of which reached the vendor' },
  { method: 'PUT', path: '/contracts/:id/lines/:lineId/auto-renew', allowed: EVERYONE, why: 'managing subscriptions: 自動更新 on or off, as in Partner Center' },
  { method: 'POST', path: '/contracts/:id/renewals', allowed: EVERYONE, why: 'a request (申請) for the next term (契約更新手続き)' },
  { method: 'POST', path: '/contracts/:id/product-changes', allowed: EVERYONE, why: 'a request (申請) to move lines to an upgrade (数量・商品変更)' },
  { method: 'POST', path: '/contracts/renewal-runs', allowed: DISTRIBUTOR, why: 'a renewal run renews and ends every reseller’s terms (normally the daily timer)' },
  { method: 'POST', path: '/contract-changes/:id/link', allowed: EVERYONE, why: 'managing subscriptions: 連携 of any change type' },
  { method: 'POST', path: '/contract-changes/:id/confirm', allowed: EVERYONE, why: 'confirmation of any change type once the vendor confirmed; overriding it (force) is below' },

  // billing service
  { method: 'POST', path: '/billing/runs', allowed: DISTRIBUTOR, why: 'the monthly billing run invoices every reseller’s customers' },
  { method: 'POST', path: '/billing/usage', allowed: DISTRIBUTOR, why: 'usage comes from the vendors’ reports, imported by the distributor' },
  { method: 'GET', path: '/invoices', allowed: EVERYONE, why: READ },
  { method: 'GET', path: '/invoices/:id', allowed: EVERYONE, why: READ },
  { method: 'GET', path: '/invoices/:id/history', allowed: EVERYONE, why: READ },
];

export const FLAG_ACCESS: readonly FlagAccess[] = [
  {
    method: 'POST',
    path: '/contract-changes/:id/confirm-cancellation',
    flag: 'force',
    allowed: ADMIN_AGENTS_AND_DISTRIBUTOR,
    why: 'overrides the supplier’s warning (仕入元で解約処理が確定されていません): admin agents and the distributor only; a sales agent gets 403 FORCE_NOT_ALLOWED',
  },
  {
    method: 'POST',
    path: '/contract-changes/:id/confirm-quantity-change',
    flag: 'force',
    allowed: ADMIN_AGENTS_AND_DISTRIBUTOR,
    why: 'overrides the supplier’s warning: admin agents and the distributor only; a sales agent gets 403 FORCE_NOT_ALLOWED',
  },
  {
    method: 'POST',
    path: '/contract-changes/:id/confirm',
    flag: 'force',
    allowed: ADMIN_AGENTS_AND_DISTRIBUTOR,
    why: 'the same override as on the typed confirmations: admin agents and the distributor only; a sales agent gets 403 FORCE_NOT_ALLOWED',
  },
];
