import { FieldError, conflict, invalid, ruleViolation } from '@lp/eventsourcing';
import { duplicates } from '../duplicates';
import { refuseClosedWindows } from '../nce-windows';
import { productChangeTarget } from '../product-change';
import { refuseUnknownLines } from '../unknown-lines';
import { OpenChange } from './commands';
import { ContractEvent, OpenChangeType } from './events';
import { ContractLineState, ContractState, existingContract } from './state';
import { CONTRACT_LINE_STATUS_LABELS, CONTRACT_STATUS_LABELS } from './statuses';

/*
 * Opening a change (契約変更, issue 5) takes the lock on its lines: decided on the contract stream,
 * so that eligibility and the lock are one append and two changes can never race for a line. The
 * change's own life then runs on its `contractChange-<id>` stream (../contract-change).
 *
 * The shapes of each line (a whole quantity in range of MAX_QUANTITY, a product sku where one is
 * asked), of `all` and of the request date are the request DTOs' (contract-change.dto.ts), and the
 * change type is the route's; what the decider refuses with 400 are the combinations no field
 * decorator can express: lines or all, all only for cancellations, a line listed twice.
 */

export const TRIAL_IN_BULK_CANCELLATION_MESSAGE = 'トライアル商品は一括解約できません';

/**
 * Which quantity change the new quantities ask for (POST /contracts/:id/quantity-changes sends the
 * NEW quantity per line): ADD 追加 when every one is above the current quantity, CHANGE 数量・商品変更
 * (a reduction) when every one is below. Mixed → 400. Unknown lines and unchanged quantities
 * are left to OpenChange, which names them.
 */
export function quantityChangeType(state: ContractState, lines: readonly { lineId: string; quantity?: number }[]): 'ADD' | 'CHANGE' {
  const current = new Map((state.status === 'NONE' ? [] : state.lines).map((line) => [line.lineId, line.quantity]));
  const known = lines.filter((line): line is { lineId: string; quantity: number } => current.has(line.lineId) && line.quantity !== undefined);
  const up = known.filter((line) => line.quantity > current.get(line.lineId)!);
  const down = known.filter((line) => line.quantity < current.get(line.lineId)!);
  if (up.length && down.length) {
    throw invalid([
      {
        path: 'lines',
        message: `adds (${up.map((line) => line.lineId).join(', ')}) and reductions (${down.map((line) => line.lineId).join(', ')}) must be requested separately`,
      },
    ]);
  }
  return up.length ? 'ADD' : 'CHANGE';
}

