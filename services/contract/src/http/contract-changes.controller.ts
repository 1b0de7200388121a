import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContext } from '@lp/eventsourcing';
import { AsOfQueryDto, AuthenticatedUser, CommandCtx, CurrentUser, FlagNeedsRoles, historyItem, Refuses, Roles } from '@lp/platform';
import { ContractChangesService } from '../application/contract-changes.service';
import {
  ConfirmChangeDto,
  RequestProductChangeDto,
  RequestRenewalDto,
  ConfirmCancellationDto,
  ConfirmQuantityChangeDto,
  ContractChangeListQueryDto,
  LinkChangeDto,
  RequestCancellationDto,
  RequestQuantityChangeDto,
} from './dto/contract-change.dto';

const CHANGES_PAGE_SIZE = 20;

/** Requests on a contract: 解約手続き and quantity changes. Each answers the new change (201). */
@ApiTags('contract changes (契約変更)')
@ApiBearerAuth()
@Roles('admin-agent', 'sales-agent', 'distributor-admin')
@Controller('contracts')
export class ContractChangeRequestsController {
  constructor(private readonly changes: ContractChangesService) {}

  @Post(':id/cancellations')
  @Refuses({ 404: ['CONTRACT_NOT_FOUND', 'LINE_NOT_FOUND'], 409: ['ALREADY_EXISTS', 'INVALID_STATE'], 422: ['CANCELLATION_WINDOW_CLOSED', 'LINE_NOT_ACTIVE', 'QUANTITY_OUT_OF_RANGE', 'TRIAL_IN_BULK_CANCELLATION'] })
  requestCancellation(@Param('id') id: string, @Body() body: RequestCancellationDto, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    return this.changes.request(id, 'CANCELLATION', body, user, context);
  }

  @Post(':id/quantity-changes')
  @Refuses({ 404: ['CONTRACT_NOT_FOUND', 'LINE_NOT_FOUND'], 409: ['ALREADY_EXISTS', 'INVALID_STATE'], 422: ['CANCELLATION_WINDOW_CLOSED', 'LINE_NOT_ACTIVE', 'QUANTITY_OUT_OF_RANGE'] })
  requestQuantityChange(@Param('id') id: string, @Body() body: RequestQuantityChangeDto, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    return this.changes.request(id, 'QUANTITY_CHANGE', body, user, context);
  }

  /** 数量・商品変更 to an upgrade of the same vendor and billing policy (422 UNKNOWN_PRODUCT, OTHER_VENDOR, OTHER_BILLING_POLICY, NOT_AN_UPGRADE). */
  @Post(':id/product-changes')
  @Refuses({ 404: ['CONTRACT_NOT_FOUND', 'LINE_NOT_FOUND'], 409: ['ALREADY_EXISTS', 'INVALID_STATE'], 422: ['LINE_NOT_ACTIVE', 'NOT_AN_UPGRADE', 'OTHER_BILLING_POLICY', 'OTHER_VENDOR', 'SAME_PRODUCT', 'UNKNOWN_PRODUCT'] })
  requestProductChange(@Param('id') id: string, @Body() body: RequestProductChangeDto, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    return this.changes.request(id, 'PRODUCT_CHANGE', body, user, context);
  }

  /** 契約更新手続き: the next term's quantity of lines with a term (422 NO_TERM for others). */
  @Post(':id/renewals')
  @Refuses({ 404: ['CONTRACT_NOT_FOUND', 'LINE_NOT_FOUND'], 409: ['ALREADY_EXISTS', 'INVALID_STATE'], 422: ['LINE_NOT_ACTIVE', 'NO_TERM', 'RENEWAL_PRODUCT_CHANGE'] })
  requestRenewal(@Param('id') id: string, @Body() body: RequestRenewalDto, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    return this.changes.request(id, 'RENEWAL', body, user, context);
  }
}

/** 契約変更一覧 and the change's life: 受付 → 連携 → 確定 (or 受付取消 / キャンセル). */
@ApiTags('contract changes (契約変更)')
@ApiBearerAuth()
@Roles('admin-agent', 'sales-agent', 'distributor-admin')
@Controller('contract-changes')
export class ContractChangesController {
  constructor(private readonly changes: ContractChangesService) {}

  /** `{ items, page, pageSize, total }`, 20 a page, newest request first. */
  @Get()
  @Refuses({})
  async list(@Query() query: ContractChangeListQueryDto, @CurrentUser() user: AuthenticatedUser) {
    const pageSize = query.pageSize ?? CHANGES_PAGE_SIZE;
    const result = await this.changes.list({ ...query, pageSize }, user);
    return { ...result, page: query.page, pageSize };
  }

  @Get(':id')
  @Refuses({ 404: ['CONTRACT_CHANGE_NOT_FOUND'] })
  get(@Param('id') id: string, @Query() query: AsOfQueryDto, @CurrentUser() user: AuthenticatedUser) {
    return this.changes.get(id, user, query.asOf);
  }

  @Get(':id/history')
  @Refuses({ 404: ['CONTRACT_CHANGE_NOT_FOUND'] })
  async history(@Param('id') id: string, @Query() query: AsOfQueryDto, @CurrentUser() user: AuthenticatedUser) {
    return (await this.changes.history(id, user, query.asOf)).map(historyItem);
  }

