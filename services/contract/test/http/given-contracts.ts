import { randomInt, randomUUID } from 'crypto';
import { EventToAppend } from '@lp/eventsourcing';
import { ContractChangeLine, ContractLineTerms, findProduct, firstTermStart, termEndOf } from '@lp/integration-events';
import { ApiSpecification, SeededStream } from '@lp/testing';
import { adminOf, written } from '../../../order/test/http/given-orders';
import { Harness } from '../../../embedded/test/support/harness';
import { ContractEvent, contractStreamId, OpenChangeType } from '../../src/domain/contract';
import { changeStreamId, ContractChangeEvent } from '../../src/domain/contract-change';

/**
 * Streams as the contract service writes them, for HTTP scenarios that start from events instead of
 * a chain of requests through order and provisioning: an ACTIVE contract, and a change on it in the
 * state a request finds it in. Every id is fresh, so scenarios share one runtime.
 */

/** The contract store of the embedded runtime, settled before and after the request. */
export const contractApi = (h: () => Harness) =>
  ApiSpecification.for(() => ({ stores: { contract: h().embedded.runtimes.contract.eventStore }, settle: () => h().settle() }));

const STARTED = '2026-07-01';

/** A contract line of `sku` as ContractCreated carries it (the placed order line's terms). */
function lineTerms(sku: string, quantity: number): ContractLineTerms {
  const product = findProduct(sku);
  if (!product) throw new Error(`No product ${sku} in the catalog`);
  const lineId = randomUUID();
  return {
    lineId,
    orderLineId: lineId,
    sku,
    productName: product.name,
    quantity,
    unitPrice: product.unitPrice,
    billingPolicy: product.billingPolicy,
    trial: product.trial,
    ...(product.term && { term: product.term }),
    ...(product.termDuration && { termDuration: product.termDuration }),
    ...(product.refundWindowDays !== undefined && { refundWindowDays: product.refundWindowDays }),
    placedOn: '2026-06-28',
    subscriptionId: randomUUID(),
  };
}

/**
 * A contract of `resellerId` with one line per `{ sku, quantity }`, created and confirmed (契約中)
 * from 2026-07-01 (its lines with a term renew automatically). `given(...later)` is its stream.
 */
export function aContract(lines: { sku: string; quantity: number }[], { resellerId = 'r-direct' } = {}) {
  const contractId = randomUUID();
  const reference = {
    contractId,
    contractNumber: `NCN202607-${String(randomInt(1e10)).padStart(10, '0')}`,
    orderId: randomUUID(),
    orderNumber: `NOD202606-${String(randomInt(1e10)).padStart(10, '0')}`,
    resellerId,
    customerId: randomUUID(),
  };
  const terms = lines.map(({ sku, quantity }) => lineTerms(sku, quantity));
  const event = (domainEvent: ContractEvent) => written([domainEvent], adminOf(resellerId))[0];
  const confirmedLines = terms.map((line) => {
    const confirmed = { ...line, subscriptionId: line.subscriptionId!, startDate: STARTED };
    if (!line.termDuration) return confirmed;
    const termStartDate = firstTermStart(confirmed);
    return { ...confirmed, termStartDate, termEndDate: termEndOf(termStartDate, line.termDuration), autoRenew: true };
  });
  const streamId = contractStreamId(contractId);
  const contract = {
    id: contractId,
    streamId,
    reference,
    lines: terms,
    event,
    given: (...later: EventToAppend[]): SeededStream => ({
      store: 'contract',
      streamId,
      events: [
        event({ type: 'ContractCreated', data: { ...reference, subject: 'テスト', subjectForForms: 'テスト', contractDate: STARTED, lines: terms } }),
        event({ type: 'ContractConfirmed', data: { ...reference, confirmedOn: STARTED, lines: confirmedLines } }),
        ...later,
      ],
    }),
    /**
     * The lines cancelled in full by an earlier change (解約済 from 2026-07-31), the contract then
     * `contractStatus` (CANCELLED once no line is active).
     */
    linesCancelled: (lineIds: string[], contractStatus: 'ACTIVE' | 'CANCELLED') =>
      event({
        type: 'ContractLinesCancelled',
        data: {
          contractId,
          changeId: randomUUID(),
          endDate: '2026-07-31',
          cancelledOn: '2026-07-25',
          lines: terms.filter((line) => lineIds.includes(line.lineId)).map((line) => ({ lineId: line.lineId, cancelledQuantity: line.quantity, remainingQuantity: 0, status: 'CANCELLED' })),
          contractStatus,
        },
      }),
    autoRenewSet: (lineId: string, autoRenew: boolean) => event({ type: 'ContractLineAutoRenewSet', data: { contractId, lineId, autoRenew, changedOn: '2026-07-05' } }),
  };
  return contract;
}

