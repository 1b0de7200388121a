import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContext } from '@lp/eventsourcing';
import { AsOfQueryDto, AuthenticatedUser, CommandCtx, CurrentUser, historyItem, Refuses, Roles } from '@lp/platform';
import { TenantsService } from '../application/tenants.service';
import { AttestAgreementDto, DirectAcceptanceDto, RegisterTenantDto } from './tenant.dto';

@ApiTags('tenants (プロビジョニング情報)')
@ApiBearerAuth()
@Roles('admin-agent', 'sales-agent', 'distributor-admin')
@Controller()
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Post('customers/:customerId/tenants')
  @Refuses({ 404: ['CUSTOMER_NOT_FOUND'], 409: ['ALREADY_EXISTS', 'DUPLICATE_TENANT'] })
  register(@Param('customerId') customerId: string, @Body() body: RegisterTenantDto, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    return this.tenants.register(customerId, body, user, context);
  }

  @Get('customers/:customerId/tenants')
  @Refuses({ 404: ['CUSTOMER_NOT_FOUND'] })
  list(@Param('customerId') customerId: string, @CurrentUser() user: AuthenticatedUser) {
    return this.tenants.listForCustomer(customerId, user);
  }

  @Get('tenants/:id')
  @Refuses({ 404: ['TENANT_NOT_FOUND'] })
  get(@Param('id') id: string, @Query() query: AsOfQueryDto, @CurrentUser() user: AuthenticatedUser) {
    return this.tenants.get(id, user, query.asOf);
  }

  @Get('tenants/:id/history')
  @Refuses({ 404: ['TENANT_NOT_FOUND'] })
  async history(@Param('id') id: string, @Query() query: AsOfQueryDto, @CurrentUser() user: AuthenticatedUser) {
    return (await this.tenants.history(id, user, query.asOf)).map(historyItem);
  }

  /** Attesting the MCA is a legal statement for the customer: admin agents and the distributor (docs/roles.md). */
  @Post('tenants/:id/customer-agreement')
  @Roles('admin-agent', 'distributor-admin')
  @Refuses({ 403: ['INDIRECT_RESELLER_CANNOT_ATTEST'], 404: ['TENANT_NOT_FOUND'], 409: ['INVALID_STATE'], 422: ['DATE_IN_FUTURE'] })
  attest(@Param('id') id: string, @Body() body: AttestAgreementDto, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    return this.tenants.attest(id, body, user, context);
  }

  @Post('tenants/:id/customer-agreement/direct-acceptance')
  @Roles('admin-agent', 'distributor-admin')
  @Refuses({ 404: ['TENANT_NOT_FOUND'], 409: ['INVALID_STATE'], 422: ['DATE_IN_FUTURE'] })
  directAcceptance(@Param('id') id: string, @Body() body: DirectAcceptanceDto, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    return this.tenants.recordDirectAcceptance(id, body.acceptedOn, user, context);
  }
}
