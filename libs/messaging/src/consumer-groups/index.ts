export * from './group-offsets';
export * from './group-offsets-of';
