import { DeciderSpecification } from '@lp/testing';
import { CustomerCommand, customerDecider, CustomerDetails, CustomerEvent, customerStreamId } from '../../src/domain/customer';

const given = DeciderSpecification.for(customerDecider);

const details: CustomerDetails = {
  companyName: '株式会社サンプル',
  companyNameKana: 'カブシキガイシャサンプル',
  siteName: '本社',
  contact: { name: '山田 太郎', phone: '03-1234-5678', email: 'yamada@example.co.jp' },
  address: { postalCode: '1000001', prefecture: '東京都', city: '千代田区', address1: '千代田1-1', address2: 'サンプルビル 3F' },
  securityContact: { name: '佐藤 花子', email: 'security@example.co.jp' },
};

const register = (overrides: Partial<Extract<CustomerCommand, { type: 'RegisterCustomer' }>> = {}): CustomerCommand => ({
  type: 'RegisterCustomer',
  customerId: 'c-1',
  resellerId: 'r-direct',
  details,
  ...overrides,
});

const registered = (customerId = 'c-1', resellerId = 'r-direct', data: CustomerDetails = details): CustomerEvent => ({
  type: 'CustomerRegistered',
  data: { customerId, resellerId, ...data },
});

describe('customer decider', () => {
  it('registers a customer with all its details (販売先)', () => {
    given([]).when(register()).then([
      {
        type: 'CustomerRegistered',
        data: { customerId: 'c-1', resellerId: 'r-direct', ...details },
      },
    ]);
  });

  it('registers a customer without the optional security contact and address line 2', () => {
    const { securityContact: _s, ...withoutSecurity } = details;
    const minimal: CustomerDetails = { ...withoutSecurity, address: { ...details.address, address2: undefined } };
    given([]).when(register({ details: minimal })).then([registered('c-1', 'r-direct', minimal)]);
  });

  it('the command ids win over anything in the details', () => {
    given([])
      .when(register({ customerId: 'c-9', resellerId: 'r-indirect' }))
      .then([registered('c-9', 'r-indirect')]);
  });

  it('refuses to register the same customer twice → conflict ALREADY_EXISTS', () => {
    given([registered()]).when(register()).thenThrows({ kind: 'conflict', code: 'ALREADY_EXISTS', message: expect.stringContaining('c-1') });
  });

  it('refuses a second registration even with other details → ALREADY_EXISTS', () => {
    given([registered()])
      .when(register({ details: { ...details, companyName: 'Other' } }))
      .thenThrows({ kind: 'conflict', code: 'ALREADY_EXISTS' });
  });

  describe('evolve', () => {
    it('starts with no customer', () => {
      given([]).thenState({ exists: false });
    });

    it('knows the customer and its reseller once registered', () => {
      given([registered('c-1', 'r-indirect')]).thenState((state) => {
        expect(state).toEqual({ exists: true, customerId: 'c-1', resellerId: 'r-indirect' });
      });
    });

    it('a registration produced by decide is foldable into an existing customer', () => {
      given([]).when(register()).thenState({ exists: true, customerId: 'c-1', resellerId: 'r-direct' });
    });
  });

  it('streams are named customer-<id>', () => {
    expect(customerStreamId('c-1')).toBe('customer-c-1');
  });
});