export type GivenContract = ReturnType<typeof aContract>;

/**
 * A change of `type` on the contract for `lines` (by index: `quantity` as the request gives it, a
 * cancellation's seats or the new quantity), opened on the contract (its lines locked) and requested
 * on its own stream. `given(...later)` is both streams; the later events are the change's.
 */
export function aChange(contract: GivenContract, type: OpenChangeType, lines: { index?: number; quantity: number; newSku?: string }[]) {
  const changeId = randomUUID();
  const changeLines: ContractChangeLine[] = lines.map(({ index = 0, quantity, newSku }) => {
    const line = contract.lines[index];
    const target = newSku ? findProduct(newSku)! : undefined;
    return {
      lineId: line.lineId,
      orderLineId: line.orderLineId,
      sku: line.sku,
      productName: line.productName,
      subscriptionId: line.subscriptionId!,
      currentQuantity: line.quantity,
      quantity,
      newQuantity: type === 'CANCELLATION' ? line.quantity - quantity : quantity,
      ...(target && { newSku: target.sku, newProductName: target.name, newUnitPrice: target.unitPrice }),
    };
  });
  const reference = { ...contract.reference, changeId, type };
  const requestedOn = '2026-07-20';
  const event = (domainEvent: ContractChangeEvent) => written([domainEvent], adminOf(contract.reference.resellerId))[0];
  const identity = ({ lineId, orderLineId, sku, productName, subscriptionId }: ContractChangeLine) => ({ lineId, orderLineId, sku, productName, subscriptionId });
  const linkedOn = '2026-07-21';
  const streamId = changeStreamId(changeId);
  return {
    id: changeId,
    streamId,
    contractId: contract.id,
    lines: changeLines,
    given: (...later: EventToAppend[]): SeededStream[] => [
      contract.given(
        contract.event({ type: 'ContractChangeOpened', data: { ...contract.reference, changeId, type, subject: 'テスト', requestedOn, all: false, lines: changeLines } }),
      ),
      { store: 'contract', streamId, events: [event({ type: 'ContractChangeRequested', data: { ...reference, subject: 'テスト', requestedOn, lines: changeLines } }), ...later] },
    ],
    accepted: () => event({ type: 'ContractChangeAccepted', data: { ...reference, acceptedOn: '2026-07-20' } }),
    /** 解約連携 / its quantity-change counterpart of every line: the vendor has not answered yet. */
    linked: () =>
      type === 'CANCELLATION'
        ? event({
            type: 'CancellationLinked',
            data: {
              ...reference,
              type,
              requestedOn,
              linkedOn,
              lines: changeLines.map((line) => ({ ...identity(line), currentQuantity: line.currentQuantity, quantity: line.quantity, remainingQuantity: line.newQuantity })),
            },
          })
        : event({
            type: 'QuantityChangeLinked',
            data: {
              ...reference,
              type: type as 'ADD' | 'CHANGE',
              requestedOn,
              linkedOn,
              lines: changeLines.map((line) => ({ ...identity(line), previousQuantity: line.currentQuantity, newQuantity: line.newQuantity })),
            },
          }),
    withdrawn: () => event({ type: 'ContractChangeWithdrawn', data: { ...reference, withdrawnOn: '2026-07-21' } }),
    vendorConfirmed: () =>
      changeLines.map((line) =>
        event({ type: 'VendorConfirmationRecorded', data: { changeId, lineId: line.lineId, subscriptionId: line.subscriptionId, confirmedOn: '2026-07-22' } }),
      ),
    vendorRefused: () =>
      changeLines.map((line) =>
        event({ type: 'VendorRefusalRecorded', data: { changeId, lineId: line.lineId, subscriptionId: line.subscriptionId, reason: '返金期間を過ぎています' } }),
      ),
  };
}
