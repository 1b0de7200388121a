import { randomUUID } from 'crypto';
import { EventToAppend } from '@lp/eventsourcing';
import { findProduct } from '@lp/integration-events';
import { anEvent, ApiSpecification, SeededStream } from '@lp/testing';
import { Harness } from '../../../embedded/test/support/harness';
import { BillingLineEvent, billingLineStreamId } from '../../src/domain/billing-line.decider';
import { UsageRecord } from '../../src/domain/billing-line';

/**
 * Streams as billing writes them, for HTTP scenarios that start from events instead of a contract
 * confirmed through order, provisioning and the contract service: a contract line whose billing
 * started, with the usage already imported for it. Every id is fresh, so scenarios share one runtime.
 */

/** The billing store of the embedded runtime, settled before and after the request. */
export const billingApi = (h: () => Harness) =>
  ApiSpecification.for(() => ({ stores: { billing: h().embedded.runtimes.billing.eventStore }, settle: () => h().settle() }));

/** Billing's contract-events reactor writes the line streams (from ContractConfirmed), the usage import its records. */
const CONTRACT_EVENTS = { id: 'billing.contract-events' };
const DISTRIBUTOR = { id: 'u-distributor-admin-dist' };

/** A confirmed contract line of `sku` × `quantity` (a customer of `resellerId`), billed from 2026-07-01. */
export function aBillingLine(sku: string, { quantity = 1, resellerId = 'r-direct' } = {}) {
  const product = findProduct(sku);
  if (!product) throw new Error(`No product ${sku} in the catalog`);
  const lineId = randomUUID();
  const streamId = billingLineStreamId(lineId);
  const started: BillingLineEvent = {
    type: 'BillingLineStarted',
    data: {
      line: {
        contractId: randomUUID(),
        lineId,
        customerId: randomUUID(),
        resellerId,
        sku,
        productName: product.name,
        unitPrice: product.unitPrice,
        billingPolicy: product.billingPolicy,
        placedOn: '2026-06-28',
        startDate: '2026-07-01',
        quantity,
      },
      contract: { contractNumber: 'NCN202607-0000000001', orderNumber: 'NOD202606-0000000001' },
    },
  };
  const written = ({ type, data }: BillingLineEvent, actor: EventToAppend['actor']) => anEvent(type, data, { actor });
  return {
    lineId,
    streamId,
    /** A usage record of the line for August 2026 (charged on September's invoice). */
    usage: (overrides: Partial<UsageRecord> = {}): UsageRecord => ({ usageId: `azure-${randomUUID()}`, lineId, month: '2026-08', amount: 12345, description: 'Azure 使用料 2026年8月分', ...overrides }),
    given: (...recorded: UsageRecord[]): SeededStream => ({
      store: 'billing',
      streamId,
      events: [written(started, CONTRACT_EVENTS), ...recorded.map((usage) => written({ type: 'UsageRecorded', data: { lineId, usage } }, DISTRIBUTOR))],
    }),
  };
}
