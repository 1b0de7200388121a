import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { asyncApiDocument, JsonSchema } from '@lp/integration-events';
import { Public } from '@lp/platform';
import { RUNTIMES } from './ops.controller';
import { ServiceRuntime } from './service-runtime';

/**
 * The AsyncAPI 3.0 document of the topics this process publishes (all four embedded, its own in a
 * service's process), for subscribers and their tooling. Public: it describes the contracts, no data.
 */
@ApiTags('events')
@Public()
@Controller()
export class AsyncApiController {
  private readonly document: JsonSchema;

  constructor(@Inject(RUNTIMES) runtimes: ServiceRuntime[]) {
    this.document = asyncApiDocument(runtimes.map((runtime) => runtime.definition.topic));
  }

  @Get('asyncapi.json')
  @ApiOperation({ summary: 'AsyncAPI 3.0 document of the integration events this service publishes (docs/subscribing.md)' })
  @ApiOkResponse({ description: 'Channels (one per topic), messages (every version of every event), envelope, headers and key.' })
  asyncApi(): JsonSchema {
    return this.document;
  }
}
