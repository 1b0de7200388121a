import { conflict, Decider } from '@lp/eventsourcing';

/** 販売先: the reseller's customer. Field formats are checked at the edge (api.md). */
export interface CustomerDetails {
  companyName: string;
  companyNameKana: string;
  siteName: string;
  contact: { name: string; phone: string; email: string };
  address: { postalCode: string; prefecture: string; city: string; address1: string; address2?: string };
  securityContact?: { name: string; phone?: string; email: string };
}

export type RegisterCustomer = { type: 'RegisterCustomer'; customerId: string; resellerId: string; details: CustomerDetails };
export type CustomerCommand = RegisterCustomer;

export type CustomerRegistered = {
  type: 'CustomerRegistered';
  data: { customerId: string; resellerId: string } & CustomerDetails;
};
export type CustomerEvent = CustomerRegistered;

export type CustomerState = { exists: false } | { exists: true; customerId: string; resellerId: string };

export const customerDecider: Decider<CustomerCommand, CustomerEvent, CustomerState> = {
  initialState: () => ({ exists: false }),
  decide(command, state) {
    if (state.exists) throw conflict('ALREADY_EXISTS', `Customer ${command.customerId} already exists`);
    return [{ type: 'CustomerRegistered', data: { customerId: command.customerId, resellerId: command.resellerId, ...command.details } }];
  },
  evolve(_state, event) {
    return { exists: true, customerId: event.data.customerId, resellerId: event.data.resellerId };
  },
};

export const customerStreamId = (customerId: string) => `customer-${customerId}`;
