import { ContractLineTerms, firstTermStart, termDurationOf, termEndOf } from '@lp/integration-events';
import { conflict, ruleViolation } from '@lp/eventsourcing';
import { isNewCommerce, purchaseWindow } from '../nce-windows';
import { refuseUnknownLines } from '../unknown-lines';
import { ConfirmLines, CreateContract } from './commands';
import { ContractEvent } from './events';
import { optional } from './optional-text';
import { ContractLineState, ContractState, existingContract } from './state';

/*
 * The contract's lifecycle: created PENDING from placed order lines, its lines confirmed (ACTIVE)
 * once provisioning reports their subscriptions ACTIVE. Cancellations and quantity changes go
 * through the change lock (open-change.ts, apply-change.ts), terms through terms.ts.
 *
 * The shapes of the request (texts present, a real contract date, at least one line id, each once;
 * a real start date) are CreateContractDto's and ConfirmContractDto's, answered 400 before a command
 * is built; the decider decides what needs the contract and the order.
 */

export function createContract(command: CreateContract, state: ContractState): ContractEvent[] {
  if (state.status !== 'NONE') throw conflict('ALREADY_EXISTS', 'The contract already exists');
  const { order } = command;
  const placed = new Map(order.placedLines.map((line) => [line.orderLineId, line]));
  const notPlaced = command.lineIds.filter((id) => !placed.has(id));
  if (notPlaced.length) {
    throw ruleViolation('LINE_NOT_PLACED', `Lines not placed in order ${order.orderNumber}: ${notPlaced.join(', ')}`);
  }
  const taken = command.lineIds.filter((id) => command.contractedLineIds.includes(id));
  if (taken.length) {
    throw ruleViolation('LINE_ALREADY_CONTRACTED', `Lines already in another contract: ${taken.join(', ')}`);
  }

  const lines = command.lineIds.map((id): ContractLineTerms => {
    const { orderLineId, refundWindowDays, subscriptionId, termDuration: _duration, ...terms } = placed.get(id)!;
    const termDuration = termDurationOf(placed.get(id)!);
    return {
      lineId: orderLineId,
      orderLineId,
      ...terms,
      ...(termDuration ? { termDuration } : {}),
      ...(refundWindowDays !== undefined ? { refundWindowDays } : {}),
      ...(subscriptionId ? { subscriptionId } : {}),
    };
  });
  return [
    {
      type: 'ContractCreated',
      data: {
        contractId: command.contractId,
        contractNumber: command.contractNumber.trim(),
        orderId: order.orderId,
        orderNumber: order.orderNumber,
        resellerId: order.resellerId,
        customerId: order.customerId,
        ...optional('purchaseOrderNumber', order.purchaseOrderNumber),
        ...optional('endUserOrderNumber', order.endUserOrderNumber),
        subject: command.subject.trim(),
        subjectForForms: command.subjectForForms.trim(),
        contractDate: command.contractDate.trim(),
        ...optional('paymentMethod', command.paymentMethod),
        ...optional('storeNotes', command.storeNotes),
        lines,
      },
    },
  ];
}

export function confirmLines(command: ConfirmLines, state: ContractState): ContractEvent[] {
  const contract = existingContract(state);
  if (contract.status === 'CANCELLED') throw conflict('INVALID_STATE', 'Cannot confirm lines of a cancelled contract');
  refuseUnknownLines(command.lineIds ?? [], contract.lines, 'contract');

  const chosen = command.lineIds?.length
    ? contract.lines.filter((line) => command.lineIds!.includes(line.lineId))
    : contract.lines.filter((line) => line.status === 'PENDING');
  if (chosen.length === 0) throw conflict('INVALID_STATE', 'No line of this contract is waiting for confirmation');
  const notPending = chosen.filter((line) => line.status !== 'PENDING');
  if (notPending.length) {
    throw conflict('LINE_NOT_PENDING', `Lines already confirmed or cancelled: ${notPending.map((line) => line.lineId).join(', ')}`);
  }

  const subscriptionOf = (line: ContractLineState) =>
    command.subscriptions.find((subscription) => subscription.orderLineId === line.orderLineId);
  const waiting = chosen.filter((line) => subscriptionOf(line)?.status !== 'ACTIVE');
  if (waiting.length) {
    const detail = waiting.map((line) => `${line.lineId} (${subscriptionOf(line)?.status ?? 'no subscription yet'})`).join(', ');
    throw conflict('PROVISIONING_NOT_COMPLETE', `The subscriptions of these lines are not ACTIVE yet: ${detail}`);
  }

  const startDate = command.startDate ?? command.confirmedOn;
  const { contractId, contractNumber, orderId, orderNumber, resellerId, customerId, purchaseOrderNumber, endUserOrderNumber } = contract;
  return [
    {
      type: 'ContractConfirmed',
      data: {
        ...{ contractId, contractNumber, orderId, orderNumber, resellerId, customerId },
        ...optional('purchaseOrderNumber', purchaseOrderNumber),
        ...optional('endUserOrderNumber', endUserOrderNumber),
        confirmedOn: command.confirmedOn,
        lines: chosen.map((line) => {
          const { status: _status, startDate: _start, endDate: _end, cancelledOn: _cancelled, openChangeId: _change, ...terms } = line;
          const confirmed = {
            ...terms,
            subscriptionId: subscriptionOf(line)!.subscriptionId,
            startDate,
            ...(isNewCommerce(line) ? { cancellationAllowedUntil: purchaseWindow(subscriptionOf(line), startDate, line.quantity).until } : {}),
          };
          if (!line.termDuration) return confirmed;
          const termStartDate = firstTermStart(confirmed);
          return { ...confirmed, termStartDate, termEndDate: termEndOf(termStartDate, line.termDuration), autoRenew: true };
        }),
      },
    },
  ];
}