  /** 受付 */
  @Post(':id/accept')
  @HttpCode(200)
  @Refuses({ 404: ['CONTRACT_CHANGE_NOT_FOUND'], 409: ['INVALID_STATE'] })
  accept(@Param('id') id: string, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    return this.changes.accept(id, user, context);
  }

  /** 受付取消: 409 ALREADY_LINKED once a line went to the vendor. */
  @Post(':id/revoke-acceptance')
  @HttpCode(200)
  @Refuses({ 404: ['CONTRACT_CHANGE_NOT_FOUND'], 409: ['ALREADY_LINKED', 'INVALID_STATE'] })
  revokeAcceptance(@Param('id') id: string, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    return this.changes.revokeAcceptance(id, user, context);
  }

  /** 解約連携: CancellationLinked; provisioning cancels or reduces the vendor subscriptions. */
  @Post(':id/link-cancellation')
  @HttpCode(200)
  @Refuses({ 404: ['CONTRACT_CHANGE_NOT_FOUND', 'LINE_NOT_FOUND'], 409: ['ALREADY_LINKED', 'INVALID_STATE', 'NO_VENDOR_LINK'] })
  linkCancellation(@Param('id') id: string, @Body() body: LinkChangeDto, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    return this.changes.link(id, 'CANCELLATION', body.lineIds, user, context);
  }

  /** QuantityChangeLinked; provisioning sets the vendor subscriptions' seat counts. */
  @Post(':id/link-quantity-change')
  @HttpCode(200)
  @Refuses({ 404: ['CONTRACT_CHANGE_NOT_FOUND', 'LINE_NOT_FOUND'], 409: ['ALREADY_LINKED', 'INVALID_STATE', 'NO_VENDOR_LINK'] })
  linkQuantityChange(@Param('id') id: string, @Body() body: LinkChangeDto, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    return this.changes.link(id, 'QUANTITY_CHANGE', body.lineIds, user, context);
  }

  /** 解約確定: 409 NOT_LINKED; 409 SUPPLIER_NOT_CONFIRMED until the vendor confirmed, unless repeated with force (admin agents and the distributor). */
  @Post(':id/confirm-cancellation')
  @HttpCode(200)
  @FlagNeedsRoles('force', 'admin-agent', 'distributor-admin')
  @Refuses({ 403: ['FORCE_NOT_ALLOWED'], 404: ['CONTRACT_CHANGE_NOT_FOUND'], 409: ['INVALID_STATE', 'NOT_LINKED', 'SUPPLIER_NOT_CONFIRMED'], 422: ['VENDOR_REFUSED'] })
  confirmCancellation(@Param('id') id: string, @Body() body: ConfirmCancellationDto, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    return this.changes.confirmCancellation(id, body, user, context);
  }

  /** Overriding the supplier's warning with force: admin agents and the distributor (docs/roles.md). */
  @Post(':id/confirm-quantity-change')
  @HttpCode(200)
  @FlagNeedsRoles('force', 'admin-agent', 'distributor-admin')
  @Refuses({ 403: ['FORCE_NOT_ALLOWED'], 404: ['CONTRACT_CHANGE_NOT_FOUND'], 409: ['INVALID_STATE', 'NOT_LINKED', 'SUPPLIER_NOT_CONFIRMED'], 422: ['VENDOR_REFUSED'] })
  confirmQuantityChange(@Param('id') id: string, @Body() body: ConfirmQuantityChangeDto, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    return this.changes.confirmQuantityChange(id, body, user, context);
  }

  /** 連携 of any change type (a renewal has nothing to link: 409 NO_VENDOR_LINK). */
  @Post(':id/link')
  @HttpCode(200)
  @Refuses({ 404: ['CONTRACT_CHANGE_NOT_FOUND', 'LINE_NOT_FOUND'], 409: ['ALREADY_LINKED', 'INVALID_STATE', 'NO_VENDOR_LINK'] })
  link(@Param('id') id: string, @Body() body: LinkChangeDto, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    return this.changes.link(id, undefined, body.lineIds, user, context);
  }

  /** 確定 of any change type, with the typed confirmations' rules; force as for them (admin agents and the distributor). */
  @Post(':id/confirm')
  @HttpCode(200)
  @FlagNeedsRoles('force', 'admin-agent', 'distributor-admin')
  @Refuses({ 403: ['FORCE_NOT_ALLOWED'], 404: ['CONTRACT_CHANGE_NOT_FOUND'], 409: ['INVALID_STATE', 'NOT_LINKED', 'SUPPLIER_NOT_CONFIRMED'], 422: ['END_DATE_REQUIRED', 'FIELD_NOT_FOR_CHANGE_TYPE', 'VENDOR_REFUSED'] })
  confirm(@Param('id') id: string, @Body() body: ConfirmChangeDto, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    return this.changes.confirm(id, body, user, context);
  }

  /** キャンセル: refused once a line went to the vendor (and was not refused there). */
  @Post(':id/withdraw')
  @HttpCode(200)
  @Refuses({ 404: ['CONTRACT_CHANGE_NOT_FOUND'], 409: ['ALREADY_LINKED', 'INVALID_STATE'] })
  withdraw(@Param('id') id: string, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    return this.changes.withdraw(id, user, context);
  }
}
