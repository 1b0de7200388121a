export * from './provisioning.module';
export * from './provisioning-options';
export type { RetryPolicy, VendorConnector } from './domain/vendor-connector';
export { PartnerCenterSimulator } from './domain/connectors/partner-center';
export { StreamOneSimulator } from './domain/connectors/stream-one';
