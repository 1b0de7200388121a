export * from './console-files';
export * from './console.module';
export { sampleUsers } from './sample-tokens';
