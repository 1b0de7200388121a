import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { notFound } from '@lp/eventsourcing';
import { Refuses, Roles } from '@lp/platform';
import { SimulatedConnector } from '../domain/connectors/simulated-connector';
import { VENDOR_CONNECTORS } from '../provisioning.tokens';
import { VendorConnectors } from '../provisioning-options';
import { InjectFailuresDto } from './subscription.dto';

/** 'PartnerCenter', 'partner-center' and 'partnercenter' all name the same simulator. */
const normalized = (name: string) => name.toLowerCase().replace(/[-_\s]/g, '');

/**
 * For tests and demos against a running service (the distributed e2e test runs it as a process of
 * its own): make the next vendor calls of a simulator fail. Real connectors are not simulators: 404.
 */
@ApiTags('ops')
@ApiBearerAuth()
@Roles('distributor-admin')
@Controller('ops/vendor-simulators')
export class VendorSimulatorsController {
  constructor(@Inject(VENDOR_CONNECTORS) private readonly connectors: VendorConnectors) {}

  @Get()
  @Refuses({})
  list() {
    const items = this.simulators().map(summaryOf);
    return { items, total: items.length };
  }

  @Post(':name/failures')
  @HttpCode(200)
  @Refuses({ 404: ['VENDOR_SIMULATOR_NOT_FOUND'] })
  injectFailures(@Param('name') name: string, @Body() body: InjectFailuresDto) {
    const simulator = this.simulators().find((candidate) => normalized(candidate.name) === normalized(name));
    if (!simulator) throw notFound('VENDOR_SIMULATOR_NOT_FOUND', `No vendor simulator named ${name}`);
    simulator.failNext(body.count, { retryable: body.retryable, reason: body.reason });
    return summaryOf(simulator);
  }

  private simulators(): SimulatedConnector[] {
    return Object.values(this.connectors).filter((connector): connector is SimulatedConnector => connector instanceof SimulatedConnector);
  }
}

const summaryOf = (simulator: SimulatedConnector) => ({
  name: simulator.name,
  mode: simulator.mode,
  latencyMs: simulator.latencyMs,
  calls: simulator.calls,
  pendingFailures: simulator.failures.pending,
});
