export * from './dependency-probe';
export * from './runtime-status';
export * from './projection-watch';
export * from './watch-runtime';
export * from './status-metrics';
