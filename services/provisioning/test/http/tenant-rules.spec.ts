import { randomUUID } from 'crypto';
import { anEvent, expectNewEvents, expectNewEventsOnCreated, expectNothingAppended, expectProblem, expectResponse } from '@lp/testing';
import { microsoftTenantClaimStream } from '../../src/application/tenants.service';
import { tenantStreamId } from '../../src/domain/tenant';
import { aCustomer, embeddedApi } from '../../../order/test/http/given-orders';
import { aTenant } from './given-streams';
import { asDirect, asDistributor, asIndirect, Harness, tokenFor } from './support';

/**
 * Tenants (プロビジョニング情報) and the Microsoft Customer Agreement, each rule one scenario: the
 * customer (order's stream) and its tenants (provisioning's) are seeded as events, one request is
 * sent, the answer and the events it appended are checked.
 */
describe('tenants and the MCA over HTTP (given events, one request, the events it appended)', () => {
  let h: Harness;
  beforeAll(async () => (h = await new Harness().start()));
  afterAll(() => h.stop());
  const spec = embeddedApi(() => h);
  const tenantOf = (response: { body: unknown }) => tenantStreamId((response.body as { id: string }).id);
  const register = (token: string, customerId: string, microsoftTenantId: string) =>
    h.http(token).post(`/customers/${customerId}/tenants`, { tenantId: microsoftTenantId, primaryDomain: 'contoso.onmicrosoft.com' });

  describe('registration: one Microsoft tenant GUID per reseller', () => {
    it("registers the customer's tenant (MCA not accepted yet) and claims its GUID for the reseller", async () => {
      const customer = aCustomer();
      const guid = randomUUID();
      await spec
        .given(customer.stream)
        .when(() => register(asDirect, customer.customerId, guid.toUpperCase()))
        .then(
          expectResponse(201, { customerId: customer.customerId, resellerId: 'r-direct', mcaStatus: 'NOT_ACCEPTED', customerAgreement: null }),
          expectNewEventsOnCreated('provisioning', tenantOf, [
            { type: 'TenantRegistered', data: { customerId: customer.customerId, resellerId: 'r-direct', microsoftTenantId: guid, primaryDomain: 'contoso.onmicrosoft.com' } },
          ]),
          expectNewEvents('provisioning', microsoftTenantClaimStream('r-direct', guid), [{ type: 'MicrosoftTenantClaimed', data: { resellerId: 'r-direct' } }]),
        );
    });

    it('the same reseller registering the GUID again, in any letter case: 409 DUPLICATE_TENANT, nothing appended', async () => {
      const customer = aCustomer();
      const tenant = aTenant(customer);
      const another = aCustomer();
      await spec
        .given(customer.stream, ...tenant.streams, another.stream)
        .when(() => register(asDirect, another.customerId, tenant.microsoftTenantId.toUpperCase()))
        .then(expectProblem(409, 'DUPLICATE_TENANT'), expectNothingAppended());
    });

    it("another reseller may register the same GUID (a tenant may have several partners; no probe of another's customers)", async () => {
      const customer = aCustomer();
      const tenant = aTenant(customer);
      const theirs = aCustomer('r-indirect');
      await spec
        .given(customer.stream, ...tenant.streams, theirs.stream)
        .when(() => register(asIndirect, theirs.customerId, tenant.microsoftTenantId))
        .then(expectResponse(201, { customerId: theirs.customerId, resellerId: 'r-indirect' }), expectNewEventsOnCreated('provisioning', tenantOf, [{ type: 'TenantRegistered' }]));
    });

    it('a GUID claimed before claims were per reseller still counts for the reseller that claimed it: 409 DUPLICATE_TENANT', async () => {
      const customer = aCustomer();
      const tenant = aTenant(customer);
      const guid = randomUUID();
      // The claim as it was written then: one stream per GUID, whoever the reseller.
      const legacyClaim = { store: 'provisioning', streamId: `microsoftTenant-${guid}`, events: [anEvent('MicrosoftTenantClaimed', { microsoftTenantId: guid, tenantId: tenant.tenantId })] };
      await spec
        .given(customer.stream, ...tenant.streams, legacyClaim)
        .when(() => register(asDirect, customer.customerId, guid))
        .then(expectProblem(409, 'DUPLICATE_TENANT'), expectNothingAppended());
    });

    it("another reseller's customer is not found: 404 CUSTOMER_NOT_FOUND, nothing appended", async () => {
      const theirs = aCustomer('r-indirect');
      await spec
        .given(theirs.stream)
        .when(() => register(asDirect, theirs.customerId, randomUUID()))
        .then(expectProblem(404, 'CUSTOMER_NOT_FOUND'), expectNothingAppended());
    });
  });

  describe('the Microsoft Customer Agreement (MCA)', () => {
    const attestation = { firstName: '花子', lastName: '鈴木', email: 'suzuki@example.jp', acceptedOn: '2026-05-01' };
    const attest = (token: string, tenantId: string, body: object = attestation) => h.http(token).post(`/tenants/${tenantId}/customer-agreement`, body);

    it("a direct-bill reseller's admin attests it (PARTNER_ATTESTATION with the contact): the tenant is ACCEPTED", async () => {
      const customer = aCustomer();
      const tenant = aTenant(customer);
      await spec
        .given(customer.stream, ...tenant.streams)
        .when(() => attest(asDirect, tenant.tenantId))
        .then(
          expectResponse(201, { id: tenant.tenantId, mcaStatus: 'ACCEPTED', customerAgreement: { method: 'PARTNER_ATTESTATION', acceptedOn: '2026-05-01' } }),
          expectNewEvents('provisioning', tenantStreamId(tenant.tenantId), [
            { type: 'CustomerAgreementAccepted', data: { method: 'PARTNER_ATTESTATION', acceptedOn: '2026-05-01', contact: { firstName: '花子', lastName: '鈴木', email: 'suzuki@example.jp' } } },
          ]),
        );
    });

    it('an indirect reseller may not attest for its customer: 403 INDIRECT_RESELLER_CANNOT_ATTEST, still NOT_ACCEPTED', async () => {
      const customer = aCustomer('r-indirect');
      const tenant = aTenant(customer);
      await spec
        .given(customer.stream, ...tenant.streams)
        .when(() => attest(asIndirect, tenant.tenantId))
        .then(expectProblem(403, 'INDIRECT_RESELLER_CANNOT_ATTEST'), expectNothingAppended());
    });

    it("the distributor attests for the indirect reseller's customer", async () => {
      const customer = aCustomer('r-indirect');
      const tenant = aTenant(customer);
      await spec
        .given(customer.stream, ...tenant.streams)
        .when(() => attest(asDistributor, tenant.tenantId))
        .then(
          expectResponse(201, { mcaStatus: 'ACCEPTED', customerAgreement: { method: 'PARTNER_ATTESTATION', acceptedOn: '2026-05-01' } }),
          expectNewEvents('provisioning', tenantStreamId(tenant.tenantId), [{ type: 'CustomerAgreementAccepted', data: { resellerId: 'r-indirect', method: 'PARTNER_ATTESTATION' } }]),
        );
    });

    it('a sales agent may not attest (a legal statement for the customer): 403', async () => {
      const customer = aCustomer();
      const tenant = aTenant(customer);
      await spec
        .given(customer.stream, ...tenant.streams)
        .when(() => attest(tokenFor('sales-agent', 'r-direct'), tenant.tenantId))
        .then(expectProblem(403, 'FORBIDDEN'), expectNothingAppended());
    });

    it('an acceptance date in the future: 422 DATE_IN_FUTURE, nothing appended', async () => {
      const customer = aCustomer('r-indirect');
      const tenant = aTenant(customer);
      await spec
        .given(customer.stream, ...tenant.streams)
        .when(() => attest(asDistributor, tenant.tenantId, { ...attestation, acceptedOn: '2099-01-01' }))
        .then(expectProblem(422, 'DATE_IN_FUTURE'), expectNothingAppended());
    });

    it('the customer accepted it directly (CUSTOMER_DIRECT)', async () => {
      const customer = aCustomer();
      const tenant = aTenant(customer);
      await spec
        .given(customer.stream, ...tenant.streams)
        .when(() => h.http(asDirect).post(`/tenants/${tenant.tenantId}/customer-agreement/direct-acceptance`, { acceptedOn: '2026-05-01' }))
        .then(
          expectResponse(201, { mcaStatus: 'ACCEPTED', customerAgreement: { method: 'CUSTOMER_DIRECT', acceptedOn: '2026-05-01' } }),
          expectNewEvents('provisioning', tenantStreamId(tenant.tenantId), [{ type: 'CustomerAgreementAccepted', data: { method: 'CUSTOMER_DIRECT', acceptedOn: '2026-05-01' } }]),
        );
    });

    it("another reseller's tenant is not found: 404 TENANT_NOT_FOUND, nothing appended", async () => {
      const customer = aCustomer();
      const tenant = aTenant(customer);
      await spec
        .given(customer.stream, ...tenant.streams)
        .when(() => attest(asIndirect, tenant.tenantId))
        .then(expectProblem(404, 'TENANT_NOT_FOUND'), expectNothingAppended());
    });
  });
});
