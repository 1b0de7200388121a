import { DeciderSpecification } from '@lp/testing';
import { AgreementContact, Attester, TenantCommand, tenantDecider, TenantEvent, tenantStreamId } from '../../src/domain/tenant';

const given = DeciderSpecification.for(tenantDecider);

const TODAY = '2021-07-15';
const identity = { tenantId: 'tn-1', resellerId: 'r-direct', customerId: 'c-1' };
const MS_TENANT = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

const contact: AgreementContact = { firstName: '太郎', lastName: '山田', email: 'yamada@example.co.jp', phone: '03-1234-5678' };

const register: TenantCommand = { type: 'RegisterTenant', ...identity, microsoftTenantId: MS_TENANT, primaryDomain: 'sample.onmicrosoft.com' };
const registered: TenantEvent = { type: 'TenantRegistered', data: { ...identity, microsoftTenantId: MS_TENANT, primaryDomain: 'sample.onmicrosoft.com' } };

const DIRECT: Attester = { kind: 'reseller', resellerType: 'DIRECT_BILL' };
const INDIRECT: Attester = { kind: 'reseller', resellerType: 'INDIRECT_RESELLER' };
const DISTRIBUTOR: Attester = { kind: 'distributor' };

const attest = (attester: Attester, acceptedOn = '2021-07-10', overrides: Partial<AgreementContact> = {}): TenantCommand => ({
  type: 'AttestCustomerAgreement',
  contact: { ...contact, ...overrides },
  acceptedOn,
  today: TODAY,
  attester,
});
const directAcceptance = (acceptedOn = '2021-07-10'): TenantCommand => ({ type: 'RecordDirectAcceptance', acceptedOn, today: TODAY });

const attested = (acceptedOn = '2021-07-10', withContact: AgreementContact = contact): TenantEvent => ({
  type: 'CustomerAgreementAccepted',
  data: { ...identity, method: 'PARTNER_ATTESTATION', acceptedOn, contact: withContact },
});
const acceptedDirectly = (acceptedOn = '2021-07-10'): TenantEvent => ({
  type: 'CustomerAgreementAccepted',
  data: { ...identity, method: 'CUSTOMER_DIRECT', acceptedOn },
});

const INVALID_STATE = { kind: 'conflict', code: 'INVALID_STATE' } as const;
const DATE_IN_FUTURE = { kind: 'rule', code: 'DATE_IN_FUTURE' } as const;

