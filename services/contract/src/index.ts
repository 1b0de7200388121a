export * from './contract.module';
