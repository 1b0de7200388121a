import { aggregateStream, CheckpointStore, CommandContext, CommandHandler, contextCausedBy, DomainError, EventStore, RecordedEvent } from '@lp/eventsourcing';
import { StoreReactor } from '@lp/runtime';
import { PendingChange, SubscriptionCommand, subscriptionDecider, SubscriptionEvent, SubscriptionState } from '../domain/subscription';
import {
  afterFailedAttempt,
  cancelThrough,
  changeQuantityThrough,
  connectorModeFor,
  nextAttempt,
  ProvisionRequest,
  RetryPolicy,
  SubscriptionChangeRequest,
} from '../domain/vendor-connector';
import { connectorFor, VendorConnectors } from '../provisioning-options';
import { delayUnlessAborted, unlessAborted } from './abortable';

export const VENDOR_WORKER_NAME = 'provisioning.vendor-worker';

/** Events that leave a subscription PROVISIONING, i.e. ask for vendor calls. */
export const PROVISIONING_STARTED_TYPES: SubscriptionEvent['type'][] = ['SubscriptionRequested', 'ProvisioningRetried'];

/** Events that leave a change of an ACTIVE subscription waiting for the vendor. */
export const CHANGE_REQUESTED_TYPES: SubscriptionEvent['type'][] = ['SubscriptionCancellationRequested', 'SubscriptionQuantityChangeRequested'];

/** What the back-off needs of a round of tries (the provisioning round or a pending change). */
interface Tries {
  attempts: number;
  lastAttemptWillRetry?: boolean;
  lastAttemptAt?: string;
}

export interface VendorProvisioningDeps {
  store: EventStore;
  connectors: VendorConnectors;
  retryPolicy: RetryPolicy;
  /** The customer's Microsoft tenant GUID of our tenant id, from the tenants read model. */
  microsoftTenantOf: (tenantId: string) => Promise<string | undefined>;
  now?: () => Date;
  /** Sits out a back-off, rejecting when the signal aborts (default: a timer). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

type Provisioning = Exclude<SubscriptionState, { status: 'NONE' }>;

/**
 * Calls the vendor for a subscription until it is no longer PROVISIONING (and, for a change of an
 * ACTIVE subscription, until the change is settled — see handleChange): success → the vendor's
 * answer is recorded; failure → the attempt is recorded, then after the policy's back-off the next
 * try, or FAILED with the reason. Every step starts from the stream, so a restart (the reactor
 * replays an unfinished event) continues from the recorded attempts and waits only what is left of
 * the back-off; connectors are idempotent by subscription id, so a call repeated after a crash
 * cannot order twice.
 */
export class VendorProvisioning {
  private readonly subscriptions: CommandHandler<SubscriptionCommand, SubscriptionEvent, SubscriptionState>;
  private readonly now: () => Date;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(private readonly deps: VendorProvisioningDeps) {
    this.subscriptions = new CommandHandler(deps.store, subscriptionDecider);
    this.now = deps.now ?? (() => new Date());
    this.sleep = deps.sleep ?? delayUnlessAborted;
  }