export function openChange(request: OpenChange, state: ContractState): ContractEvent[] {
  const contract = existingContract(state);
  const productChange = request.changeType === 'PRODUCT_CHANGE';
  const changeType: OpenChangeType =
    request.changeType === 'QUANTITY_CHANGE' ? quantityChangeType(state, request.lines ?? []) : request.changeType === 'PRODUCT_CHANGE' ? 'CHANGE' : request.changeType;
  const command = { ...request, changeType };
  if (contract.changes.some((change) => change.changeId === command.changeId)) {
    throw conflict('ALREADY_EXISTS', `Change ${command.changeId} was already opened on this contract`);
  }
  if (contract.status !== 'ACTIVE') {
    throw conflict('INVALID_STATE', `Only an ACTIVE contract can be changed; this one is ${contract.status} (${CONTRACT_STATUS_LABELS[contract.status]})`);
  }

  // 400: the request itself, every bad field at once.
  const errors: FieldError[] = [];
  const requested = command.lines ?? [];
  const cancellation = command.changeType === 'CANCELLATION';
  const renewal = command.changeType === 'RENEWAL';
  if (command.all === true && !cancellation) errors.push({ path: 'all', message: 'select all (全選択) is for cancellations only' });
  if (command.all === true && requested.length) errors.push({ path: 'lines', message: 'give either lines or all: true, not both' });
  if (command.all !== true && requested.length === 0) errors.push({ path: 'lines', message: 'choose at least one line, or all: true' });
  for (const id of duplicates(requested.map((line) => line.lineId))) errors.push({ path: 'lines', message: `line ${id} is listed more than once` });
  if (errors.length) throw invalid(errors);
  refuseUnknownLines(requested.map((line) => line.lineId), contract.lines, 'contract');

  const active = contract.lines.filter((line) => line.status === 'ACTIVE');
  const lineOf = (id: string) => contract.lines.find((line) => line.lineId === id)!;
  const chosen: { line: ContractLineState; quantity: number }[] = command.all
    ? active.map((line) => ({ line, quantity: line.quantity }))
    : requested.map((line) => ({ line: lineOf(line.lineId), quantity: line.quantity ?? lineOf(line.lineId).quantity }));

  // 422: the rules.
  if (command.all) {
    const trials = active.filter((line) => line.trial);
    if (trials.length) {
      throw ruleViolation(
        'TRIAL_IN_BULK_CANCELLATION',
        `${TRIAL_IN_BULK_CANCELLATION_MESSAGE} (${trials.map((line) => `${line.lineId} ${line.productName}`).join(', ')})`,
      );
    }
  }
  const notEligible = chosen.filter(({ line }) => line.status !== 'ACTIVE' || line.openChangeId);
  if (notEligible.length) {
    const why = (line: ContractLineState) =>
      line.status !== 'ACTIVE' ? `${line.lineId} (${line.status} ${CONTRACT_LINE_STATUS_LABELS[line.status]})` : `${line.lineId} (open change ${line.openChangeId})`;
    throw ruleViolation('LINE_NOT_ACTIVE', `Lines not eligible (cancelled, not yet active, or with an open change): ${notEligible.map(({ line }) => why(line)).join(', ')}`);
  }
  if (chosen.length === 0) throw ruleViolation('LINE_NOT_ACTIVE', 'No line of this contract is active');
  if (renewal) refuseRenewalOfLinesWithoutTerm(chosen.map(({ line }) => line), requested);
  const targets = new Map(productChange ? requested.map((wanted) => [wanted.lineId, productChangeTarget(lineOf(wanted.lineId), wanted.sku!)]) : []);
  if (cancellation || (command.changeType === 'CHANGE' && !productChange)) {
    const seatsGivenUp = (line: ContractLineState, quantity: number) => (cancellation ? quantity : line.quantity - quantity);
    refuseClosedWindows(
      chosen.map(({ line, quantity }) => ({ ...line, seatsGivenUp: seatsGivenUp(line, quantity) })),
      command.requestedOn ?? command.today,
    );
  }
  const range = (current: number): [number, number] =>
    cancellation
      ? [1, current]
      : renewal || productChange
        ? [1, Number.MAX_SAFE_INTEGER]
        : command.changeType === 'CHANGE'
          ? [1, current - 1]
          : [current + 1, Number.MAX_SAFE_INTEGER];
  const outOfRange = chosen.filter(({ line, quantity }) => {
    const [min, max] = range(line.quantity);
    return quantity < min || quantity > max;
  });
  if (outOfRange.length) {
    const allowed = (current: number) => {
      const [min, max] = range(current);
      if (min > max) return 'no reduction possible';
      return max === Number.MAX_SAFE_INTEGER ? `more than ${current}` : `${min}…${max}`;
    };
    const what = cancellation ? 'quantity to cancel' : 'new quantity';
    throw ruleViolation(
      'QUANTITY_OUT_OF_RANGE',
      `The ${what} is out of range: ${outOfRange.map(({ line, quantity }) => `${line.lineId} ${quantity} (allowed: ${allowed(line.quantity)})`).join(', ')}`,
    );
  }

  const { contractId, contractNumber, orderId, orderNumber, resellerId, customerId } = contract;
  return [
    {
      type: 'ContractChangeOpened',
      data: {
        ...{ contractId, contractNumber, orderId, orderNumber, resellerId, customerId },
        changeId: command.changeId,
        type: command.changeType,
        subject: contract.subject,
        requestedOn: command.requestedOn ?? command.today,
        all: command.all === true,
        lines: chosen.map(({ line, quantity }) => {
          if (!line.subscriptionId) throw new Error(`Active contract line ${line.lineId} has no subscription`);
          return {
            lineId: line.lineId,
            orderLineId: line.orderLineId,
            sku: line.sku,
            productName: line.productName,
            subscriptionId: line.subscriptionId,
            currentQuantity: line.quantity,
            quantity,
            newQuantity: cancellation ? line.quantity - quantity : quantity,
            ...(targets.get(line.lineId) ?? {}),
          };
        }),
      },
    },
  ];
}

/**
 * 更新 is for lines with a term (422 NO_TERM); the next term keeps the product (422 RENEWAL_PRODUCT_CHANGE
 * for another sku). A product for the next term would have to reach billing with the renewal, whose
 * published event carries only the quantity; and no product with a term has an upgrade in the catalog,
 * so a product change at renewal could never pass the upgrade rule anyway.
 */
function refuseRenewalOfLinesWithoutTerm(lines: readonly ContractLineState[], requested: readonly { lineId: string; sku?: string }[]): void {
  const evergreen = lines.filter((line) => !line.termDuration);
  if (evergreen.length) {
    throw ruleViolation('NO_TERM', `Lines without a term run until cancelled and have no renewal: ${evergreen.map((line) => `${line.lineId} ${line.productName}`).join(', ')}`);
  }
  const otherProduct = requested.filter((wanted) => wanted.sku !== undefined && wanted.sku !== lines.find((line) => line.lineId === wanted.lineId)?.sku);
  if (otherProduct.length) {
    throw ruleViolation(
      'RENEWAL_PRODUCT_CHANGE',
      `A renewal keeps the line's product (the next term renews the same sku; change the quantity only). For another product, ` +
        `request a product change (数量・商品変更, POST /contracts/{id}/product-changes: upgrades only), or turn auto-renew off so the line ends on its term end ` +
        `and order the new product: ${otherProduct.map((line) => `${line.lineId} → ${line.sku}`).join(', ')}`,
    );
  }
}
