import { z } from 'zod';
import { BusinessDate, Quantity, Yen } from './common';
import { ContractReference } from './contract-events';
import { integrationEvent } from './integration-event';

/**
 * Contract changes (契約変更), published on contract.events from the `contractChange-<changeId>`
 * streams. Message key: the change id.
 *
 * Flow: ContractChangeRequested → ContractChangeAccepted → CancellationLinked / QuantityChangeLinked
 * (provisioning cancels, reduces or adds seats at the vendor and reports it) → CancellationConfirmed /
 * QuantityChanged (billing charges from it). ContractChangeWithdrawn ends a change that never
 * reached the vendor.
 */

/** `ADD` 追加, `CHANGE` 数量・商品変更 (a reduction), `RENEWAL` 更新, `CANCELLATION` 解約. */
export const ContractChangeType = z.enum(['ADD', 'CHANGE', 'RENEWAL', 'CANCELLATION']);
export type ContractChangeType = z.infer<typeof ContractChangeType>;

/** What every published contract change event carries: the change and the contract it changes. */
export const ContractChangeReference = ContractReference.extend({ changeId: z.string(), type: ContractChangeType });
export type ContractChangeReference = z.infer<typeof ContractChangeReference>;

/** Which line every change event speaks of: the contract line, its order line, product and subscription. */
export const ChangeLineIdentity = z.object({
  lineId: z.string().describe('The contract line (= its order line id).'),
  orderLineId: z.string(),
  sku: z.string(),
  productName: z.string(),
  subscriptionId: z.string().describe('Provisioning’s subscription of the line: what the vendor link acts on.'),
});
export type ChangeLineIdentity = z.infer<typeof ChangeLineIdentity>;

/** A product change (数量・商品変更 to an upgrade): the product the line moves to, from the catalog. */
const ProductChangeFields = {
  newSku: z.string().optional().describe('A product change: the sku the line moves to (an upgrade of the same vendor and billing policy).'),
  newProductName: z.string().optional().describe('A product change: the new product’s name.'),
  newUnitPrice: Yen.optional().describe('A product change: the new product’s unit price (integer yen).'),
};

/** A contract line as requested in a change. */
export const ContractChangeLine = ChangeLineIdentity.extend({
  currentQuantity: Quantity.describe('The line’s quantity when the change was requested.'),
  quantity: Quantity.describe(
    'As requested: for a CANCELLATION the seats to cancel (1 … current; all of them = the line ends); for ADD / CHANGE the new quantity.',
  ),
  newQuantity: Quantity.describe('The quantity in force once the change is done (0: the line is cancelled).'),
  ...ProductChangeFields,
});
export type ContractChangeLine = z.infer<typeof ContractChangeLine>;

/** 申請 */
export const ContractChangeRequested = integrationEvent(
  'ContractChangeRequested',
  ContractChangeReference.extend({ subject: z.string(), requestedOn: BusinessDate, lines: z.array(ContractChangeLine) }),
);
export type ContractChangeRequested = z.infer<typeof ContractChangeRequested>;

/** 受付 */
export const ContractChangeAccepted = integrationEvent('ContractChangeAccepted', ContractChangeReference.extend({ acceptedOn: BusinessDate }));
export type ContractChangeAccepted = z.infer<typeof ContractChangeAccepted>;

/** A cancelled or reduced line as sent to the vendor (解約連携). */
export const LinkedCancellationLine = ChangeLineIdentity.extend({
  currentQuantity: Quantity,
  quantity: Quantity.describe('Seats to cancel.'),
  remainingQuantity: Quantity.describe('Seats left afterwards; 0 = cancel the whole subscription.'),
});
export type LinkedCancellationLine = z.infer<typeof LinkedCancellationLine>;

/** 解約連携: provisioning cancels (remainingQuantity 0) or reduces each subscription, then reports it. */
export const CancellationLinked = integrationEvent(
  'CancellationLinked',
  ContractChangeReference.extend({
    type: z.literal('CANCELLATION'),
    requestedOn: BusinessDate,
    linkedOn: BusinessDate,
    lines: z.array(LinkedCancellationLine).describe('The lines linked by this command (a change may be linked in parts).'),
  }),
);
export type CancellationLinked = z.infer<typeof CancellationLinked>;

