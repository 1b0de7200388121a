/** Nest injection tokens of the provisioning module. */
export const VENDOR_CONNECTORS = Symbol('VENDOR_CONNECTORS');
