import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContext } from '@lp/eventsourcing';
import { AsOfQueryDto, AuthenticatedUser, CommandCtx, CurrentUser, historyItem, Refuses, Roles } from '@lp/platform';
import { BillingService } from '../application/billing.service';
import { BillingRunDto, InvoiceListQueryDto, UsageDto } from './billing.dto';

const INVOICES_PAGE_SIZE = 20;

/** Billing runs and usage imports are the distributor's work. */
@ApiTags('billing (請求)')
@ApiBearerAuth()
@Roles('distributor-admin')
@Controller('billing')
export class BillingController {
  constructor(private readonly billing: BillingService) {}

  /** 請求処理: one invoice per customer for the month; again → only what no invoice holds yet. */
  @Post('runs')
  @HttpCode(200)
  @Refuses({ 409: ['INVALID_STATE'] })
  run(@Body() body: BillingRunDto, @CommandCtx() context: CommandContext) {
    return this.billing.run(body.month, context);
  }

  @Post('usage')
  @HttpCode(200)
  @Refuses({ 404: ['LINE_NOT_FOUND'], 409: ['USAGE_ALREADY_RECORDED'], 422: ['LINE_NOT_BILLED', 'NOT_USAGE_BILLED'] })
  usage(@Body() body: UsageDto, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    return this.billing.recordUsage(body, user, context);
  }
}

/** 請求書一覧: reseller staff see their customers' documents; the distributor all. */
@ApiTags('billing (請求)')
@ApiBearerAuth()
@Roles('admin-agent', 'sales-agent', 'distributor-admin')
@Controller('invoices')
export class InvoicesController {
  constructor(private readonly billing: BillingService) {}

  @Get()
  @Refuses({})
  async list(@Query() query: InvoiceListQueryDto, @CurrentUser() user: AuthenticatedUser) {
    const pageSize = query.pageSize ?? INVOICES_PAGE_SIZE;
    const result = await this.billing.list({ ...query, pageSize }, user);
    return { ...result, page: query.page, pageSize };
  }

  @Get(':id')
  @Refuses({ 404: ['INVOICE_NOT_FOUND'] })
  get(@Param('id') id: string, @Query() query: AsOfQueryDto, @CurrentUser() user: AuthenticatedUser) {
    return this.billing.get(id, user, query.asOf);
  }

  @Get(':id/history')
  @Refuses({ 404: ['INVOICE_NOT_FOUND'] })
  async history(@Param('id') id: string, @Query() query: AsOfQueryDto, @CurrentUser() user: AuthenticatedUser) {
    return (await this.billing.history(id, user, query.asOf)).map(historyItem);
  }
}
