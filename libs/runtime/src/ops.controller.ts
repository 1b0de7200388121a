import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { notFound } from '@lp/eventsourcing';
import { Roles } from '@lp/platform';
import { ServiceRuntime } from './service-runtime';

export const RUNTIMES = Symbol('RUNTIMES');

/** For ops: where each projection stands, and a rebuild from position 0 (distributor staff only). */
@ApiTags('ops')
@ApiBearerAuth()
@Roles('distributor-admin')
@Controller('ops/projections')
export class OpsController {
  constructor(@Inject(RUNTIMES) private readonly runtimes: ServiceRuntime[]) {}

  @Get()
  async list() {
    const items = await Promise.all(
      this.runtimes.flatMap((runtime) =>
        runtime.projections.map(async (runner) => ({
          service: runtime.definition.name,
          name: runner.name,
          checkpoint: (await runtime.readStore.loadCheckpoint(runner.name)) ?? 0,
        })),
      ),
    );
    return { items, total: items.length };
  }

  @Post(':name/rebuild')
  @HttpCode(200)
  async rebuild(@Param('name') name: string) {
    const runtime = this.runtimes.find((candidate) => candidate.projections.some((runner) => runner.name === name));
    const runner = runtime?.projections.find((candidate) => candidate.name === name);
    if (!runtime || !runner) throw notFound('PROJECTION_NOT_FOUND', `No projection named ${name}`);
    await runner.rebuild();
    await runner.caughtUp();
    return { service: runtime.definition.name, name, checkpoint: (await runtime.readStore.loadCheckpoint(name)) ?? 0 };
  }
}
