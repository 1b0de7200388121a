import 'reflect-metadata';
import { main } from '@lp/runtime/standalone';
import { ProvisioningModule, provisioningServiceDefinition } from './provisioning.module';
import { provisioningOptionsFromEnv } from './provisioning-options';

main({
  definition: provisioningServiceDefinition,
  title: 'Provisioning service',
  // Vendor simulators' latency and the retry policy come from the environment (deploy/README.md).
  module: (runtime) => ProvisioningModule.register(runtime, provisioningOptionsFromEnv(process.env)),
});
