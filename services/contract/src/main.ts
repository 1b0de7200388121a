import 'reflect-metadata';
import { main } from '@lp/runtime/standalone';
import { ContractModule, contractServiceDefinition } from './contract.module';

main({ definition: contractServiceDefinition, title: 'Contract service', module: (runtime) => ContractModule.register(runtime) });