describe('tenant decider (プロビジョニング情報)', () => {
  describe('RegisterTenant', () => {
    it('registers a tenant of the customer with its Microsoft tenant id and primary domain', () => {
      given([]).when(register).then([
        {
          type: 'TenantRegistered',
          data: { tenantId: 'tn-1', resellerId: 'r-direct', customerId: 'c-1', microsoftTenantId: MS_TENANT, primaryDomain: 'sample.onmicrosoft.com' },
        },
      ]);
    });

    it('a registered tenant exists without an accepted MCA', () => {
      given([]).when(register).thenState({ exists: true, ...identity, mcaAccepted: false });
    });

    it('refuses to register the same tenant again → conflict ALREADY_EXISTS', () => {
      given([registered]).when(register).thenThrows({ kind: 'conflict', code: 'ALREADY_EXISTS' });
    });

    it('refuses a re-registration after the MCA was accepted too → ALREADY_EXISTS', () => {
      given([registered, attested()]).when(register).thenThrows({ kind: 'conflict', code: 'ALREADY_EXISTS' });
    });
  });

  describe('AttestCustomerAgreement (MCA attestation by the partner)', () => {
    it.each([
      ['a direct-bill reseller', DIRECT],
      ['the distributor', DISTRIBUTOR],
    ] as const)('is recorded when %s attests, with method PARTNER_ATTESTATION and the contact', (_who, attester) => {
      given([registered]).when(attest(attester)).then([
        {
          type: 'CustomerAgreementAccepted',
          data: {
            tenantId: 'tn-1',
            resellerId: 'r-direct',
            customerId: 'c-1',
            method: 'PARTNER_ATTESTATION',
            acceptedOn: '2021-07-10',
            contact: { firstName: '太郎', lastName: '山田', email: 'yamada@example.co.jp', phone: '03-1234-5678' },
          },
        },
      ]);
    });

    it('is recorded without the optional phone', () => {
      const { phone: _phone, ...withoutPhone } = contact;
      given([registered])
        .when({ type: 'AttestCustomerAgreement', contact: withoutPhone, acceptedOn: '2021-07-10', today: TODAY, attester: DIRECT })
        .then([attested('2021-07-10', withoutPhone)]);
    });

    it('marks the MCA accepted', () => {
      given([registered]).when(attest(DISTRIBUTOR)).thenState({ mcaAccepted: true });
    });

    it('refuses an indirect reseller → forbidden INDIRECT_RESELLER_CANNOT_ATTEST (only the distributor may)', () => {
      given([registered]).when(attest(INDIRECT)).thenThrows({ kind: 'forbidden', code: 'INDIRECT_RESELLER_CANNOT_ATTEST' });
    });

    it('refuses an indirect reseller whatever the date', () => {
      given([registered]).when(attest(INDIRECT, TODAY)).thenThrows({ kind: 'forbidden', code: 'INDIRECT_RESELLER_CANNOT_ATTEST' });
    });

    it('accepts an acceptance date of today', () => {
      given([registered]).when(attest(DIRECT, TODAY)).then([attested(TODAY)]);
    });

    it('accepts a date long past', () => {
      given([registered]).when(attest(DISTRIBUTOR, '2019-12-31')).then([attested('2019-12-31')]);
    });

    it.each([['2021-07-16'], ['2021-08-01'], ['2022-01-01']])('refuses a date after today (%s) → DATE_IN_FUTURE', (acceptedOn) => {
      given([registered]).when(attest(DIRECT, acceptedOn)).thenThrows(DATE_IN_FUTURE);
    });

    it('refuses a future date from the distributor too → DATE_IN_FUTURE', () => {
      given([registered]).when(attest(DISTRIBUTOR, '2021-07-16')).thenThrows({ ...DATE_IN_FUTURE, message: expect.stringContaining('2021-07-16') });
    });

    it('refuses on a tenant that does not exist → INVALID_STATE', () => {
      given([]).when(attest(DIRECT)).thenThrows(INVALID_STATE);
    });
  });

  describe('RecordDirectAcceptance (the customer accepted in the admin center)', () => {
    it('is recorded with method CUSTOMER_DIRECT and no contact', () => {
      given([registered]).when(directAcceptance('2021-07-10')).then([
        { type: 'CustomerAgreementAccepted', data: { tenantId: 'tn-1', resellerId: 'r-direct', customerId: 'c-1', method: 'CUSTOMER_DIRECT', acceptedOn: '2021-07-10' } },
      ]);
    });

    it('carries no contact field', () => {
      const [event] = given([registered]).when(directAcceptance()).events();
      expect(event.data).not.toHaveProperty('contact');
    });

    it('marks the MCA accepted', () => {
      given([registered]).when(directAcceptance()).thenState({ mcaAccepted: true });
    });

    it('accepts today', () => {
      given([registered]).when(directAcceptance(TODAY)).then([acceptedDirectly(TODAY)]);
    });

    it('refuses a date after today → DATE_IN_FUTURE', () => {
      given([registered]).when(directAcceptance('2021-07-16')).thenThrows(DATE_IN_FUTURE);
    });

    it('refuses on a tenant that does not exist → INVALID_STATE', () => {
      given([]).when(directAcceptance()).thenThrows(INVALID_STATE);
    });
  });

  describe('evolve', () => {
    it('starts with no tenant', () => {
      given([]).thenState((state) => expect(state).toEqual({ exists: false }));
    });

    it('TenantRegistered → exists, MCA not accepted', () => {
      given([registered]).thenState((state) => expect(state).toEqual({ exists: true, ...identity, mcaAccepted: false }));
    });

    it.each([
      ['a partner attestation', attested()],
      ['a direct acceptance', acceptedDirectly()],
    ])('CustomerAgreementAccepted by %s → MCA accepted', (_how, event) => {
      given([registered, event]).thenState((state) => expect(state).toEqual({ exists: true, ...identity, mcaAccepted: true }));
    });

    it('ignores an acceptance for a tenant that does not exist', () => {
      given([attested()]).thenState((state) => expect(state).toEqual({ exists: false }));
    });
  });

  it('streams are named tenant-<id>', () => {
    expect(tenantStreamId('tn-1')).toBe('tenant-tn-1');
  });
});
