import { Logger } from '@nestjs/common';
import { Harness } from '../../../embedded/test/support/harness';
import { renewalTimer } from '../../src/application/renewal-runs';
import { activeContract } from '../http/change-support';

/** Polls `read` until `done` holds (the timer runs on its own clock), failing with the last value after `timeoutMs`. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`still not there after ${timeoutMs} ms: ${JSON.stringify(value, null, 2)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the daily renewal timer', () => {
  it('a failed run is logged and tried again at the next tick', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const dates: string[] = [];
    const runs = {
      run: jest.fn(async (date: string) => {
        dates.push(date);
        if (dates.length === 1) throw new Error('event store unavailable');
        return { date, renewed: 0, ended: 0, contracts: [] };
      }),
    };
    const timer = renewalTimer(runs, 20, () => new Date('2027-02-01T03:00:00Z'));
    try {
      await timer.start();
      await eventually(async () => dates.length, (count) => count >= 2, 2000);
      expect(dates.slice(0, 2)).toEqual(['2027-02-01', '2027-02-01']);
      expect(logged).toHaveBeenCalledWith(expect.stringMatching(/Renewal run for 2027-02-01 failed .*event store unavailable/), expect.any(String));
    } finally {
      await timer.stop();
      logged.mockRestore();
    }
  });

  describe('switched on (CONTRACT_RENEWAL_TIMER=on) with a short CONTRACT_RENEWAL_INTERVAL_MS, embedded', () => {
    const saved = { timer: process.env.CONTRACT_RENEWAL_TIMER, interval: process.env.CONTRACT_RENEWAL_INTERVAL_MS };
    let h: Harness;
    beforeAll(async () => {
      process.env.CONTRACT_RENEWAL_TIMER = 'on';
      process.env.CONTRACT_RENEWAL_INTERVAL_MS = '200';
      h = await new Harness().start();
    });
    afterAll(async () => {
      await h.stop();
      for (const [name, value] of [
        ['CONTRACT_RENEWAL_TIMER', saved.timer],
        ['CONTRACT_RENEWAL_INTERVAL_MS', saved.interval],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });

    it('renews a line whose term has ended without anyone calling POST /contracts/renewal-runs', async () => {
      // A monthly new-commerce term from 2026-10-01 ended on 10-31, before today.
      const contract = await activeContract(h, [{ sku: 'MS-M365-BP-NCE-M', quantity: 2 }], { companyName: '自動更新タイマー株式会社', startDate: '2026-10-01' });
      expect((contract.lines[0] as unknown as { termEndDate: string }).termEndDate).toBe('2026-10-31');

      const renewed = await eventually(
        async () => (await h.http().get(`/contracts/${contract.id}`).expect(200)).body,
        (body) => body.lines[0].termEndDate > '2026-10-31',
      );
      expect(renewed.lines[0]).toMatchObject({ status: 'ACTIVE', quantity: 2, autoRenew: true });
      const history = (await h.http().get(`/contracts/${contract.id}/history`).expect(200)).body as { type: string; data: { termStartDate: string } }[];
      const renewals = history.filter((event) => event.type === 'ContractLineRenewed');
      expect(renewals[0].data.termStartDate).toBe('2026-11-01');
      // One renewal per term, however many ticks went by.
      expect(new Set(renewals.map((event) => event.data.termStartDate)).size).toBe(renewals.length);
    });
  });
});
