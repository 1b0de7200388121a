import { conflict, Decider } from '@lp/eventsourcing';
import { CustomerDetails, CustomerRegistered } from '@lp/integration-events';

export type { CustomerDetails, CustomerRegistered };

export type RegisterCustomer = { type: 'RegisterCustomer'; customerId: string; resellerId: string; details: CustomerDetails };
export type CustomerCommand = RegisterCustomer;

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
