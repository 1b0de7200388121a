import { Controller, Get, Header, Headers, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { HttpResponse as Response } from '../http-types';
import { BearerTokenVerifier } from '../auth/bearer-token';
import { Public } from '../auth/decorators';
import { JWT_SECRET } from '../auth/jwt-secret';
import { ResellerDirectory } from '../auth/reseller-directory';
import { platformMetrics } from './http-metrics';
import { MetricsAccess } from './metrics-access';
import { Refuses } from '../openapi/refuses';
import { ReadinessRegistry } from './readiness-registry';

/** Probes are public (orchestrator, gateway); /metrics checks its own token (METRICS_TOKEN or distributor staff). */
@ApiExcludeController()
@Public()
@Controller()
export class HealthController {
  private readonly metricsAccess: MetricsAccess;

  constructor(
    private readonly readiness: ReadinessRegistry,
    @Inject(JWT_SECRET) secret: string,
    resellers: ResellerDirectory,
  ) {
    this.metricsAccess = new MetricsAccess(BearerTokenVerifier.fromEnvironment(secret, resellers));
  }

  /** The process is up; says nothing about dependencies (a restart would not fix those). */
  @Get('health/live')
  live() {
    return { status: 'ok' };
  }

  /** Every registered dependency answers; 503 lists which ones do not. */
  @Get('health/ready')
  async ready(@Res({ passthrough: true }) response: Response) {
    const { ready, checks } = await this.readiness.run();
    response.status(ready ? 200 : 503);
    return { status: ready ? 'ok' : 'unavailable', checks };
  }

  @Get('metrics')
  @Refuses({})
  @Header('Cache-Control', 'no-store')
  async metrics(@Headers('authorization') authorization: string | undefined, @Res() response: Response): Promise<void> {
    this.metricsAccess.check(authorization);
    const { registry } = platformMetrics();
    response.type(registry.contentType).send(await registry.metrics());
  }
}
