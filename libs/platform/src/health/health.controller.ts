import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { HttpResponse as Response } from '../http-types';
import { Public } from '../auth/decorators';
import { platformMetrics } from './http-metrics';
import { ReadinessRegistry } from './readiness-registry';

@ApiExcludeController()
@Public()
@Controller()
export class HealthController {
  constructor(private readonly readiness: ReadinessRegistry) {}

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
  @Header('Cache-Control', 'no-store')
  async metrics(@Res() response: Response): Promise<void> {
    const { registry } = platformMetrics();
    response.type(registry.contentType).send(await registry.metrics());
  }
}