  async handle(event: RecordedEvent, signal: AbortSignal): Promise<void> {
    if (CHANGE_REQUESTED_TYPES.includes(event.type as SubscriptionEvent['type'])) return this.handleChange(event, signal);
    const record = (command: SubscriptionCommand) => this.subscriptions.handle(event.streamId, command, this.contextOf(event));
    for (;;) {
      if (signal.aborted) throw new Error('aborted: the worker is stopping');
      const { state } = await aggregateStream(this.deps.store, event.streamId, subscriptionDecider);
      if (state.status !== 'PROVISIONING') return;
      const wait = this.backOffLeft(state);
      if (wait === 'give-up') {
        // The last failed call was the last one (e.g. a crash came between recording it and failing).
        await record({ type: 'RecordProvisioningFailed', reason: state.lastAttemptError ?? 'Vendor call failed', failedAt: this.now().toISOString() });
        return;
      }
      if (wait > 0) {
        await this.sleep(wait, signal);
        continue; // reload: staff or another replica may have changed the subscription meanwhile
      }
      const connector = connectorFor(this.deps.connectors, connectorModeFor(state.provisioning));
      let answer;
      try {
        answer = await unlessAborted(connector.provision(await this.requestOf(state)), signal);
      } catch (error) {
        if (signal.aborted) throw error;
        const attempt = state.attempts + 1;
        const { reason, willRetry } = afterFailedAttempt(error, attempt, this.deps.retryPolicy);
        await record({ type: 'RecordVendorAttemptFailed', round: state.round, attempt, reason, willRetry, failedAt: this.now().toISOString() });
        continue; // the next turn waits the back-off, or records FAILED
      }
      const provisioned: SubscriptionCommand = {
        type: 'RecordVendorProvisioned',
        vendorSubscriptionId: answer.vendorSubscriptionId,
        ...(answer.status === 'provisioned' && answer.productKey !== undefined ? { productKey: answer.productKey } : {}),
        provisionedAt: this.now().toISOString(),
      };
      try {
        await record(provisioned);
      } catch (error) {
        // An answer the domain refuses (e.g. software without a key) will not get better by asking again.
        if (!(error instanceof DomainError) || (error.kind !== 'rule' && error.kind !== 'invalid')) throw error;
        await record({ type: 'RecordProvisioningFailed', reason: `Vendor answer refused: ${error.message}`, failedAt: this.now().toISOString() });
      }
      return;
    }
  }

  /**
   * Calls the vendor for a pending cancellation or quantity change until it is settled, with the same
   * retry policy as provisioning: the attempts are counted per change in the stream, so a restart
   * continues from them; connectors are idempotent by change id, so a repeated call changes nothing twice.
   */
  private async handleChange(event: RecordedEvent, signal: AbortSignal): Promise<void> {
    const { changeId } = event.data as { changeId: string };
    const record = (command: SubscriptionCommand) => this.subscriptions.handle(event.streamId, command, this.contextOf(event));
    for (;;) {
      if (signal.aborted) throw new Error('aborted: the worker is stopping');
      const { state } = await aggregateStream(this.deps.store, event.streamId, subscriptionDecider);
      if (state.status === 'NONE') return;
      const pending = state.pendingChange;
      if (!pending || pending.changeId !== changeId) return; // settled already (a replayed request)
      const wait = this.backOffLeft(pending);
      if (wait === 'give-up') {
        await record({ type: 'RecordChangeFailed', changeId, reason: pending.lastAttemptError ?? 'Vendor call failed', failedAt: this.now().toISOString() });
        return;
      }
      if (wait > 0) {
        await this.sleep(wait, signal);
        continue;
      }
      const connector = connectorFor(this.deps.connectors, connectorModeFor(state.provisioning));
      let answer: SubscriptionCommand;
      try {
        const request = await this.changeRequestOf(state, pending);
        if (pending.kind === 'CANCELLATION') {
          const result = await unlessAborted(cancelThrough(connector, { ...request, quantity: pending.quantity }), signal);
          answer = {
            type: 'RecordVendorCancelled',
            changeId,
            cancelledAt: this.now().toISOString(),
            ...(state.provisioning === 'key' && result.productKeyRevoked !== undefined ? { productKeyRevoked: result.productKeyRevoked } : {}),
          };
        } else {
          const product = pending.newSku ? { newSku: pending.newSku } : {};
          await unlessAborted(changeQuantityThrough(connector, { ...request, newQuantity: pending.newQuantity, ...product }), signal);
          answer = { type: 'RecordVendorQuantityChanged', changeId, changedAt: this.now().toISOString() };
        }
      } catch (error) {
        if (signal.aborted) throw error;
        const attempt = pending.attempts + 1;
        const { reason, willRetry } = afterFailedAttempt(error, attempt, this.deps.retryPolicy);
        await record({ type: 'RecordVendorChangeAttemptFailed', changeId, attempt, reason, willRetry, failedAt: this.now().toISOString() });
        continue; // the next turn waits the back-off, or records the change FAILED
      }
      try {
        await record(answer);
      } catch (error) {
        if (!(error instanceof DomainError) || (error.kind !== 'rule' && error.kind !== 'invalid')) throw error;
        await record({ type: 'RecordChangeFailed', changeId, reason: `Vendor answer refused: ${error.message}`, failedAt: this.now().toISOString() });
      }
      return;
    }
  }

