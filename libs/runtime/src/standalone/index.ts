export * from './run-standalone-service';
export * from './service-config';
export * from './adapters';
