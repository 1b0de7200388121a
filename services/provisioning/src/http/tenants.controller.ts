import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContext } from '@lp/eventsourcing';
import { AsOfQueryDto, AuthenticatedUser, CommandCtx, CurrentUser, historyItem, Roles } from '@lp/platform';
import { TenantsService } from '../application/tenants.service';
import { AttestAgreementDto, DirectAcceptanceDto, RegisterTenantDto } from './tenant.dto';

@ApiTags('tenants (プロビジョニング情報)')
@ApiBearerAuth()
@Roles('admin-agent', 'sales-agent', 'distributor-admin')
@Controller()
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Post('customers/:customerId/tenants')
  register(@Param('customerId') customerId: string, @Body() body: RegisterTenantDto, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    return this.tenants.register(customerId, body, user, context);
  }

  @Get('customers/:customerId/tenants')
  list(@Param('customerId') customerId: string, @CurrentUser() user: AuthenticatedUser) {
    return this.tenants.listForCustomer(customerId, user);
  }

  @Get('tenants/:id')
  get(@Param('id') id: string, @Query() query: AsOfQueryDto, @CurrentUser() user: AuthenticatedUser) {
    return this.tenants.get(id, user, query.asOf);
  }

  @Get('tenants/:id/history')
  async history(@Param('id') id: string, @Query() query: AsOfQueryDto, @CurrentUser() user: AuthenticatedUser) {
    return (await this.tenants.history(id, user, query.asOf)).map(historyItem);
  }

  /** Attesting the MCA is a legal statement for the customer: admin agents and the distributor (docs/roles.md). */
  @Post('tenants/:id/customer-agreement')
  @Roles('admin-agent', 'distributor-admin')
  attest(@Param('id') id: string, @Body() body: AttestAgreementDto, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    return this.tenants.attest(id, body, user, context);
  }

  @Post('tenants/:id/customer-agreement/direct-acceptance')
  @Roles('admin-agent', 'distributor-admin')
  directAcceptance(@Param('id') id: string, @Body() body: DirectAcceptanceDto, @CurrentUser() user: AuthenticatedUser, @CommandCtx() context: CommandContext) {
    return this.tenants.recordDirectAcceptance(id, body.acceptedOn, user, context);
  }
}