export const QuantityChangeLine = ChangeLineIdentity.extend({ previousQuantity: Quantity, newQuantity: Quantity, ...ProductChangeFields });
export type QuantityChangeLine = z.infer<typeof QuantityChangeLine>;

/** An add (ADD) or reduction (CHANGE) linked to the vendor: provisioning sets each subscription's quantity. */
export const QuantityChangeLinked = integrationEvent(
  'QuantityChangeLinked',
  ContractChangeReference.extend({
    type: z.enum(['ADD', 'CHANGE']),
    requestedOn: BusinessDate,
    linkedOn: BusinessDate,
    lines: z.array(QuantityChangeLine),
  }),
);
export type QuantityChangeLinked = z.infer<typeof QuantityChangeLinked>;

export const ConfirmedCancellationLine = ChangeLineIdentity.extend({
  cancelledQuantity: Quantity,
  remainingQuantity: Quantity.describe('0: the line is CANCELLED; more: it keeps running with this quantity (a reduction).'),
});
export type ConfirmedCancellationLine = z.infer<typeof ConfirmedCancellationLine>;

/** 解約確定: what billing stops (or reduces) charging from. */
export const CancellationConfirmed = integrationEvent(
  'CancellationConfirmed',
  ContractChangeReference.extend({
    type: z.literal('CANCELLATION'),
    requestedOn: BusinessDate,
    endDate: BusinessDate.describe('契約終了日'),
    cancelledOn: BusinessDate.describe('解約日: the business date of the confirmation.'),
    forced: z.boolean().describe('Confirmed with `force` while a vendor had not confirmed yet.'),
    lines: z.array(ConfirmedCancellationLine),
  }),
);
export type CancellationConfirmed = z.infer<typeof CancellationConfirmed>;

/** An add or reduction took effect. */
export const QuantityChanged = integrationEvent(
  'QuantityChanged',
  ContractChangeReference.extend({
    type: z.enum(['ADD', 'CHANGE']),
    requestedOn: BusinessDate,
    effectiveOn: BusinessDate,
    confirmedOn: BusinessDate,
    forced: z.boolean(),
    lines: z.array(
      QuantityChangeLine.extend({
        vendorConfirmedOn: BusinessDate.optional().describe(
          'The business date (Asia/Tokyo) the vendor confirmed the new seat count: seats added to a new-commerce line count their 7-day cancellation window from it. Absent when forced before the vendor answered.',
        ),
      }),
    ),
  }),
);
export type QuantityChanged = z.infer<typeof QuantityChanged>;

/** A renewal change (更新) confirmed: each line's quantity for its next term, applied when the term renews. */
export const RenewalScheduled = integrationEvent(
  'RenewalScheduled',
  ContractChangeReference.extend({
    type: z.literal('RENEWAL'),
    requestedOn: BusinessDate,
    confirmedOn: BusinessDate,
    lines: z.array(ChangeLineIdentity.extend({ currentQuantity: Quantity, newQuantity: Quantity.describe('The quantity of the next term.') })),
  }),
);
export type RenewalScheduled = z.infer<typeof RenewalScheduled>;

/** キャンセル: the change was withdrawn before anything reached the vendor. */
export const ContractChangeWithdrawn = integrationEvent('ContractChangeWithdrawn', ContractChangeReference.extend({ withdrawnOn: BusinessDate }));
export type ContractChangeWithdrawn = z.infer<typeof ContractChangeWithdrawn>;

export type ContractChangeIntegrationEvent =
  | ContractChangeRequested
  | ContractChangeAccepted
  | CancellationLinked
  | QuantityChangeLinked
  | CancellationConfirmed
  | QuantityChanged
  | RenewalScheduled
  | ContractChangeWithdrawn;

export const CONTRACT_CHANGE_INTEGRATION_EVENT_TYPES: ContractChangeIntegrationEvent['type'][] = [
  'ContractChangeRequested',
  'ContractChangeAccepted',
  'CancellationLinked',
  'QuantityChangeLinked',
  'CancellationConfirmed',
  'QuantityChanged',
  'RenewalScheduled',
  'ContractChangeWithdrawn',
];
