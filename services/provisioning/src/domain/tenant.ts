import { conflict, Decider, forbidden, ruleViolation } from '@lp/eventsourcing';
import { AgreementContact, TenantEvent, TenantRegistered } from '@lp/integration-events';

export type { AcceptanceMethod, AgreementContact, TenantEvent } from '@lp/integration-events';

export type ResellerType = 'DIRECT_BILL' | 'INDIRECT_RESELLER';
/** Who attests the MCA: a reseller of a given type, or the distributor (indirect provider) staff. */
export type Attester = { kind: 'reseller'; resellerType: ResellerType } | { kind: 'distributor' };

export type TenantCommand =
  | { type: 'RegisterTenant'; tenantId: string; resellerId: string; customerId: string; microsoftTenantId: string; primaryDomain: string }
  /** today: the business date in Asia/Tokyo when the command is handled, to refuse future dates. */
  | { type: 'AttestCustomerAgreement'; contact: AgreementContact; acceptedOn: string; today: string; attester: Attester }
  | { type: 'RecordDirectAcceptance'; acceptedOn: string; today: string };

type TenantIdentity = Pick<TenantRegistered['data'], 'tenantId' | 'resellerId' | 'customerId'>;

export type TenantState =
  | { exists: false }
  | (TenantIdentity & { exists: true; mcaAccepted: boolean });

function requireTenant(state: TenantState) {
  if (!state.exists) throw conflict('INVALID_STATE', 'The tenant does not exist');
  return state;
}

function refuseFutureDate(acceptedOn: string, today: string) {
  // Business dates are ISO 'YYYY-MM-DD', so string order is date order.
  if (acceptedOn > today) throw ruleViolation('DATE_IN_FUTURE', `The acceptance date ${acceptedOn} is in the future (today is ${today})`);
}

export const tenantDecider: Decider<TenantCommand, TenantEvent, TenantState> = {
  initialState: () => ({ exists: false }),

  decide(command, state) {
    switch (command.type) {
      case 'RegisterTenant': {
        if (state.exists) throw conflict('ALREADY_EXISTS', 'The tenant already exists');
        const { type: _type, ...data } = command;
        return [{ type: 'TenantRegistered', data }];
      }
      case 'AttestCustomerAgreement': {
        const tenant = requireTenant(state);
        // Partner Center: an indirect reseller may not attest for its customer; its distributor does.
        if (command.attester.kind === 'reseller' && command.attester.resellerType === 'INDIRECT_RESELLER') {
          throw forbidden('INDIRECT_RESELLER_CANNOT_ATTEST', 'An indirect reseller cannot attest the Microsoft Customer Agreement; the distributor must');
        }
        refuseFutureDate(command.acceptedOn, command.today);
        const { tenantId, resellerId, customerId } = tenant;
        return [
          {
            type: 'CustomerAgreementAccepted',
            data: { tenantId, resellerId, customerId, method: 'PARTNER_ATTESTATION', acceptedOn: command.acceptedOn, contact: command.contact },
          },
        ];
      }
      case 'RecordDirectAcceptance': {
        const tenant = requireTenant(state);
        refuseFutureDate(command.acceptedOn, command.today);
        const { tenantId, resellerId, customerId } = tenant;
        return [{ type: 'CustomerAgreementAccepted', data: { tenantId, resellerId, customerId, method: 'CUSTOMER_DIRECT', acceptedOn: command.acceptedOn } }];
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'TenantRegistered': {
        const { tenantId, resellerId, customerId } = event.data;
        return { exists: true, tenantId, resellerId, customerId, mcaAccepted: false };
      }
      case 'CustomerAgreementAccepted':
        return state.exists ? { ...state, mcaAccepted: true } : state;
    }
  },
};

export const tenantStreamId = (tenantId: string) => `tenant-${tenantId}`;
