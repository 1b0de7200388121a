import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { CommandContext } from '@lp/eventsourcing';
import { CommandCtx, HttpResponse, Refuses, Roles } from '@lp/platform';
import { DeadLetterListQueryDto, DiscardDto, ExportQueryDto, RebuildQueryDto, RedriveDto, RepublishDto, RewindDto } from './ops/ops.dto';
import { exportSourceOf, Ops, rewindPointOf } from './ops/ops';
import { ServiceRuntime } from './service-runtime';

export const RUNTIMES = Symbol('RUNTIMES');
/** How far an export's scan goes (the CLI's progress bar): the store's head position when it started. */
export const HEAD_POSITION_HEADER = 'X-Head-Position';

/**
 * For ops (distributor staff only), after Marten's projection daemon, Axon's processor reset and
 * DLQ, KurrentDB's parked messages: projections (lag, blue/green rebuild), dead letters (list,
 * re-drive, discard), republish and rewind (each a dry-run count unless `confirm: true`), and the
 * audit export. The work is in ops/ops.ts; the CLI (tools/ops-cli) speaks to these routes.
 */
@ApiTags('ops')
@ApiBearerAuth()
@Roles('distributor-admin')
@Controller('ops')
export class OpsController {
  private readonly ops: Ops;

  constructor(@Inject(RUNTIMES) runtimes: ServiceRuntime[]) {
    this.ops = new Ops(runtimes);
  }

  @Get('projections')
  @Refuses({})
  @ApiOperation({ summary: 'Each projection: service, state, live version, checkpoint, lag (handled events behind), last error, rebuild progress, and the collection it is indexing (indexing: { collection, since }) while it makes its indexes' })
  projections() {
    return this.ops.projections();
  }

  @Post('projections/:name/rebuild')
  @Refuses({ 404: ['PROJECTION_NOT_FOUND'], 409: ['REBUILD_IN_PROGRESS'] })
  @HttpCode(200)
  @ApiOperation({ summary: 'Blue/green rebuild: a new version builds beside the live one, which keeps answering, and is swapped in once caught up' })
  @ApiOkResponse({ description: 'rebuilt and swapped' })
  @ApiAcceptedResponse({ description: 'with ?wait=false: started; follow GET /ops/projections' })
  async rebuild(
    @Param('name') name: string,
    @Query() query: RebuildQueryDto,
    @CommandCtx() context: CommandContext,
    @Res({ passthrough: true }) res: HttpResponse,
  ) {
    const wait = query.wait !== false;
    if (!wait) res.status(202);
    return this.ops.rebuild(name, wait, context);
  }

  @Get('dlq')
  @Refuses({})
  @ApiOperation({ summary: 'Dead letters (parked by default): topic, group, key, event id and type, error, attempts, first and last failure' })
  deadLetters(@Query() query: DeadLetterListQueryDto) {
    return this.ops.deadLetterList(query);
  }

  @Post('dlq/redrive')
  @Refuses({})
  @HttpCode(200)
  @ApiOperation({ summary: 'Re-drive parked messages (all, by topic, group or key, at most stopAt) to the group that parked them; a dry-run count unless confirm: true' })
  redrive(@Body() body: RedriveDto, @CommandCtx() context: CommandContext) {
    const { confirm, ...selection } = body;
    return this.ops.redrive(selection, confirm === true, context);
  }

  @Get('dlq/:id')
  @Refuses({ 404: ['DEAD_LETTER_NOT_FOUND'] })
  @ApiOperation({ summary: 'One dead letter with its envelope, headers and stack' })
  deadLetter(@Param('id') id: string) {
    return this.ops.deadLetter(id);
  }

  @Post('dlq/:id/discard')
  @Refuses({ 404: ['DEAD_LETTER_NOT_FOUND'], 409: ['DEAD_LETTER_SETTLED'] })
  @HttpCode(200)
  @ApiOperation({ summary: 'Drop a parked message for good, with a reason (journalled in the ops stream of the event store)' })
  discard(@Param('id') id: string, @Body() body: DiscardDto, @CommandCtx() context: CommandContext) {
    return this.ops.discard(id, body.reason, context);
  }

  @Post('republish')
  @Refuses({ 404: ['TOPIC_NOT_FOUND'] })
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Re-send stored integration events of a topic (original event ids, header replay: true) from a position or instant, optionally one stream, at most limit of them (lastPosition: where to go on); a dry-run count unless confirm: true',
  })
  republish(@Body() body: RepublishDto, @CommandCtx() context: CommandContext) {
    const { topic, confirm, limit, ...selection } = body;
    return this.ops.republish(topic, selection, confirm === true, context, limit);
  }

  @Get('consumers')
  @Refuses({})
  @ApiOperation({ summary: 'Reactors ops may rewind: store reactors (checkpoint) and bus consumer groups' })
  consumers() {
    return this.ops.consumers();
  }

  @Post('consumers/:name/rewind')
  @Refuses({ 404: ['CONSUMER_NOT_FOUND'], 422: ['ONE_REWIND_POINT'] })
  @HttpCode(200)
  @ApiOperation({ summary: 'Rewind a reactor or consumer group to a position or instant; a dry-run count of what it will handle again unless confirm: true' })
  rewind(@Param('name') name: string, @Body() body: RewindDto, @CommandCtx() context: CommandContext) {
    return this.ops.rewind(name, rewindPointOf(body), body.confirm === true, context);
  }

  @Get('events/export')
  @Refuses({ 404: ['TOPIC_NOT_FOUND', 'SERVICE_NOT_FOUND'], 422: ['EVENT_TYPE_NOT_ON_TOPIC', 'ONE_EXPORT_SOURCE'] })
  @ApiOkResponse({ description: 'one envelope per line (NDJSON); header X-Head-Position: the store\'s last position when the export started' })
  @ApiNotFoundResponse({ description: 'TOPIC_NOT_FOUND / SERVICE_NOT_FOUND: no running service publishes the topic or has the name' })
  @ApiUnprocessableEntityResponse({ description: 'EVENT_TYPE_NOT_ON_TOPIC: a type the topic does not carry; ONE_EXPORT_SOURCE: not exactly one of topic and service' })
  @ApiProduces('application/x-ndjson')
  @ApiOperation({
    summary: 'Audit export, one envelope with metadata per line: what a topic carried (topic=), or every event of a service\'s store (service=: internal events, the ops journal); maskPii masks personal data',
  })
  async exportEvents(@Query() query: ExportQueryDto, @Res() reply: HttpResponse): Promise<void> {
    const { topic, service, maskPii, type, ...selection } = query;
    const types = type?.split(',').map((t) => t.trim()).filter(Boolean);
    const { headPosition, lines } = await this.ops.exportEvents(exportSourceOf({ topic, service }), { ...selection, types }, maskPii === true);
    // The first line decides the status: a store that fails at once is still a problem+json answer.
    const first = await lines.next();
    // Streamed on the Node response, which gets the headers the reply holds so far.
    const res = reply.raw;
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) res.setHeader(name, value);
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/x-ndjson');
    res.setHeader(HEAD_POSITION_HEADER, String(headPosition));
    reply.hijack();
    if (!first.done) res.write(first.value);
    try {
      for await (const line of lines) {
        if (!res.write(line)) await new Promise((resolve) => res.once('drain', resolve));
      }
      res.end();
    } catch (error) {
      // Headers are gone: cutting the stream is how the client learns the export is incomplete.
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
