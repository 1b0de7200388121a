export * from './topics';
export * from './products';
export * from './order-events';
export * from './provisioning-events';
export * from './contract-events';
export * from './contract-change-events';
export * from './billing-events';
