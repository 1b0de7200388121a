import { ChangeLineIdentity, ContractChangeReference } from '@lp/integration-events';
import { ContractChangeLineState, ExistingContractChange } from './state';

/* What every outgoing event of a change repeats, so that its consumers need no other event to act. */

/** The change and its contract. */
export function referenceOf(state: ExistingContractChange): ContractChangeReference {
  return { ...state.contract, changeId: state.changeId, type: state.type };
}

/** Which line an outgoing event speaks of: the contract line, its order line, product and subscription. */
export const identityOf = (line: ContractChangeLineState): ChangeLineIdentity => ({
  lineId: line.lineId,
  orderLineId: line.orderLineId,
  sku: line.sku,
  productName: line.productName,
  subscriptionId: line.subscriptionId,
});

/** A product change's line: the product it moves to (nothing for a plain add or reduction). */
export const newProductOf = (line: ContractChangeLineState) =>
  line.newSku ? { newSku: line.newSku, newProductName: line.newProductName, newUnitPrice: line.newUnitPrice } : {};
