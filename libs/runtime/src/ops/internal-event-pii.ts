/**
 * Where the events that are never published hold personal data, per event type: JSON pointers into
 * the envelope, as for the published ones (whose `x-pii` marks come from their schemas). These
 * events have no schema, so this is the one place their personal fields are declared; an audit
 * export with masking masks by this list, and masks every string of a type that is missing here.
 *
 * What counts, as in the published schemas: the names, e-mail addresses and phone numbers of the
 * customer and contact shapes. Those shapes travel only in CustomerRegistered and
 * CustomerAgreementAccepted (published, marked in their schemas); of the internal events only the
 * activation-notice mails name a person (the recipient, which an SMTP refusal also quotes). An
 * empty list is a reviewed "nothing personal", not a default: add the pointers when a shape changes.
 */
export const INTERNAL_EVENT_PII = {
  // order: order-<id>
  OrderCreated: [],
  OrderAcceptanceRevoked: [],
  ProvisioningTargetSelected: [],
  OrderDeleted: [],
  // document numbers (DocumentNumbers): order, contract and invoice numbers and their owners
  OrderNumberSequenceAdvanced: [],
  OrderNumberReserved: [],
  ContractNumberSequenceAdvanced: [],
  ContractNumberReserved: [],
  InvoiceNumberSequenceAdvanced: [],
  InvoiceNumberReserved: [],
  // provisioning: subscription-<id>, a reseller's claim of a Microsoft tenant, the activation-notice outbox
  MicrosoftTenantClaimed: [],
  SubscriptionRequested: [],
  ProvisioningAttemptFailed: [],
  SubscriptionCancellationRequested: [],
  SubscriptionQuantityChangeRequested: [],
  SubscriptionChangeAttemptFailed: [],
  NoticeMailSent: ['/data/to'],
  NoticeMailRejected: ['/data/to', '/data/reason'],
  // contract: contract-<id>, contractChange-<id>, contractLines-<orderId>
  ContractChangeOpened: [],
  ContractLinesCancelled: [],
  ContractLineQuantitiesChanged: [],
  ContractChangeClosed: [],
  ContractLineAutoRenewSet: [],
  ContractLineRenewalScheduled: [],
  ContractChangeAcceptanceRevoked: [],
  VendorConfirmationRecorded: [],
  VendorRefusalRecorded: [],
  ContractLinesReserved: [],
  ContractLinesReleased: [],
  ContractCreationAbandoned: [],
  // billing: billingLine-<id>
  BillingLineStarted: [],
  BillingLineQuantityChanged: [],
  BillingLineCancelled: [],
  UsageRecorded: [],
  // every service: the ops journal (who did what to dead letters, consumers, projections; the actor is masked with the envelope)
  DeadLetterDiscarded: [],
  DeadLettersRedriven: [],
  EventsRepublished: [],
  ConsumerRewound: [],
  ProjectionRebuildStarted: [],
} as const satisfies Record<string, readonly string[]>;

export type InternalEventType = keyof typeof INTERNAL_EVENT_PII;
