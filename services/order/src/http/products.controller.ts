import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CATALOG } from '../domain/catalog';

@ApiTags('products (商品)')
@ApiBearerAuth()
@Controller('products')
export class ProductsController {
  @Get()
  list() {
    return { items: CATALOG, page: 1, pageSize: CATALOG.length, total: CATALOG.length };
  }
}
