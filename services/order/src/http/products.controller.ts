import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Refuses, Roles } from '@lp/platform';
import { CATALOG } from '../domain/catalog';

@ApiTags('products (商品)')
@ApiBearerAuth()
@Roles('admin-agent', 'sales-agent', 'distributor-admin')
@Controller('products')
export class ProductsController {
  @Get()
  @Refuses({})
  list() {
    return { items: CATALOG, page: 1, pageSize: CATALOG.length, total: CATALOG.length };
  }
}
