import { CancellationConfirmed, ContractConfirmed, ContractLineEnded, ContractLineRenewed, QuantityChanged } from '@lp/integration-events';
import { BillingLineCommand, billingLineStreamId } from './billing-line.decider';
import { addDays } from './dates';

/** A command for one line's billing stream. */
export interface LineCommand {
  streamId: string;
  command: BillingLineCommand;
  /** The line's product when the event was written: after a product change the line bills on the new product's stream. */
  sku?: string;
}

/** After a product change a contract line bills on a stream of its own per product (the first product keeps billingLine-<lineId>). */
export const productStreamId = (lineId: string, sku: string) => `${billingLineStreamId(lineId)}~${sku}`;

/** 数量・商品変更 to another product: the old product's billing ends the day before the new one's starts. */
export interface ProductSwitch {
  lineId: string;
  fromSku: string;
  changeId: string;
  requestedOn: string;
  effectiveOn: string;
  confirmedOn: string;
  newSku: string;
  newProductName: string;
  newUnitPrice: number;
  newQuantity: number;
}

export function productSwitchesOf({ data }: Pick<QuantityChanged, 'data'>): ProductSwitch[] {
  return data.lines
    .filter((line) => line.newSku)
    .map((line) => ({
      lineId: line.lineId,
      fromSku: line.sku,
      changeId: data.changeId,
      requestedOn: data.requestedOn,
      effectiveOn: data.effectiveOn,
      confirmedOn: data.confirmedOn,
      newSku: line.newSku!,
      newProductName: line.newProductName ?? line.newSku!,
      newUnitPrice: line.newUnitPrice ?? 0,
      newQuantity: line.newQuantity,
    }));
}

/** 契約確定: billing of each confirmed line starts from its start date, under its product's policy. */
export function fromContractConfirmed({ data }: Pick<ContractConfirmed, 'data'>): LineCommand[] {
  const contract = {
    contractNumber: data.contractNumber,
    orderNumber: data.orderNumber,
    ...(data.purchaseOrderNumber ? { purchaseOrderNumber: data.purchaseOrderNumber } : {}),
    ...(data.endUserOrderNumber ? { endUserOrderNumber: data.endUserOrderNumber } : {}),
  };
  return data.lines.map((line) => ({
    streamId: billingLineStreamId(line.lineId),
    command: {
      type: 'StartLineBilling',
      contract,
      line: {
        contractId: data.contractId,
        lineId: line.lineId,
        customerId: data.customerId,
        resellerId: data.resellerId,
        sku: line.sku,
        productName: line.productName,
        unitPrice: line.unitPrice,
        billingPolicy: line.billingPolicy,
        placedOn: line.placedOn,
        startDate: line.startDate,
        quantity: line.quantity,
        ...(line.refundWindowDays !== undefined ? { refundWindowDays: line.refundWindowDays } : {}),
        ...(line.term === 'annual' ? { term: 'annual' as const } : {}),
      },
    },
  }));
}

/** An add (ADD) or reduction (CHANGE) in force: each line's new seat count from `effectiveOn`. */
export function fromQuantityChanged({ data }: Pick<QuantityChanged, 'data'>): LineCommand[] {
  return data.lines.filter((line) => !line.newSku).map((line) => ({
    streamId: billingLineStreamId(line.lineId),
    sku: line.sku,
    command: {
      type: 'ChangeLineQuantity',
      change: {
        changeId: data.changeId,
        kind: data.type === 'ADD' ? 'ADD' : 'REDUCE',
        requestedOn: data.requestedOn,
        effectiveOn: data.effectiveOn,
        newQuantity: line.newQuantity,
        confirmedOn: data.confirmedOn,
      },
    },
  }));
}

/**
 * 解約確定: a line cancelled in full ends (契約終了日); one with seats left is a reduction that
 * counts from the day after the end date, the cancelled seats' last day being the end date as for a
 * whole line. The policies decide from which invoice either applies.
 */
export function fromCancellationConfirmed({ data }: Pick<CancellationConfirmed, 'data'>): LineCommand[] {
  return data.lines.map((line) => ({
    streamId: billingLineStreamId(line.lineId),
    sku: line.sku,
    command:
      line.remainingQuantity === 0
        ? { type: 'CancelLine', cancellation: { changeId: data.changeId, requestedOn: data.requestedOn, endDate: data.endDate, cancelledOn: data.cancelledOn } }
        : {
            type: 'ChangeLineQuantity',
            change: {
              changeId: data.changeId,
              kind: 'REDUCE',
              requestedOn: data.requestedOn,
              effectiveOn: addDays(data.endDate, 1),
              newQuantity: line.remainingQuantity,
              confirmedOn: data.cancelledOn,
            },
          },
  }));
}

/** 契約更新: the charges simply run on into the new term; a new quantity counts from its first day. */
export function fromContractLineRenewed({ data }: Pick<ContractLineRenewed, 'data'>): LineCommand[] {
  if (data.quantity === data.previousQuantity) return [];
  return [
    {
      streamId: billingLineStreamId(data.lineId),
      sku: data.sku,
      command: {
        type: 'ChangeLineQuantity',
        change: {
          changeId: `renewal-${data.termStartDate}`,
          kind: 'RENEWAL',
          requestedOn: data.renewedOn,
          effectiveOn: data.termStartDate,
          newQuantity: data.quantity,
        },
      },
    },
  ];
}

/**
 * Auto-renew off: the line ends on its term end date like a cancellation, requested when auto-renew
 * was switched off (StreamOne's notice counts from then). No charge after the end.
 */
export function fromContractLineEnded({ data }: Pick<ContractLineEnded, 'data'>): LineCommand[] {
  return [
    {
      streamId: billingLineStreamId(data.lineId),
      sku: data.sku,
      command: {
        type: 'CancelLine',
        cancellation: { changeId: `term-end-${data.endDate}`, requestedOn: data.autoRenewOffSince, endDate: data.endDate, cancelledOn: data.endedOn, reason: 'TERM_END' },
      },
    },
  ];
}
