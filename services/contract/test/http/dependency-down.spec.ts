import { ReadStore } from '@lp/read-models';
import { POCKETALK_ANNUAL, streamOneContract } from '../../../billing/test/http/support';
import { simulatedVendors } from '../../../provisioning/test/http/support';
import { activeContract } from './change-support';
import { asDistributor, Harness } from './support';

/**
 * The contract service with its read store (MongoDB in production) away: a committed contract or
 * change command never answers 5xx; it answers from its own events, marked X-View-Stale, and a
 * retry with the same Idempotency-Key changes nothing twice.
 */
describe('contract service: when the read store is down', () => {
  const vendors = simulatedVendors();
  let h: Harness;
  const waitBefore = process.env.VIEW_WAIT_MS;
  beforeAll(async () => {
    process.env.VIEW_WAIT_MS = '300';
    h = await new Harness({ provisioning: vendors.options }).start();
  });
  afterAll(async () => {
    process.env.VIEW_WAIT_MS = waitBefore;
    await h.stop();
  });
  afterEach(() => jest.restoreAllMocks());

  const contractService = () => h.embedded.runtimes.contract;
  const eventsOf = async (type: string, streamId: string) => (await contractService().eventStore.readStream(streamId)).filter((event) => event.type === type);
  /** A read store that throws on every read, as a stopped MongoDB does. */
  const readStoreDown = () =>
    jest.spyOn(contractService().readStore as ReadStore, 'collection').mockImplementation(() => {
      throw Object.assign(new Error('connection <monitor> to 127.0.0.1:27017 closed'), { name: 'MongoNetworkError' });
    });

  it('a cancellation request and its 受付 answer 2xx from the change stream with X-View-Stale; the accept retried with its key is accepted once', async () => {
    const contract = await activeContract(h, [{ sku: 'MS-O365-E1', quantity: 3 }], { companyName: '株式会社ダウン' });
    const [line] = contract.lines;

    readStoreDown();
    const requested = await h.http().post(`/contracts/${contract.id}/cancellations`, { lines: [{ lineId: line.id, quantity: 1 }], requestedOn: '2026-07-20' }).expect(201);
    expect(requested.headers['x-view-stale']).toBe('true');
    // The read model's shape, without the company name only the read store knows.
    expect(requested.body).toMatchObject({
      contractId: contract.id,
      contractNumber: contract.contractNumber,
      type: 'CANCELLATION',
      status: 'APPLIED',
      statusLabel: '申請',
      customerCompanyName: '',
      lines: [expect.objectContaining({ lineId: line.id, quantity: 1, currentQuantity: 3, newQuantity: 2, linkStatus: 'NOT_LINKED' })],
    });
    expect(requested.body.state).toBeUndefined();
    const changeId = requested.body.id;

    const accept = () => h.http().post(`/contract-changes/${changeId}/accept`).set('Idempotency-Key', `down-accept-${changeId}`).expect(200);
    const accepted = await accept();
    expect(accepted.headers['x-view-stale']).toBe('true');
    expect(accepted.body).toEqual({ ...requested.body, status: 'ACCEPTED', statusLabel: '受付済', acceptedOn: expect.any(String) });
    const again = await accept();
    expect(again.body).toEqual(accepted.body);
    expect(await eventsOf('ContractChangeAccepted', `contractChange-${changeId}`)).toHaveLength(1);

    // Back up: the read model shows what the stale answers said, with the company name joined again.
    jest.restoreAllMocks();
    await h.settle();
    const shown = await h.http().get(`/contract-changes/${changeId}`).expect(200);
    expect(shown.headers['x-view-stale']).toBeUndefined();
    expect(shown.body).toEqual({ ...accepted.body, customerCompanyName: '株式会社ダウン', userCompanyName: '株式会社ダウン' });
  });

  it('自動更新 off answers 200 from the contract stream with X-View-Stale, a retry with its key records it once; a renewal run answers what it did', async () => {
    const contract = await streamOneContract(h, { placedOn: '2026-12-10', quantity: 2, companyName: '株式会社ダウン更新', sku: POCKETALK_ANNUAL, startDate: '2026-12-20' });
    const [line] = contract.lines;
    const before = (await h.http().get(`/contracts/${contract.id}`).expect(200)).body;

    readStoreDown();
    const setOff = () =>
      h.http().put(`/contracts/${contract.id}/lines/${line.id}/auto-renew`, { autoRenew: false }).set('Idempotency-Key', `down-renew-${contract.id}`).expect(200);
    const off = await setOff();
    expect(off.headers['x-view-stale']).toBe('true');
    expect(off.body).toMatchObject({ id: contract.id, contractNumber: before.contractNumber, status: before.status, customerCompanyName: '' });
    expect(off.body.lines[0]).toMatchObject({ id: line.id, autoRenew: false, subscriptionId: before.lines[0].subscriptionId });
    expect((await setOff()).body).toEqual(off.body);
    expect(await eventsOf('ContractLineAutoRenewSet', `contract-${contract.id}`)).toHaveLength(1);
    jest.restoreAllMocks();

    // A renewal run whose read model goes away once it has ended the term: 200 with what it did, stale.
    const runtime = contractService();
    const projectionsCaughtUp = runtime.projectionsCaughtUp.bind(runtime);
    let calls = 0;
    jest.spyOn(runtime, 'projectionsCaughtUp').mockImplementation(() => (++calls === 1 ? projectionsCaughtUp() : Promise.reject(new Error('connection closed'))));
    const run = await h.http(asDistributor).post('/contracts/renewal-runs', { date: '2028-01-01' }).expect(200);
    expect(run.headers['x-view-stale']).toBe('true');
    expect(run.body.contracts).toContainEqual(expect.objectContaining({ contractId: contract.id, endedLineIds: [line.id] }));
    expect(await eventsOf('ContractLineEnded', `contract-${contract.id}`)).toHaveLength(1);
  });
});
