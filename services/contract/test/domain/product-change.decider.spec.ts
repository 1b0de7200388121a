import { ContractLineTerms } from '@lp/integration-events';
import { DeciderSpecification } from '@lp/testing';
import { contractDecider, ContractEvent } from '../../src/domain/contract';
import { activeContract, changeLine, CONTRACT_ID, E1, lineOf, openChange, opened, PROJECT } from './change-fixtures';

const given = DeciderSpecification.for(contractDecider);

const E3 = { newSku: 'MS-O365-E3', newProductName: 'Office 365 E3', newUnitPrice: 2170 };
const productChange = (sku: string, quantity?: number) =>
  openChange({ changeType: 'PRODUCT_CHANGE', lines: [{ lineId: E1.lineId, sku, ...(quantity !== undefined ? { quantity } : {}) }] });
const BASIC_LINE: ContractLineTerms = { ...E1, lineId: 'ol-bb', orderLineId: 'ol-bb', sku: 'MS-M365-BB', productName: 'Microsoft 365 Business Basic', unitPrice: 750 };

describe('contract decider: product change (数量・商品変更 to an upgrade)', () => {
  it('opens a CHANGE moving Office 365 E1 to E3 (the catalog’s upgrade), quantity default unchanged, with the new name and price', () => {
    given(activeContract()).when(productChange('MS-O365-E3')).then([opened([{ ...changeLine(E1, 3, 3), ...E3 }], { type: 'CHANGE' })]);
    given(activeContract()).when(productChange('MS-O365-E3', 5)).then([opened([{ ...changeLine(E1, 5, 5), ...E3 }], { type: 'CHANGE' })]);
  });

  it('refuses what the catalog does not list as an upgrade, each with its code (422)', () => {
    given(activeContract()).when(productChange('MS-NOPE')).thenThrows({ kind: 'rule', code: 'UNKNOWN_PRODUCT' });
    given(activeContract()).when(productChange('MS-O365-E1')).thenThrows({ kind: 'rule', code: 'SAME_PRODUCT' });
    given(activeContract()).when(productChange('SN-POCKETALK-CC-M')).thenThrows({ kind: 'rule', code: 'OTHER_VENDOR' });
    given(activeContract()).when(productChange('MS-AZURE-PLAN')).thenThrows({ kind: 'rule', code: 'OTHER_BILLING_POLICY' });
    given(activeContract()).when(productChange('MS-PROJECT-P1')).thenThrows({ kind: 'rule', code: 'NOT_AN_UPGRADE' });
    const e3Line: ContractLineTerms = { ...BASIC_LINE, lineId: E1.lineId, orderLineId: E1.orderLineId, sku: 'MS-O365-E3', productName: 'Office 365 E3', unitPrice: 2170 };
    given(activeContract([e3Line, PROJECT])).when(productChange('MS-O365-E1')).thenThrows({ kind: 'rule', code: 'NOT_AN_UPGRADE' });
  });

  it('once confirmed, the line takes the new product, name and price', () => {
    const applied: ContractEvent = {
      type: 'ContractLineQuantitiesChanged',
      data: { contractId: CONTRACT_ID, changeId: 'ch-1', effectiveOn: '2021-09-01', lines: [{ lineId: E1.lineId, previousQuantity: 3, newQuantity: 3, ...E3 }] },
    };
    given([...activeContract(), opened([{ ...changeLine(E1, 3, 3), ...E3 }], { type: 'CHANGE' })])
      .when({ type: 'ApplyQuantityChange', changeId: 'ch-1', effectiveOn: '2021-09-01', lines: [{ lineId: E1.lineId, newQuantity: 3, ...E3 }] })
      .then([applied]);
    given([...activeContract(), opened([{ ...changeLine(E1, 3, 3), ...E3 }], { type: 'CHANGE' }), applied]).thenState((state) =>
      expect(lineOf(state, E1.lineId)).toMatchObject({ sku: 'MS-O365-E3', productName: 'Office 365 E3', unitPrice: 2170, quantity: 3 }),
    );
  });
});
