import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContext } from '@lp/eventsourcing';
import { AsOfQueryDto, AuthenticatedUser, CommandCtx, CurrentUser, historyItem, Refuses, Roles } from '@lp/platform';
import { SubscriptionsService } from '../application/subscriptions.service';
import { SubscriptionListQueryDto } from './subscription.dto';

const SUBSCRIPTIONS_PAGE_SIZE = 20;

@ApiTags('subscriptions (vendor subscriptions)')
@ApiBearerAuth()
@Roles('admin-agent', 'sales-agent', 'distributor-admin')
@Controller('provisioning/subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  /** `{ items, page, pageSize, total }`, 20 a page, newest first. */
  @Get()
  @Refuses({})
  async list(@Query() query: SubscriptionListQueryDto, @CurrentUser() user: AuthenticatedUser) {
    const pageSize = query.pageSize ?? SUBSCRIPTIONS_PAGE_SIZE;
    const result = await this.subscriptions.list({ ...query, pageSize }, user);
    return { items: result.items, page: query.page, pageSize, total: result.total };
  }

  @Get(':id')
  @Refuses({ 404: ['SUBSCRIPTION_NOT_FOUND'] })
  get(@Param('id') id: string, @Query() query: AsOfQueryDto, @CurrentUser() user: AuthenticatedUser) {
    return this.subscriptions.get(id, user, query.asOf);
  }

  @Get(':id/history')
  @Refuses({ 404: ['SUBSCRIPTION_NOT_FOUND'] })
  async history(@Param('id') id: string, @Query() query: AsOfQueryDto, @CurrentUser() user: AuthenticatedUser) {
    return (await this.subscriptions.history(id, user, query.asOf)).map(historyItem);
  }

  /** MANUAL_PROVISIONING → ACTIVE: distributor staff only (domain.md), 409 INVALID_STATE otherwise. */
  @Post(':id/activate')
  @HttpCode(200)
  @Roles('distributor-admin')
  @Refuses({ 404: ['SUBSCRIPTION_NOT_FOUND'], 409: ['INVALID_STATE'] })
  activate(@Param('id') id: string, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    return this.subscriptions.activate(id, user, context);
  }

  /** FAILED → PROVISIONING (a new round of vendor calls): the owning reseller's admin or distributor staff. */
  @Post(':id/retry')
  @HttpCode(200)
  @Roles('admin-agent', 'distributor-admin')
  @Refuses({ 404: ['SUBSCRIPTION_NOT_FOUND'], 409: ['INVALID_STATE'] })
  retry(@Param('id') id: string, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    return this.subscriptions.retry(id, user, context);
  }
}
