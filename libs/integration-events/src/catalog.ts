import { z } from 'zod';
import { CreditNoteIssued, InvoiceIssued, BillingIntegrationEvent, LineChargingScheduled } from './billing-events';
import {
  CancellationConfirmed,
  CancellationLinked,
  ContractChangeAccepted,
  ContractChangeIntegrationEvent,
  ContractChangeRequested,
  ContractChangeWithdrawn,
  QuantityChanged,
  QuantityChangeLinked,
  RenewalScheduled,
} from './contract-change-events';
import { ContractConfirmed, ContractCreated, ContractIntegrationEvent, ContractLineEnded, ContractLineRenewed } from './contract-events';
import { CustomerRegistered, OrderAccepted, OrderCancelled, OrderIntegrationEvent, OrderPlaced, OrderPlacedV1 } from './order-events';
import {
  CustomerAgreementAccepted,
  ProvisioningFailed,
  ProvisioningIntegrationEvent,
  ProvisioningRetried,
  SubscriptionActivated,
  SubscriptionCancellationRefused,
  SubscriptionCancelled,
  SubscriptionChangeFailed,
  SubscriptionProvisioned,
  SubscriptionQuantityChanged,
  TenantRegistered,
} from './provisioning-events';
import { Topic, TOPICS } from './topics';

/** A declared event: `{ type: literal, data }`. */
type EventDeclaration = z.ZodObject<{ type: z.ZodLiteral<string>; data: z.ZodObject }>;

/** One published event type: every version ever published (index 0 = version 1) and what keys it. */
export interface EventContract {
  topic: Topic;
  type: string;
  /** Every version of the event, oldest first; the last is what writers emit today. */
  versions: readonly EventDeclaration[];
  /** The field of `data` whose value is the Kafka message key (the aggregate id of the stream). */
  key: string;
  summary: string;
}

type ContractsOf<Event extends { type: string }> = {
  [Type in Event['type']]: { versions: readonly EventDeclaration[]; key: string; summary: string };
};

/** The mapped types make the compiler refuse a published event type without a contract. */
const order: ContractsOf<OrderIntegrationEvent> = {
  CustomerRegistered: { versions: [CustomerRegistered], key: 'customerId', summary: 'A customer (販売先) of a reseller was registered.' },
  OrderAccepted: { versions: [OrderAccepted], key: 'orderId', summary: 'An order was accepted (受付).' },
  OrderPlaced: {
    versions: [OrderPlacedV1, OrderPlaced],
    key: 'orderId',
    summary: 'Lines were placed with the vendor (発注): sku, vendor, quantity, unit price, billing policy, term, tenant.',
  },
  OrderCancelled: { versions: [OrderCancelled], key: 'orderId', summary: 'An order was cancelled before any line was placed.' },
};

const provisioning: ContractsOf<ProvisioningIntegrationEvent> = {
  TenantRegistered: { versions: [TenantRegistered], key: 'tenantId', summary: 'A customer’s Microsoft tenant was registered.' },
  CustomerAgreementAccepted: { versions: [CustomerAgreementAccepted], key: 'tenantId', summary: 'The Microsoft Customer Agreement was accepted for a tenant.' },
  SubscriptionProvisioned: { versions: [SubscriptionProvisioned], key: 'subscriptionId', summary: 'The vendor accepted a placed line’s subscription.' },
  SubscriptionActivated: { versions: [SubscriptionActivated], key: 'subscriptionId', summary: 'Distributor staff activated a manual subscription.' },
  ProvisioningFailed: { versions: [ProvisioningFailed], key: 'subscriptionId', summary: 'The last vendor call failed: the subscription is FAILED.' },
  ProvisioningRetried: { versions: [ProvisioningRetried], key: 'subscriptionId', summary: 'Staff retried a FAILED subscription.' },
  SubscriptionCancellationRefused: {
    versions: [SubscriptionCancellationRefused],
    key: 'subscriptionId',
    summary: 'A cancellation was refused without calling the vendor (refund window closed).',
  },
  SubscriptionCancelled: { versions: [SubscriptionCancelled], key: 'subscriptionId', summary: 'The vendor confirmed a cancellation or reduction.' },
  SubscriptionQuantityChanged: { versions: [SubscriptionQuantityChanged], key: 'subscriptionId', summary: 'The vendor confirmed a new seat count.' },
  SubscriptionChangeFailed: { versions: [SubscriptionChangeFailed], key: 'subscriptionId', summary: 'The vendor calls of a change failed.' },
};

