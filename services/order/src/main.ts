import 'reflect-metadata';
import { main } from '@lp/runtime/standalone';
import { OrderModule, orderServiceDefinition } from './order.module';

main({ definition: orderServiceDefinition, title: 'Order service', module: (runtime) => OrderModule.register(runtime) });
