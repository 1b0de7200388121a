import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContext } from '@lp/eventsourcing';
import { AsOfQueryDto, AuthenticatedUser, CommandCtx, CurrentUser, historyItem, Refuses, Roles } from '@lp/platform';
import { ContractsService } from '../application/contracts.service';
import { AutoRenewDto, ConfirmContractDto, ContractListQueryDto, CreateContractDto, RenewalRunDto } from './dto/contract.dto';

const CONTRACTS_PAGE_SIZE = 20;

/** Reseller staff work on their own reseller's contracts (others' are "not found"); distributor staff on all. */
@ApiTags('contracts (契約)')
@ApiBearerAuth()
@Roles('admin-agent', 'sales-agent', 'distributor-admin')
@Controller('contracts')
export class ContractsController {
  constructor(private readonly contracts: ContractsService) {}

  /** A renewal run (distributor staff; the daily timer does the same): idempotent, each term renews once. */
  @Post('renewal-runs')
  @HttpCode(200)
  @Roles('distributor-admin')
  @Refuses({})
  runRenewals(@Body() body: RenewalRunDto, @CommandCtx() context: CommandContext) {
    return this.contracts.runRenewals(body.date, context);
  }

  @Post()
  @Refuses({ 404: ['LINE_NOT_FOUND', 'ORDER_NOT_FOUND'], 409: ['ALREADY_EXISTS', 'DUPLICATE_CONTRACT_NUMBER'], 422: ['LINE_ALREADY_CONTRACTED', 'LINE_NOT_PLACED'] })
  create(@Body() body: CreateContractDto, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    return this.contracts.create(body, user, context);
  }

  /** 契約一覧: `{ items, page, pageSize, total }`, 20 a page, newest first. */
  @Get()
  @Refuses({})
  async list(@Query() query: ContractListQueryDto, @CurrentUser() user: AuthenticatedUser) {
    const pageSize = query.pageSize ?? CONTRACTS_PAGE_SIZE;
    const result = await this.contracts.list({ ...query, pageSize }, user);
    return { ...result, page: query.page, pageSize };
  }

  @Get(':id')
  @Refuses({ 404: ['CONTRACT_NOT_FOUND'] })
  get(@Param('id') id: string, @Query() query: AsOfQueryDto, @CurrentUser() user: AuthenticatedUser) {
    return this.contracts.get(id, user, query.asOf);
  }

  @Get(':id/history')
  @Refuses({ 404: ['CONTRACT_NOT_FOUND'] })
  async history(@Param('id') id: string, @Query() query: AsOfQueryDto, @CurrentUser() user: AuthenticatedUser) {
    return (await this.contracts.history(id, user, query.asOf)).map(historyItem);
  }

  /** 契約確定: the chosen (default: every pending) lines, once their subscriptions are ACTIVE. */
  @Post(':id/confirm')
  @HttpCode(200)
  @Refuses({ 404: ['CONTRACT_NOT_FOUND', 'LINE_NOT_FOUND'], 409: ['INVALID_STATE', 'LINE_NOT_PENDING', 'PROVISIONING_NOT_COMPLETE'] })
  confirm(@Param('id') id: string, @Body() body: ConfirmContractDto, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    return this.contracts.confirm(id, body, user, context);
  }

  /** 自動更新 of a line with a term: off, the line ends on its term end date. */
  @Put(':id/lines/:lineId/auto-renew')
  @Refuses({ 404: ['CONTRACT_NOT_FOUND'], 409: ['INVALID_STATE'], 422: ['LINE_NOT_ACTIVE', 'NO_TERM'] })
  setAutoRenew(
    @Param('id') id: string,
    @Param('lineId') lineId: string,
    @Body() body: AutoRenewDto,
    @CurrentUser() user: AuthenticatedUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.contracts.setAutoRenew(id, lineId, body.autoRenew, user, context);
  }
}
