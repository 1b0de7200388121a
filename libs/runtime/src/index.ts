export * from './service-definition';
export * from './service-runtime';
export * from './tokens';
export * from './wait-for';
export * from './http-app';
export * from './ops.controller';
export * from './workers';
export * from './console';
