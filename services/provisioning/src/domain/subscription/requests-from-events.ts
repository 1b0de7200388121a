import { OrderPlaced, PlacedLine } from '@lp/integration-events';
import { RequestCancellation, RequestProvisioning, RequestQuantityChange, SubscriptionCommand } from './commands';
import { subscriptionStreamId } from './identity';

/**
 * Other services' events turned into subscription commands, for the process managers. Kept here,
 * pure, so what provisioning reads of a published event is tested with the decider that takes it.
 */

/** One RequestProvisioning per line of an OrderPlaced, for the process manager. */
export function provisioningRequestsFrom(placed: OrderPlaced['data'], requestedAt: string): RequestProvisioning[] {
  return placed.lines.map((line: PlacedLine) => ({
    type: 'RequestProvisioning',
    requestedAt,
    line: {
      orderId: placed.orderId,
      orderLineId: line.lineId,
      customerId: placed.customerId,
      resellerId: placed.resellerId,
      sku: line.sku,
      quantity: line.quantity,
      productName: line.productName,
      vendor: line.vendor,
      channel: line.channel,
      provisioning: line.provisioning,
      billingPolicy: line.billingPolicy,
      trial: line.trial,
      ...(line.refundWindowDays !== undefined ? { refundWindowDays: line.refundWindowDays } : {}),
      ...(line.tenantId !== undefined ? { tenantId: line.tenantId } : {}),
      ...(placed.purchaseOrderNumber !== undefined ? { purchaseOrderNumber: placed.purchaseOrderNumber } : {}),
      placedOn: placed.placedOn,
    },
  }));
}

/**
 * What provisioning needs of the contract service's CancellationLinked (解約連携): the change, the
 * business date it was requested on, and per line the subscription and the seats to cancel. Any
 * other field is ignored, so the published event type can be passed as it is.
 */
export interface CancellationLinkedInput {
  changeId: string;
  requestedOn: string;
  lines: { subscriptionId: string; quantity: number }[];
}

/** What provisioning needs of QuantityChangeLinked: per line the subscription and its new seat count. */
export interface QuantityChangeLinkedInput {
  changeId: string;
  requestedOn: string;
  lines: { subscriptionId: string; newQuantity: number; newSku?: string }[];
}

/** A command for one subscription stream. */
export interface SubscriptionStreamCommand<C extends SubscriptionCommand = SubscriptionCommand> {
  subscriptionId: string;
  streamId: string;
  command: C;
}

/** One RequestCancellation per linked line, for the consumer of CancellationLinked. */
export function cancellationRequestsFrom(linked: CancellationLinkedInput): SubscriptionStreamCommand<RequestCancellation>[] {
  return linked.lines.map((line) => ({
    subscriptionId: line.subscriptionId,
    streamId: subscriptionStreamId(line.subscriptionId),
    command: { type: 'RequestCancellation', changeId: linked.changeId, quantity: line.quantity, requestedOn: linked.requestedOn },
  }));
}

/** One RequestQuantityChange per linked line, for the consumer of QuantityChangeLinked. */
export function quantityChangeRequestsFrom(linked: QuantityChangeLinkedInput): SubscriptionStreamCommand<RequestQuantityChange>[] {
  return linked.lines.map((line) => ({
    subscriptionId: line.subscriptionId,
    streamId: subscriptionStreamId(line.subscriptionId),
    command: {
      type: 'RequestQuantityChange',
      changeId: linked.changeId,
      newQuantity: line.newQuantity,
      requestedOn: linked.requestedOn,
      ...(line.newSku ? { newSku: line.newSku } : {}),
    },
  }));
}
