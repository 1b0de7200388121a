/** The billing domain: pure, no I/O. The application builds BillingLines from contract events and asks these. */
export * from './billing-line';
export * from './charge';
export * from './dates';
export * from './policies';
export * from './schedule';
export * from './tax';
