export * from './background-worker';
export * from './store-reactor';
export * from './bus-reactor';
