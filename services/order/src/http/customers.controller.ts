import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContext } from '@lp/eventsourcing';
import { AsOfQueryDto, AuthenticatedUser, CommandCtx, CurrentUser, PageQueryDto, Refuses, Roles } from '@lp/platform';
import { CustomersService } from '../application/customers.service';
import { RegisterCustomerDto } from './dto/customer.dto';


@ApiTags('customers (販売先)')
@ApiBearerAuth()
@Roles('admin-agent', 'sales-agent', 'distributor-admin')
@Controller('customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Post()
  @Refuses({ 404: ['RESELLER_NOT_FOUND'], 409: ['ALREADY_EXISTS'] })
  register(@Body() body: RegisterCustomerDto, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    const { resellerId, ...details } = body;
    return this.customers.register(details, resellerId, user, context);
  }

  @Get()
  @Refuses({})
  async list(@Query() query: PageQueryDto, @CurrentUser() user: AuthenticatedUser) {
    const pageSize = query.pageSize ?? 30;
    const page = await this.customers.list({ q: query.q, page: query.page, pageSize }, user);
    return { ...page, page: query.page, pageSize };
  }

  @Get(':id')
  @Refuses({ 404: ['CUSTOMER_NOT_FOUND'] })
  get(@Param('id') id: string, @Query() query: AsOfQueryDto, @CurrentUser() user: AuthenticatedUser) {
    return this.customers.get(id, user, query.asOf);
  }
}
