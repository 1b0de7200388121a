import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContext, notFound } from '@lp/eventsourcing';
import { AsOfQueryDto, AuthenticatedUser, CommandCtx, CurrentUser, historyItem, Refuses, Roles, todayInTokyo } from '@lp/platform';
import { OrdersService } from '../application/orders.service';
import { AcceptOrderDto, CancelOrderDto, CreateOrderDto, OrderListQueryDto, PlaceOrderDto, ProvisioningTargetDto } from './dto/order.dto';


const ORDERS_PAGE_SIZE = 30;

@ApiTags('orders (注文)')
@ApiBearerAuth()
@Roles('admin-agent', 'sales-agent', 'distributor-admin')
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @Refuses({ 404: ['CUSTOMER_NOT_FOUND'], 409: ['ALREADY_EXISTS', 'DUPLICATE_ORDER_NUMBER'] })
  create(@Body() body: CreateOrderDto, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    return this.orders.create(body, user, context);
  }

  /** 注文一覧: `{ items, page, pageSize, total }`, 30 a page, newest first. */
  @Get()
  @Refuses({})
  async list(@Query() query: OrderListQueryDto, @CurrentUser() user: AuthenticatedUser) {
    const pageSize = query.pageSize ?? ORDERS_PAGE_SIZE;
    const result = await this.orders.list({ ...query, pageSize }, user);
    return { ...result, page: query.page, pageSize };
  }

  @Get(':id')
  @Refuses({ 404: ['ORDER_NOT_FOUND'] })
  get(@Param('id') id: string, @Query() query: AsOfQueryDto, @CurrentUser() user: AuthenticatedUser) {
    return this.orders.get(id, user, query.asOf);
  }

  @Get(':id/history')
  @Refuses({ 404: ['ORDER_NOT_FOUND'] })
  async history(@Param('id') id: string, @Query() query: AsOfQueryDto, @CurrentUser() user: AuthenticatedUser) {
    return (await this.orders.history(id, user, query.asOf)).map(historyItem);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @Refuses({ 404: ['ORDER_NOT_FOUND'], 409: ['INVALID_STATE'] })
  accept(@Param('id') id: string, @Body() body: AcceptOrderDto, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    const acceptedOn = body.acceptedOn ?? todayInTokyo(context.now);
    return this.orders.execute(id, { type: 'AcceptOrder', acceptedOn }, user, context);
  }

  @Post(':id/revoke-acceptance')
  @HttpCode(200)
  @Refuses({ 404: ['ORDER_NOT_FOUND'], 409: ['ALREADY_PLACED', 'INVALID_STATE'] })
  revokeAcceptance(@Param('id') id: string, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    return this.orders.execute(id, { type: 'RevokeAcceptance' }, user, context);
  }

  @Put(':id/provisioning-target')
  @Refuses({ 404: ['ORDER_NOT_FOUND', 'TENANT_NOT_FOUND'], 409: ['INVALID_STATE'], 422: ['TENANT_NOT_OF_CUSTOMER'] })
  async selectProvisioningTarget(
    @Param('id') id: string,
    @Body() body: ProvisioningTargetDto,
    @CurrentUser() user: AuthenticatedUser,
    @CommandCtx() context: CommandContext,
  ) {
    const tenant = await this.orders.tenant(body.tenantId, user);
    // A tenant this service has never heard of, or another reseller's, is not one of the customer's.
    if (!tenant) throw notFound('TENANT_NOT_FOUND', `Tenant ${body.tenantId} not found`);
    return this.orders.execute(id, { type: 'SelectProvisioningTarget', tenant }, user, context);
  }

  @Post(':id/place')
  @HttpCode(200)
  @Refuses({ 404: ['LINE_NOT_FOUND', 'ORDER_NOT_FOUND'], 409: ['INVALID_STATE', 'LINE_ALREADY_PLACED'], 422: ['MCA_NOT_ACCEPTED', 'TENANT_REQUIRED'] })
  place(@Param('id') id: string, @Body() body: PlaceOrderDto, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    const placedOn = body.placedOn ?? todayInTokyo(context.now);
    return this.orders.place(id, { lineIds: body.lineIds, placedOn }, user, context);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Refuses({ 404: ['ORDER_NOT_FOUND'], 409: ['ALREADY_PLACED', 'INVALID_STATE'] })
  cancel(@Param('id') id: string, @Body() body: CancelOrderDto, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    const cancelledOn = body.cancelledOn ?? todayInTokyo(context.now);
    return this.orders.execute(id, { type: 'CancelOrder', cancelledOn }, user, context);
  }

  /** 削除 takes the order off the list: admin agents and the distributor only (docs/roles.md). */
  @Delete(':id')
  @HttpCode(204)
  @Roles('admin-agent', 'distributor-admin')
  @Refuses({ 404: ['ORDER_NOT_FOUND'], 409: ['INVALID_STATE'] })
  async remove(@Param('id') id: string, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    await this.orders.execute(id, { type: 'DeleteOrder' }, user, context);
  }
}
