import { TOPICS } from '@lp/integration-events';
import { BillingService } from '../../src/application/billing.service';
import { billingLineDecider } from '../../src/domain/billing-line.decider';
import {
  activeContract,
  asDistributor,
  cancelSeats,
  contractEvents,
  documentsOf,
  Harness,
  issuedTo,
  runBilling,
  simulatedVendors,
  theInvoiceOf,
} from './support';

/** Redelivered contract events, repeated and crashed runs: nothing is ever charged twice, nothing lost. */
describe('billing idempotence through the API, embedded', () => {
  describe('redelivered contract events (at-least-once delivery on contract.events)', () => {
    let h: Harness;
    beforeAll(async () => (h = await new Harness({ provisioning: simulatedVendors().options }).start()));
    afterAll(() => h.stop());
    afterEach(() => jest.restoreAllMocks());

    /** Publishes the contract's already-published ContractConfirmed again (twice), as a redelivery would; returns what billing decided for it. */
    async function redeliverContractConfirmed(contractId: string, lineId: string) {
      const confirmed = (await contractEvents(h)).filter((event) => event.type === 'ContractConfirmed' && event.streamId === `contract-${contractId}`);
      expect(confirmed).toHaveLength(1);
      const decide = jest.spyOn(billingLineDecider, 'decide');
      await h.embedded.runtimes.contract.adapters.bus.publish(TOPICS.contract, [confirmed[0], confirmed[0]]);
      await h.settle();
      const starts = decide.mock.calls.flatMap(([command], index) =>
        command.type === 'StartLineBilling' && command.line.lineId === lineId ? [decide.mock.results[index].value] : [],
      );
      decide.mockRestore();
      return starts;
    }

    it('ContractConfirmed delivered again after July was invoiced → billing sees it and decides nothing; July and August are charged once each', async () => {
      const contract = await activeContract(h, [{ sku: 'MS-O365-E1', quantity: 3 }], { companyName: '再配信株式会社', startDate: '2026-07-01' });
      const [line] = contract.lines;
      const july = await theInvoiceOf(h, await runBilling(h, '2026-07'), contract.customerId);
      expect(july).toMatchObject({ subtotal: 2610, tax: 261, total: 2871 });

      // Billing handled both redeliveries (the decider was asked) and appended nothing.
      expect(await redeliverContractConfirmed(contract.id, line.id)).toEqual([[], []]);
      const stream = await h.embedded.runtimes.billing.eventStore.readStream(`billingLine-${line.id}`);
      expect(stream.map((event) => event.type)).toEqual(['BillingLineStarted', 'LineChargingScheduled']);

      expect(issuedTo((await runBilling(h, '2026-07')).invoices, contract.customerId)).toEqual([]);
      const august = await theInvoiceOf(h, await runBilling(h, '2026-08'), contract.customerId);
      expect(august.lines).toEqual([expect.objectContaining({ chargeId: `${line.id}:MONTHLY:2026-08`, quantity: 3, amount: 2610 })]);
      expect(august).toMatchObject({ subtotal: 2610, tax: 261, total: 2871 });
      const charges = (await documentsOf(h, contract.customerId)).flatMap((document) => document.lines.map((charged) => charged.chargeId));
      expect(charges.sort()).toEqual([`${line.id}:MONTHLY:2026-07`, `${line.id}:MONTHLY:2026-08`]);
    });

    it('ContractConfirmed delivered again after the line was cancelled → it does not restart: nothing after the end month', async () => {
      const contract = await activeContract(h, [{ sku: 'MS-O365-E1', quantity: 3 }], { companyName: '解約後再配信株式会社', startDate: '2026-07-01' });
      const [line] = contract.lines;
      await cancelSeats(h, contract.id, { lineId: line.id, quantity: 3, requestedOn: '2026-07-10', endDate: '2026-07-31' });
      expect(await redeliverContractConfirmed(contract.id, line.id)).toEqual([[], []]);
      const stream = await h.embedded.runtimes.billing.eventStore.readStream(`billingLine-${line.id}`);
      expect(stream.map((event) => event.type)).toEqual(['BillingLineStarted', 'LineChargingScheduled', 'BillingLineCancelled', 'LineChargingScheduled']);

      // microsoft-csp-monthly: the month of the end date is charged in full, nothing after it.
      expect((await theInvoiceOf(h, await runBilling(h, '2026-07'), contract.customerId)).total).toBe(2871);
      expect(issuedTo((await runBilling(h, '2026-08')).invoices, contract.customerId)).toEqual([]);
      expect(issuedTo((await runBilling(h, '2026-09')).invoices, contract.customerId)).toEqual([]);
    });
  });

  /** A run of `month` that "dies" when it comes to issue its second document (500); answers how far it got. */
  async function runDyingAtSecondIssue(h: Harness, month: string): Promise<number> {
    const runs = (h.embedded.app.get(BillingService) as unknown as { runs: { issue: (...args: unknown[]) => Promise<unknown> } }).runs;
    const issue = runs.issue.bind(runs);
    let issues = 0;
    jest.spyOn(runs, 'issue').mockImplementation(async (...args: unknown[]) => {
      if (++issues === 2) throw new Error('simulated crash in the middle of the run');
      return issue(...args);
    });
    await h.http(asDistributor).post('/billing/runs', { month }).expect(500);
    return issues;
  }

  describe('a run interrupted by a crash', () => {
    let h: Harness;
    beforeAll(async () => (h = await new Harness({ provisioning: simulatedVendors().options }).start()));
    afterAll(() => h.stop());
    afterEach(() => jest.restoreAllMocks());

    it('the process dies after the first customer’s invoice; after a restart the run issues only the other customer’s, and every charge is on exactly one invoice', async () => {
      const a = await activeContract(h, [{ sku: 'MS-O365-E1', quantity: 3 }], { companyName: '中断A株式会社', startDate: '2026-09-01' });
      const b = await activeContract(h, [{ sku: 'MS-PROJECT-P1', quantity: 2 }], { companyName: '中断B株式会社', startDate: '2026-09-01' });
      await h.settle();

      // Of the two customers billed side by side, the second issue never happens (the process "dies" there).
      expect(await runDyingAtSecondIssue(h, '2026-09')).toBe(2);
      jest.restoreAllMocks();

      await h.restart();
      const before = (await h.http(asDistributor).get('/invoices?month=2026-09').expect(200)).body;
      expect(before.total).toBe(1);
      const first = before.items[0].customerId as string;
      expect([a.customerId, b.customerId]).toContain(first);
      const other = first === a.customerId ? b : a;

      const resumed = await runBilling(h, '2026-09');
      expect(resumed.invoices.map((invoice) => invoice.customerId)).toEqual([other.customerId]);
      expect(resumed.invoices[0].total).toBe(other === a ? 2871 : 1914);
      expect(resumed.creditNotes).toEqual([]);

      const after = (await h.http(asDistributor).get('/invoices?month=2026-09').expect(200)).body;
      expect(after.total).toBe(2);
      expect(after.items.map((invoice: { customerId: string }) => invoice.customerId).sort()).toEqual([a.customerId, b.customerId].sort());
      expect(new Set(after.items.map((invoice: { number: string }) => invoice.number)).size).toBe(2);
      const charges = after.items.flatMap((invoice: { lines: { chargeId: string }[] }) => invoice.lines.map((line) => line.chargeId));
      expect(charges.sort()).toEqual([`${a.lines[0].id}:MONTHLY:2026-09`, `${b.lines[0].id}:MONTHLY:2026-09`].sort());

      // And again: nothing.
      expect((await runBilling(h, '2026-09')).invoices).toEqual([]);
    });

    it('the same after a crash in the middle of a run of four customers, without a restart: a second run finishes it', async () => {
      const a = await activeContract(h, [{ sku: 'MS-O365-E1', quantity: 1 }], { companyName: '中断C株式会社', startDate: '2026-10-01' });
      const b = await activeContract(h, [{ sku: 'MS-O365-E1', quantity: 2 }], { companyName: '中断D株式会社', startDate: '2026-10-01' });
      await h.settle();
      await runDyingAtSecondIssue(h, '2026-10');
      jest.restoreAllMocks();

      // The earlier customers (of the test before) have October charges too. Customers are billed side
      // by side: those under way when the second issue died finished theirs; that one was never issued.
      const beforeResume = (await h.http(asDistributor).get('/invoices?month=2026-10').expect(200)).body.total as number;
      expect(beforeResume).toBeLessThan(4);
      const resumed = await runBilling(h, '2026-10');
      const all = (await h.http(asDistributor).get('/invoices?month=2026-10').expect(200)).body;
      expect(all.total).toBe(4);
      expect(resumed.invoices).toHaveLength(4 - beforeResume);
      const charges: string[] = all.items.flatMap((invoice: { lines: { chargeId: string }[] }) => invoice.lines.map((line) => line.chargeId));
      expect(charges).toHaveLength(new Set(charges).size);
      expect(charges).toEqual(expect.arrayContaining([`${a.lines[0].id}:MONTHLY:2026-10`, `${b.lines[0].id}:MONTHLY:2026-10`]));
      expect(charges).toHaveLength(4);
    });
  });
});