const contract: ContractsOf<ContractIntegrationEvent | ContractChangeIntegrationEvent> = {
  ContractCreated: { versions: [ContractCreated], key: 'contractId', summary: 'A contract was created from placed order lines.' },
  ContractConfirmed: { versions: [ContractConfirmed], key: 'contractId', summary: 'Lines were confirmed (契約確定) with start dates and billing policy.' },
  ContractLineRenewed: { versions: [ContractLineRenewed], key: 'contractId', summary: 'A line with auto-renew on renewed for its next term (契約更新).' },
  ContractLineEnded: { versions: [ContractLineEnded], key: 'contractId', summary: 'A line with auto-renew off ended on its term end date.' },
  ContractChangeRequested: { versions: [ContractChangeRequested], key: 'changeId', summary: 'A change (解約, 追加, 数量変更, 更新) was requested.' },
  ContractChangeAccepted: { versions: [ContractChangeAccepted], key: 'changeId', summary: 'A change was accepted (受付).' },
  CancellationLinked: { versions: [CancellationLinked], key: 'changeId', summary: 'A cancellation was linked to the vendor (解約連携).' },
  QuantityChangeLinked: { versions: [QuantityChangeLinked], key: 'changeId', summary: 'An add or reduction was linked to the vendor.' },
  CancellationConfirmed: { versions: [CancellationConfirmed], key: 'changeId', summary: 'A cancellation was confirmed with its end date (解約確定).' },
  QuantityChanged: { versions: [QuantityChanged], key: 'changeId', summary: 'An add or reduction took effect.' },
  RenewalScheduled: { versions: [RenewalScheduled], key: 'changeId', summary: 'A renewal change (更新) was confirmed: the quantity of each line’s next term.' },
  ContractChangeWithdrawn: { versions: [ContractChangeWithdrawn], key: 'changeId', summary: 'A change was withdrawn before it reached the vendor.' },
};

const billing: ContractsOf<BillingIntegrationEvent> = {
  InvoiceIssued: { versions: [InvoiceIssued], key: 'customerId', summary: 'An invoice (請求書) was issued.' },
  CreditNoteIssued: { versions: [CreditNoteIssued], key: 'customerId', summary: 'A credit note (適格返還請求書) was issued.' },
  LineChargingScheduled: { versions: [LineChargingScheduled], key: 'scheduleId', summary: 'A contract line’s charging period (start, and end once known) in billing’s schedule.' },
};

const onTopic = (topic: Topic, contracts: Record<string, Omit<EventContract, 'topic' | 'type'>>): EventContract[] =>
  Object.entries(contracts).map(([type, contract]) => ({ topic, type, ...contract }));

/** Every published event, topic by topic: the single list the schemas, AsyncAPI and tests come from. */
export const EVENT_CONTRACTS: readonly EventContract[] = [
  ...onTopic(TOPICS.order, order),
  ...onTopic(TOPICS.provisioning, provisioning),
  ...onTopic(TOPICS.contract, contract),
  ...onTopic(TOPICS.billing, billing),
];

export const contractsOn = (topic: string): EventContract[] => EVENT_CONTRACTS.filter((contract) => contract.topic === topic);

export function findContract(topic: string, type: string): EventContract | undefined {
  return EVENT_CONTRACTS.find((contract) => contract.topic === topic && contract.type === type);
}

/** The zod declaration of `data` for one version (1-based) of a contract. */
export function dataSchemaOf(contract: EventContract, version: number): z.ZodObject {
  const declaration = contract.versions[version - 1];
  if (!declaration) throw new Error(`${contract.type} has no version ${version} (latest: ${contract.versions.length})`);
  return declaration.shape.data;
}
