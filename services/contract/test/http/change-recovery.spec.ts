import { randomUUID } from 'crypto';
import { CommandHandler } from '@lp/eventsourcing';
import { Harness } from './support';
import { simulatedVendors } from '../../../provisioning/test/http/support';
import { contractDecider, contractStreamId } from '../../src/domain/contract';
import { changeStreamId, contractChangeDecider } from '../../src/domain/contract-change';
import { activeContract, changeOnceVendorAnswered, subscription } from './change-support';

/** Nothing of a change is lost when the process stops in the middle, or a request dies between its two streams. */
describe('contract changes across restarts and crashes', () => {
  const vendors = simulatedVendors();
  let h: Harness;
  beforeAll(async () => (h = await new Harness({ provisioning: vendors.options }).start()));
  afterAll(() => h.stop());
  afterEach(() => (vendors.partnerCenter.latencyMs = 0));

  const system = () => ({ actor: { id: 'test-crash' }, correlationId: randomUUID(), causationId: randomUUID(), now: new Date() });

  it('a restart while the vendor works on a linked cancellation: the answer still arrives, the change and the list are rebuilt', async () => {
    const contract = await activeContract(h, [{ sku: 'MS-O365-E1', quantity: 3 }]);
    const changeId = (await h.http().post(`/contracts/${contract.id}/cancellations`, { all: true }).expect(201)).body.id;
    await h.http().post(`/contract-changes/${changeId}/accept`).expect(200);
    vendors.partnerCenter.latencyMs = 300;
    await h.http().post(`/contract-changes/${changeId}/link-cancellation`).expect(200);
    await h.restart();
    vendors.partnerCenter.latencyMs = 0;

    expect((await changeOnceVendorAnswered(h, changeId)).lines[0].vendorStatus).toBe('CONFIRMED');
    await h.http().post(`/contract-changes/${changeId}/confirm-cancellation`, { endDate: '2026-07-31' }).expect(200);
    expect((await h.http().get(`/contracts/${contract.id}`).expect(200)).body).toMatchObject({ status: 'CANCELLED', billing: false });
    expect((await h.http().get(`/contract-changes?contractId=${contract.id}`).expect(200)).body.items).toEqual([
      expect.objectContaining({ id: changeId, status: 'COMPLETED', customerCompanyName: 'factory2016T' }),
    ]);
    expect(await subscription(h, contract.lines[0].subscriptionId)).toMatchObject({ status: 'CANCELLED' });
  });

  it('a request that died after locking the lines: the worker creates the change from the contract', async () => {
    const contract = await activeContract(h, [{ sku: 'MS-O365-E1', quantity: 3 }]);
    const changeId = randomUUID();
    // What the request appended before it died: the lock on the contract stream, no change stream.
    await new CommandHandler(h.embedded.runtimes.contract.eventStore, contractDecider).handle(
      contractStreamId(contract.id),
      { type: 'OpenChange', changeId, changeType: 'CANCELLATION', lines: [{ lineId: contract.lines[0].id, quantity: 1 }], today: '2026-07-20' },
      system(),
    );
    await h.restart();
    await h.settle();
    expect((await h.http().get(`/contract-changes/${changeId}`).expect(200)).body).toMatchObject({ status: 'APPLIED', lines: [expect.objectContaining({ quantity: 1 })] });
  });

  it('a confirmation that died before reaching the contract: the worker applies it, once', async () => {
    const contract = await activeContract(h, [{ sku: 'MS-O365-E1', quantity: 3 }]);
    const changeId = (await h.http().post(`/contracts/${contract.id}/cancellations`, { lines: [{ lineId: contract.lines[0].id, quantity: 2 }] }).expect(201)).body.id;
    await h.http().post(`/contract-changes/${changeId}/accept`).expect(200);
    await h.http().post(`/contract-changes/${changeId}/link-cancellation`).expect(200);
    await changeOnceVendorAnswered(h, changeId);
    // The change stream says confirmed; the contract never heard of it from the request.
    await new CommandHandler(h.embedded.runtimes.contract.eventStore, contractChangeDecider).handle(
      changeStreamId(changeId),
      { type: 'ConfirmCancellation', endDate: '2026-07-31', confirmedOn: '2026-07-25' },
      system(),
    );
    await h.restart();
    await h.settle();

    const after = (await h.http().get(`/contracts/${contract.id}`).expect(200)).body;
    expect(after.lines[0]).toMatchObject({ status: 'ACTIVE', quantity: 1 });
    const history = (await h.http().get(`/contracts/${contract.id}/history`).expect(200)).body.map((event: { type: string }) => event.type);
    expect(history.filter((type: string) => type === 'ContractLinesCancelled')).toHaveLength(1);
  });
});