  private async changeRequestOf(state: Provisioning, pending: PendingChange): Promise<SubscriptionChangeRequest> {
    const microsoftTenantId = state.tenantId ? await this.deps.microsoftTenantOf(state.tenantId) : undefined;
    return {
      changeId: pending.changeId,
      subscriptionId: state.subscriptionId,
      vendorSubscriptionId: state.vendorSubscriptionId ?? '',
      customerId: state.customerId,
      resellerId: state.resellerId,
      sku: state.sku,
      vendor: state.vendor,
      provisioning: state.provisioning,
      currentQuantity: state.quantity,
      ...(state.tenantId !== undefined ? { tenantId: state.tenantId } : {}),
      ...(microsoftTenantId !== undefined ? { microsoftTenantId } : {}),
      ...(state.purchaseOrderNumber !== undefined ? { purchaseOrderNumber: state.purchaseOrderNumber } : {}),
    };
  }

  /** ms still to wait before the next try, 0 for "now", or 'give-up' when no try is left. */
  private backOffLeft(state: Tries): number | 'give-up' {
    if (state.attempts === 0) return 0;
    if (state.lastAttemptWillRetry === false) return 'give-up';
    const delay = nextAttempt(state.attempts, this.deps.retryPolicy);
    if (delay === 'give-up') return 'give-up';
    const since = state.lastAttemptAt ? this.now().getTime() - Date.parse(state.lastAttemptAt) : 0;
    return Math.max(0, delay - since);
  }

  private async requestOf(state: Provisioning): Promise<ProvisionRequest> {
    const microsoftTenantId = state.tenantId ? await this.deps.microsoftTenantOf(state.tenantId) : undefined;
    return {
      subscriptionId: state.subscriptionId,
      orderId: state.orderId,
      orderLineId: state.orderLineId,
      customerId: state.customerId,
      resellerId: state.resellerId,
      sku: state.sku,
      productName: state.productName,
      vendor: state.vendor,
      provisioning: state.provisioning,
      quantity: state.quantity,
      ...(state.tenantId !== undefined ? { tenantId: state.tenantId } : {}),
      ...(microsoftTenantId !== undefined ? { microsoftTenantId } : {}),
      ...(state.purchaseOrderNumber !== undefined ? { purchaseOrderNumber: state.purchaseOrderNumber } : {}),
    };
  }

  /** The worker acts for the system, in the correlation of the request that placed the order (or retried). */
  private contextOf(event: RecordedEvent): CommandContext {
    return contextCausedBy(event, VENDOR_WORKER_NAME, this.now());
  }
}

/** The worker as a checkpointed reactor on the service's own store: one subscription at a time per stream. */
export function vendorProvisioningReactor(provisioning: VendorProvisioning, store: EventStore, checkpoints: CheckpointStore): StoreReactor {
  return new StoreReactor({
    name: VENDOR_WORKER_NAME,
    store,
    checkpoints,
    filter: { streamPrefixes: ['subscription-'] },
    eventTypes: [...PROVISIONING_STARTED_TYPES, ...CHANGE_REQUESTED_TYPES],
    keyOf: (event) => event.streamId,
    handle: (event, signal) => provisioning.handle(event, signal),
  });
}
