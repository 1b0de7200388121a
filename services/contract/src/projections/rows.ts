import { ContractLineEnded, ContractLineRenewed, OrderPlaced } from '@lp/integration-events';
import {
  CONTRACT_LINE_STATUS_LABELS,
  CONTRACT_STATUS_LABELS,
  ContractConfirmedData,
  ContractCreatedData,
  ContractLineQuantitiesChanged,
  ContractLinesCancelled,
  contractStatusOf,
  isBilling,
  KnownPlacedLine,
  productsOf,
} from '../domain/contract';
import { isNewCommerce, windowFrom } from '../domain/nce-windows';
import { ContractLineView, ContractView, KnownOrderView } from './views';

// Pure row builders, kept apart from the projections so they can be unit-tested without a store.

const earliest = (dates: (string | null)[]) => dates.filter((date): date is string => !!date).sort()[0] ?? null;
const latestWhenAll = (dates: (string | null)[]) => {
  if (!dates.length || !dates.every((date) => !!date)) return null;
  const sorted = [...(dates as string[])].sort();
  return sorted[sorted.length - 1];
};

type PlacedTerms = Pick<KnownPlacedLine, 'sku' | 'productName' | 'quantity' | 'unitPrice' | 'billingPolicy' | 'trial'>;

/** The product terms a row copies from the line as placed: a contract's line and a known order's line keep the same ones. */
const placedTerms = ({ sku, productName, quantity, unitPrice, billingPolicy, trial }: PlacedTerms): PlacedTerms => ({ sku, productName, quantity, unitPrice, billingPolicy, trial });

/** The contract-level columns derived from its lines, so they can never disagree with them. */
function summary(lines: ContractLineView[]): Pick<ContractView, 'status' | 'statusLabel' | 'startDate' | 'endDate' | 'cancelledOn' | 'billing'> {
  const status = contractStatusOf(lines);
  return {
    status,
    statusLabel: CONTRACT_STATUS_LABELS[status],
    startDate: earliest(lines.map((line) => line.startDate)),
    endDate: latestWhenAll(lines.map((line) => line.endDate)),
    cancelledOn: latestWhenAll(lines.map((line) => line.cancelledOn)),
    billing: isBilling(lines),
  };
}

export function createdRow(data: ContractCreatedData, occurredAt: string): ContractView {
  const lines = data.lines.map(
    (line): ContractLineView => ({
      id: line.lineId,
      orderLineId: line.orderLineId,
      ...placedTerms(line),
      placedOn: line.placedOn,
      status: 'PENDING',
      statusLabel: CONTRACT_LINE_STATUS_LABELS.PENDING,
      startDate: null,
      endDate: null,
      cancelledOn: null,
      subscriptionId: line.subscriptionId ?? null,
      termDuration: line.termDuration ?? null,
      termStartDate: null,
      termEndDate: null,
      autoRenew: null,
      nextTermQuantity: null,
      cancellationAllowedUntil: null,
    }),
  );
  return {
    id: data.contractId,
    resellerId: data.resellerId,
    contractNumber: data.contractNumber,
    orderId: data.orderId,
    orderNumber: data.orderNumber,
    customerId: data.customerId,
    subject: data.subject,
    subjectForForms: data.subjectForForms,
    contractDate: data.contractDate,
    paymentMethod: data.paymentMethod ?? null,
    storeNotes: data.storeNotes ?? null,
    purchaseOrderNumber: data.purchaseOrderNumber ?? null,
    endUserOrderNumber: data.endUserOrderNumber ?? null,
    productNames: [...new Set(lines.map((line) => line.productName))],
    ...summary(lines),
    lines,
    createdAt: occurredAt,
    updatedAt: occurredAt,
  };
}

export function confirmedRow(row: ContractView, data: ContractConfirmedData, occurredAt: string): ContractView {
  const confirmed = new Map(data.lines.map((line) => [line.lineId, line]));
  const lines = row.lines.map((line): ContractLineView => {
    const done = confirmed.get(line.id);
    if (!done) return line;
    const term = done.termEndDate ? { termStartDate: done.termStartDate ?? null, termEndDate: done.termEndDate, autoRenew: done.autoRenew ?? true } : {};
    const window = done.cancellationAllowedUntil ? { cancellationAllowedUntil: done.cancellationAllowedUntil } : {};
    return { ...line, status: 'ACTIVE', statusLabel: CONTRACT_LINE_STATUS_LABELS.ACTIVE, startDate: done.startDate, subscriptionId: done.subscriptionId, ...term, ...window };
  });
  return { ...row, ...summary(lines), lines, updatedAt: occurredAt };
}

