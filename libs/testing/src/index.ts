export * from './decider-specification';
export * from './events';
export * from './smtp-sink';
export * from './raw-mail';
export * from './api-specification';
export * from './until';
export * from './busy-handler';
