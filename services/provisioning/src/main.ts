import 'reflect-metadata';
import { main } from '@lp/runtime/standalone';
import { ProvisioningModule, provisioningServiceDefinition } from './provisioning.module';

main({ definition: provisioningServiceDefinition, title: 'Provisioning service', module: (runtime) => ProvisioningModule.register(runtime) });