/** 解約確定 applied: fully cancelled lines end (end date, 解約日), reduced ones run on with the seats left. */
export function cancelledRow(row: ContractView, data: ContractLinesCancelled['data'], occurredAt: string): ContractView {
  const outcomes = new Map(data.lines.map((outcome) => [outcome.lineId, outcome]));
  const lines = row.lines.map((line): ContractLineView => {
    const outcome = outcomes.get(line.id);
    if (!outcome) return line;
    return outcome.status === 'CANCELLED'
      ? { ...line, status: 'CANCELLED', statusLabel: CONTRACT_LINE_STATUS_LABELS.CANCELLED, endDate: data.endDate, cancelledOn: data.cancelledOn }
      : { ...line, quantity: outcome.remainingQuantity };
  });
  return { ...row, ...summary(lines), lines, updatedAt: occurredAt };
}

/** An add or reduction applied: the lines' new quantities. */
export function quantitiesChangedRow(row: ContractView, data: ContractLineQuantitiesChanged['data'], occurredAt: string): ContractView {
  const products = productsOf(data.lines);
  const changed = new Map(data.lines.map((line) => [line.lineId, line]));
  const lines = row.lines.map((line) => {
    if (!changed.has(line.id)) return line;
    const { newQuantity: quantity, cancellationAllowedUntil } = changed.get(line.id)!;
    const until = cancellationAllowedUntil ?? windowFrom(data.effectiveOn, quantity - line.quantity).until;
    const added = isNewCommerce(line) && quantity > line.quantity ? { cancellationAllowedUntil: until } : {};
    return { ...line, quantity, ...added, ...products.get(line.id) };
  });
  return { ...row, productNames: [...new Set(lines.map((line) => line.productName))], lines, updatedAt: occurredAt };
}

/**
 * An order as known after one more OrderPlaced: an order may be placed in several parts, each
 * event naming only the lines it placed, so the lines accumulate (a line seen twice keeps its first placement).
 */
export function withPlacement(current: KnownOrderView | undefined, data: OrderPlaced['data']): KnownOrderView {
  const placedLines: KnownPlacedLine[] = [...(current?.placedLines ?? [])];
  for (const line of data.lines) {
    if (placedLines.some((known) => known.orderLineId === line.lineId)) continue;
    placedLines.push({
      orderLineId: line.lineId,
      ...placedTerms(line),
      ...(line.refundWindowDays !== undefined ? { refundWindowDays: line.refundWindowDays } : {}),
      ...(line.term !== undefined ? { term: line.term } : {}),
      ...(line.termDuration !== undefined ? { termDuration: line.termDuration } : {}),
      placedOn: data.placedOn,
    });
  }
  return {
    id: data.orderId,
    orderNumber: data.orderNumber,
    resellerId: data.resellerId,
    customerId: data.customerId,
    ...(data.purchaseOrderNumber ? { purchaseOrderNumber: data.purchaseOrderNumber } : {}),
    ...(data.endUserOrderNumber ? { endUserOrderNumber: data.endUserOrderNumber } : {}),
    placedLines,
  };
}

/** A line's own update (auto-renew, renewal, end); the contract-level columns follow. */
export function lineChangedRow(row: ContractView, lineId: string, update: (line: ContractLineView) => ContractLineView, occurredAt: string): ContractView {
  const lines = row.lines.map((line) => (line.id === lineId ? update(line) : line));
  return { ...row, ...summary(lines), lines, updatedAt: occurredAt };
}

/** 契約更新: the new term and its quantity. */
export function renewedRow(row: ContractView, data: ContractLineRenewed['data'], occurredAt: string): ContractView {
  return lineChangedRow(
    row,
    data.lineId,
    (line) => ({ ...line, quantity: data.quantity, termStartDate: data.termStartDate, termEndDate: data.termEndDate, nextTermQuantity: null }),
    occurredAt,
  );
}

/** Auto-renew off: the line ended on its term end date. */
export function endedRow(row: ContractView, data: ContractLineEnded['data'], occurredAt: string): ContractView {
  return lineChangedRow(
    row,
    data.lineId,
    (line) => ({ ...line, status: 'CANCELLED', statusLabel: CONTRACT_LINE_STATUS_LABELS.CANCELLED, endDate: data.endDate }),
    occurredAt,
  );
}
