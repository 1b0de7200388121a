import { randomUUID } from 'crypto';
import { expectNewEvents, expectNothingAppended, expectProblem, expectResponse } from '@lp/testing';
import { asDirect, asDistributor, asIndirect, Harness } from '../../../embedded/test/support/harness';
import { aBillingLine, billingApi } from './given-billing-lines';

/**
 * 利用実績の取込 (POST /billing/usage) and the billing run's request rules, each one scenario: the
 * line's billing stream is seeded as billing writes it, one request is sent, the answer and exactly
 * the events it appended are checked.
 */
describe('usage imports and billing runs over HTTP (given events, one request, the events it appended)', () => {
  let h: Harness;
  beforeAll(async () => (h = await new Harness().start()));
  afterAll(() => h.stop());
  const spec = billingApi(() => h);
  const importUsage = (body: object, token = asDistributor) => () => h.http(token).post('/billing/usage', body);

  describe('POST /billing/usage', () => {
    it('usage of an Azure プラン line is recorded: { recorded: true }, UsageRecorded', async () => {
      const line = aBillingLine('MS-AZURE-PLAN');
      const usage = line.usage();
      await spec
        .given(line.given())
        .when(importUsage(usage))
        .then(expectResponse(200, { recorded: true }), expectNewEvents('billing', line.streamId, [{ type: 'UsageRecorded', data: { usage } }]));
    });

    it('the same record again is a no-op: { recorded: false }, nothing appended', async () => {
      const line = aBillingLine('MS-AZURE-PLAN');
      const usage = line.usage();
      await spec
        .given(line.given(usage))
        .when(importUsage(usage))
        .then(expectResponse(200, { recorded: false }), expectNothingAppended());
    });

    it.each([
      ['another amount', { amount: 99999 }],
      ['another month', { month: '2026-09' }],
    ])('the same record with %s: 409 USAGE_ALREADY_RECORDED, nothing appended', async (_what, figures) => {
      const line = aBillingLine('MS-AZURE-PLAN');
      const usage = line.usage();
      await spec
        .given(line.given(usage))
        .when(importUsage({ ...usage, ...figures }))
        .then(expectProblem(409, 'USAGE_ALREADY_RECORDED'), expectNothingAppended());
    });

    it('a line billed monthly (Office 365 E1): 422 NOT_USAGE_BILLED', async () => {
      const line = aBillingLine('MS-O365-E1', { quantity: 3 });
      await spec
        .given(line.given())
        .when(importUsage(line.usage()))
        .then(expectProblem(422, 'NOT_USAGE_BILLED'), expectNothingAppended());
    });

    it('a line billing never started: 422 LINE_NOT_BILLED', async () => {
      await spec
        .given()
        .when(importUsage(aBillingLine('MS-AZURE-PLAN').usage()))
        .then(expectProblem(422, 'LINE_NOT_BILLED'), expectNothingAppended());
    });

    it('bad figures: 400 naming month and amount', async () => {
      const line = aBillingLine('MS-AZURE-PLAN');
      await spec
        .given(line.given())
        .when(importUsage(line.usage({ month: '2026-8', amount: -1 })))
        .then(expectProblem(400, 'VALIDATION_FAILED', ['amount', 'month']), expectNothingAppended());
    });

    it.each([
      ["the line's reseller's admin", asDirect],
      ['another reseller’s admin', asIndirect],
    ])('%s may not import: 403', async (_who, token) => {
      const line = aBillingLine('MS-AZURE-PLAN');
      await spec
        .given(line.given())
        .when(importUsage(line.usage(), token))
        .then(expectProblem(403, 'FORBIDDEN'), expectNothingAppended());
    });
  });

  describe('POST /billing/runs: the request', () => {
    it('a reseller’s admin may not run billing: 403', async () => {
      await spec
        .given()
        .when(() => h.http(asDirect).post('/billing/runs', { month: '2026-07' }))
        .then(expectProblem(403, 'FORBIDDEN'), expectNothingAppended());
    });

    it.each(['2026-13', '2026-7', 'July'])('month %s: 400 naming month', async (month) => {
      await spec
        .given()
        .when(() => h.http(asDistributor).post('/billing/runs', { month }))
        .then(expectProblem(400, 'VALIDATION_FAILED', ['month']), expectNothingAppended());
    });
  });
});
