import { CancellationConfirmed, ContractConfirmed, ContractLineEnded, ContractLineRenewed, QuantityChanged } from '@lp/integration-events';
import { BillingLineCommand, billingLineStreamId } from './billing-line.decider';

/** A command for one line's billing stream. */
export interface LineCommand {
  streamId: string;
  command: BillingLineCommand;
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
  return data.lines.map((line) => ({
    streamId: billingLineStreamId(line.lineId),
    command: {
      type: 'ChangeLineQuantity',
      change: {
        changeId: data.changeId,
        kind: data.type === 'ADD' ? 'ADD' : 'REDUCE',
        requestedOn: data.requestedOn,
        effectiveOn: data.effectiveOn,
        newQuantity: line.newQuantity,
      },
    },
  }));
}

/**
 * 解約確定: a line cancelled in full ends (契約終了日); one with seats left is a reduction that
 * counts from the end date. The policies decide from which invoice either applies.
 */
export function fromCancellationConfirmed({ data }: Pick<CancellationConfirmed, 'data'>): LineCommand[] {
  return data.lines.map((line) => ({
    streamId: billingLineStreamId(line.lineId),
    command:
      line.remainingQuantity === 0
        ? { type: 'CancelLine', cancellation: { changeId: data.changeId, requestedOn: data.requestedOn, endDate: data.endDate, cancelledOn: data.cancelledOn } }
        : {
            type: 'ChangeLineQuantity',
            change: { changeId: data.changeId, kind: 'REDUCE', requestedOn: data.requestedOn, effectiveOn: data.endDate, newQuantity: line.remainingQuantity },
          },
  }));
}

/** 契約更新: the charges simply run on into the new term; a new quantity counts from its first day. */
export function fromContractLineRenewed({ data }: Pick<ContractLineRenewed, 'data'>): LineCommand[] {
  if (data.quantity === data.previousQuantity) return [];
  return [
    {
      streamId: billingLineStreamId(data.lineId),
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
      command: {
        type: 'CancelLine',
        cancellation: { changeId: `term-end-${data.endDate}`, requestedOn: data.autoRenewOffSince, endDate: data.endDate, cancelledOn: data.endedOn },
      },
    },
  ];
}
