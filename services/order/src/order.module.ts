import { DynamicModule, Module } from '@nestjs/common';
import { ORDER_INTEGRATION_EVENT_TYPES, TOPICS } from '@lp/integration-events';
import { runtimeProviders, ServiceDefinition, ServiceRuntime } from '@lp/runtime';
import { CustomersService } from './application/customers.service';
import { OrdersService } from './application/orders.service';
import { CustomersController } from './http/customers.controller';
import { OrdersController } from './http/orders.controller';
import { ProductsController } from './http/products.controller';
import { knownTenantsProjection } from './projections/known-tenants.projection';
import { orderScreensProjection } from './projections/orders.projection';

export const orderServiceDefinition: ServiceDefinition = {
  name: 'order',
  topic: TOPICS.order,
  streamPrefixes: ['customer-', 'order-'],
  publishedEventTypes: ORDER_INTEGRATION_EVENT_TYPES,
  projections: [orderScreensProjection],
  busProjections: [{ projection: knownTenantsProjection, topics: [TOPICS.provisioning] }],
};

/** Customers (販売先), the catalog and orders (注文). */
@Module({})
export class OrderModule {
  static register(runtime: ServiceRuntime): DynamicModule {
    return {
      module: OrderModule,
      controllers: [CustomersController, ProductsController, OrdersController],
      providers: [
        ...runtimeProviders(runtime),
        CustomersService,
        OrdersService,
      ],
    };
  }
}
