import { randomUUID } from 'crypto';
import { expectation, expectNewEvents, expectNothingAppended, expectProblem, expectResponse } from '@lp/testing';
import { embeddedApi } from '../../../order/test/http/given-orders';
import { aSubscription } from './given-streams';
import { asDirect, asDistributor, asIndirect, Harness, tokenFor } from './support';

/**
 * Staff actions on a subscription, each rule one scenario: the subscription's stream is seeded as
 * provisioning writes it, one request is sent, the answer and the events it appended are checked.
 */
describe('subscription actions over HTTP (given events, one request, the events it appended)', () => {
  let h: Harness;
  beforeAll(async () => (h = await new Harness().start()));
  afterAll(() => h.stop());
  const spec = embeddedApi(() => h);
  const asSalesAgent = tokenFor('sales-agent', 'r-direct');

  /** Who the event of `type` the request appended to the stream is recorded as written by. */
  const expectActor = (streamId: string, type: string, id: string) =>
    expectation(({ appended }) => expect(appended.provisioning.filter((event) => event.streamId === streamId && event.type === type).map((event) => event.actor.id)).toEqual([id]));

  describe('activate (MANUAL_PROVISIONING → ACTIVE): distributor staff only', () => {
    it('the distributor activates a manual subscription: ACTIVE (アクティベーション済) with who and when', async () => {
      const manual = aSubscription('SN-POCKETALK-SI-Y');
      await spec
        .given(manual.provisioned())
        .when(() => h.http(asDistributor).post(`/provisioning/subscriptions/${manual.id}/activate`))
        .then(
          expectResponse(200, { id: manual.id, status: 'ACTIVE', statusLabel: 'アクティベーション済', activatedAt: expect.any(String), activatedBy: 'u-distributor-admin-dist' }),
          expectNewEvents('provisioning', manual.streamId, [{ type: 'SubscriptionActivated', data: { resellerId: 'r-direct', status: 'ACTIVE', activatedBy: 'u-distributor-admin-dist' } }]),
          expectActor(manual.streamId, 'SubscriptionActivated', 'u-distributor-admin-dist'),
        );
    });

    it.each([
      ['admin agent', asDirect],
      ['sales agent', asSalesAgent],
    ])("the reseller's %s may not activate: 403, still MANUAL_PROVISIONING", async (_who, token) => {
      const manual = aSubscription('SN-POCKETALK-SI-Y');
      await spec
        .given(manual.provisioned())
        .when(() => h.http(token).post(`/provisioning/subscriptions/${manual.id}/activate`))
        .then(expectProblem(403, 'FORBIDDEN'), expectNothingAppended());
    });

    it('a second activation: 409 INVALID_STATE, nothing appended', async () => {
      const activated = aSubscription('SN-POCKETALK-SI-Y');
      await spec
        .given(activated.activated())
        .when(() => h.http(asDistributor).post(`/provisioning/subscriptions/${activated.id}/activate`))
        .then(expectProblem(409, 'INVALID_STATE'), expectNothingAppended());
    });

    it('an automatic subscription (ACTIVE once provisioned) cannot be activated: 409 INVALID_STATE', async () => {
      const automatic = aSubscription('MS-M365-BB');
      await spec
        .given(automatic.provisioned())
        .when(() => h.http(asDistributor).post(`/provisioning/subscriptions/${automatic.id}/activate`))
        .then(expectProblem(409, 'INVALID_STATE'), expectNothingAppended());
    });

    it('an unknown subscription: 404 SUBSCRIPTION_NOT_FOUND', async () => {
      await spec
        .given()
        .when(() => h.http(asDistributor).post(`/provisioning/subscriptions/${randomUUID()}/activate`))
        .then(expectProblem(404, 'SUBSCRIPTION_NOT_FOUND'), expectNothingAppended());
    });
  });

  describe('retry (FAILED → PROVISIONING, a new round of vendor calls): the owning reseller’s admin or the distributor', () => {
    it("the reseller's admin retries: PROVISIONING again in round 2 with the failure cleared, and the new round provisions it", async () => {
      const failed = aSubscription('MS-PROJECT-P1', { quantity: 2 });
      await spec
        .given(failed.failed())
        .when(() => h.http(asDirect).post(`/provisioning/subscriptions/${failed.id}/retry`))
        .then(
          expectResponse(200, { id: failed.id, status: 'PROVISIONING', failureReason: null, attempts: 0, round: 2, retriedAt: expect.any(String) }),
          expectNewEvents('provisioning', failed.streamId, [
            { type: 'ProvisioningRetried', data: { status: 'PROVISIONING', retriedBy: 'u-admin-agent-r-direct' } },
            { type: 'SubscriptionProvisioned', data: { status: 'ACTIVE', vendorSubscriptionId: expect.stringMatching(/^[0-9A-F-]{36}$/) } },
          ]),
          expectActor(failed.streamId, 'ProvisioningRetried', 'u-admin-agent-r-direct'),
        );
    });

    it('the distributor may retry too', async () => {
      const failed = aSubscription('MS-O365-E1');
      await spec
        .given(failed.failed())
        .when(() => h.http(asDistributor).post(`/provisioning/subscriptions/${failed.id}/retry`))
        .then(expectResponse(200, { status: 'PROVISIONING', round: 2 }), expectNewEvents('provisioning', failed.streamId, [{ type: 'ProvisioningRetried' }, { type: 'SubscriptionProvisioned' }]));
    });

    it('a sales agent may not: 403, still FAILED', async () => {
      const failed = aSubscription('MS-O365-E1');
      await spec
        .given(failed.failed())
        .when(() => h.http(asSalesAgent).post(`/provisioning/subscriptions/${failed.id}/retry`))
        .then(expectProblem(403, 'FORBIDDEN'), expectNothingAppended());
    });

    it("another reseller's admin does not see it: 404 SUBSCRIPTION_NOT_FOUND, still FAILED", async () => {
      const failed = aSubscription('MS-O365-E1');
      await spec
        .given(failed.failed())
        .when(() => h.http(asIndirect).post(`/provisioning/subscriptions/${failed.id}/retry`))
        .then(expectProblem(404, 'SUBSCRIPTION_NOT_FOUND'), expectNothingAppended());
    });

    it('only a FAILED subscription is retried: an ACTIVE one → 409 INVALID_STATE', async () => {
      const active = aSubscription('MS-O365-E1');
      await spec
        .given(active.provisioned())
        .when(() => h.http(asDistributor).post(`/provisioning/subscriptions/${active.id}/retry`))
        .then(expectProblem(409, 'INVALID_STATE'), expectNothingAppended());
    });
  });

  it('new-commerce seats added later: the subscription screen shows their own 7-day window, the one still open', async () => {
    const nce = aSubscription('MS-M365-BP-NCE-M', { quantity: 3 });
    await spec
      .given(nce.seatsAdded('2026-05-22', 2, '2026-05-25'))
      .when(() => h.http(asDirect).get(`/provisioning/subscriptions/${nce.id}`))
      .then(expectResponse(200, { id: nce.id, quantity: 5, cancellationAllowedUntil: '2026-05-25' }), expectNothingAppended());
  });

  it("another reseller does not see a subscription: GET → 404 SUBSCRIPTION_NOT_FOUND", async () => {
    const manual = aSubscription('SN-POCKETALK-SI-Y');
    await spec
      .given(manual.provisioned())
      .when(() => h.http(asIndirect).get(`/provisioning/subscriptions/${manual.id}`))
      .then(expectProblem(404, 'SUBSCRIPTION_NOT_FOUND'), expectNothingAppended());
  });
});
