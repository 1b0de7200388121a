import { Logger } from '@nestjs/common';
import { isViewStale } from '@lp/platform';
import { answerAfterWrite } from '../src/answer-after-write';

/** A runtime whose projections catch up when `caughtUp` settles. */
const runtimeThat = (caughtUp: () => Promise<void>) => ({ projectionsCaughtUp: caughtUp });

describe('answerAfterWrite: the answer to a committed command', () => {
  let warnings: string[];
  beforeEach(() => {
    warnings = [];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void warnings.push(String(message)));
  });
  afterEach(() => jest.restoreAllMocks());

  it('is the read model\'s view once it has caught up, not marked stale, with nothing logged', async () => {
    const answer = await answerAfterWrite(runtimeThat(async () => undefined), { what: 'order o-1', view: async () => ({ id: 'o-1', from: 'view' }), decided: () => ({ id: 'o-1', from: 'decided' }) });
    expect(answer).toEqual({ id: 'o-1', from: 'view' });
    expect(isViewStale(answer)).toBe(false);
    expect(warnings).toEqual([]);
  });

  it('is the decided state, marked stale, when the read model is late; the warning names what and how long', async () => {
    const never = new Promise<void>(() => undefined);
    const answer = await answerAfterWrite(runtimeThat(() => never), { what: 'order o-1', waitMs: 20, view: async () => ({ id: 'o-1', from: 'view' }), decided: () => ({ id: 'o-1', from: 'decided' }) });
    expect(answer).toEqual({ id: 'o-1', from: 'decided' });
    expect(isViewStale(answer)).toBe(true);
    expect(warnings).toEqual(['the read model did not show order o-1 within 20 ms after a write: answered from the decided state (X-View-Stale)']);
  });

  it('is the decided state, marked stale, when the read model fails or has not got the row; the warning names what and why', async () => {
    const failing = await answerAfterWrite(runtimeThat(async () => undefined), {
      what: 'contract c-9',
      view: async () => Promise.reject(new Error('SQLITE_BUSY: database is locked')),
      decided: () => ({ id: 'c-9' }),
    });
    const missing = await answerAfterWrite(runtimeThat(async () => undefined), { what: 'tenant t-3', waitMs: 50, view: async () => undefined, decided: () => ({ id: 't-3' }) });
    expect([failing, missing].map(isViewStale)).toEqual([true, true]);
    expect(warnings).toEqual([
      'the read model failed to show contract c-9 after a write (SQLITE_BUSY: database is locked): answered from the decided state (X-View-Stale)',
      'the read model did not show tenant t-3 within 50 ms after a write: answered from the decided state (X-View-Stale)',
    ]);
  });
});
