import { OrderPlaced } from '@lp/integration-events';
import { ContractCreatedData } from '../../src/domain/contract';
import { confirmedRow, createdRow, withPlacement } from '../../src/projections/rows';

const line = (lineId: string, sku: string, productName: string) => ({
  lineId,
  orderLineId: lineId,
  sku,
  productName,
  quantity: 2,
  unitPrice: 870,
  billingPolicy: 'microsoft-csp-monthly' as const,
  trial: false,
  placedOn: '2026-05-15',
});

const created: ContractCreatedData = {
  contractId: 'k-1',
  contractNumber: 'NCN202605-0000000001',
  orderId: 'o-1',
  orderNumber: 'NOD202605-0000000001',
  resellerId: 'r-direct',
  customerId: 'c-1',
  subject: 's',
  subjectForForms: 'sf',
  contractDate: '2026-05-20',
  lines: [line('l-1', 'MS-O365-E1', 'Office 365 E1'), line('l-2', 'MS-PROJECT-P1', 'Project Plan 1'), line('l-3', 'MS-O365-E1', 'Office 365 E1')],
};

describe('contract rows (契約一覧 / 契約詳細)', () => {
  it('starts PENDING, unbilled, without dates, with each product name once', () => {
    const row = createdRow(created, '2026-05-20T01:00:00.000Z');
    expect(row).toMatchObject({
      id: 'k-1',
      status: 'PENDING',
      statusLabel: '新規契約手続中',
      billing: false,
      startDate: null,
      endDate: null,
      cancelledOn: null,
      paymentMethod: null,
      productNames: ['Office 365 E1', 'Project Plan 1'],
      createdAt: '2026-05-20T01:00:00.000Z',
    });
    expect(row.lines.map((l) => [l.id, l.status, l.statusLabel, l.subscriptionId])).toEqual([
      ['l-1', 'PENDING', '新規契約手続中', null],
      ['l-2', 'PENDING', '新規契約手続中', null],
      ['l-3', 'PENDING', '新規契約手続中', null],
    ]);
  });

  it('turns confirmed lines ACTIVE 契約中 with their subscription; the contract starts with its earliest line and is billed', () => {
    const { contractId, contractNumber, orderId, orderNumber, resellerId, customerId } = created;
    const confirm = (lines: [string, string][], at: string) => ({
      ...{ contractId, contractNumber, orderId, orderNumber, resellerId, customerId },
      confirmedOn: at,
      lines: lines.map(([id, startDate]) => ({ ...line(id, 'MS-O365-E1', 'Office 365 E1'), subscriptionId: `sub-${id}`, startDate })),
    });
    const once = confirmedRow(createdRow(created, 't0'), confirm([['l-2', '2026-06-10']], '2026-06-10'), 't1');
    expect(once).toMatchObject({ status: 'ACTIVE', statusLabel: '契約中', billing: true, startDate: '2026-06-10', updatedAt: 't1' });
    expect(once.lines.map((l) => l.status)).toEqual(['PENDING', 'ACTIVE', 'PENDING']);
    expect(once.lines[1]).toMatchObject({ startDate: '2026-06-10', subscriptionId: 'sub-l-2', statusLabel: '契約中' });

    const twice = confirmedRow(once, confirm([['l-1', '2026-06-01']], '2026-06-12'), 't2');
    expect(twice.startDate).toBe('2026-06-01');
    expect(twice.endDate).toBeNull();
  });

  it('accumulates the lines of an order placed in parts, each line once', () => {
    const placed = (placedOn: string, lineIds: string[]): OrderPlaced['data'] => ({
      orderId: 'o-1',
      orderNumber: 'NOD202605-0000000001',
      resellerId: 'r-direct',
      customerId: 'c-1',
      purchaseOrderNumber: 'PO-1',
      placedOn,
      fullyPlaced: false,
      lines: lineIds.map((lineId) => ({
        lineId,
        sku: 'MS-O365-E1',
        productName: 'Office 365 E1',
        vendor: 'Microsoft',
        channel: 'CSP',
        provisioning: 'automatic',
        billingPolicy: 'microsoft-csp-monthly',
        trial: false,
        term: 'monthly',
        unitPrice: 870,
        quantity: 1,
        tenantId: 't-1',
      })),
    });
    const first = withPlacement(undefined, placed('2026-05-15', ['l-1']));
    const second = withPlacement(first, placed('2026-05-16', ['l-2', 'l-1']));
    expect(second).toMatchObject({ id: 'o-1', purchaseOrderNumber: 'PO-1', resellerId: 'r-direct' });
    expect(second.placedLines.map((l) => [l.orderLineId, l.placedOn])).toEqual([
      ['l-1', '2026-05-15'],
      ['l-2', '2026-05-16'],
    ]);
    expect(second.placedLines[0]).not.toHaveProperty('tenantId');
  });
});
