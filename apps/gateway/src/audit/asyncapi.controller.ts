import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../security/public.decorator';
// The committed document, generated from the event types in libs/contracts (`npm run asyncapi`);
// a unit test regenerates it and fails when it differs, so what is served cannot drift.
import asyncApiDocument from '../../../../docs/asyncapi.json';

/** `GET /api/asyncapi.json`, outside `/api/v1`: the AsyncAPI 3 document of the `AUDIT` stream (AUDIT-4). */
@ApiTags('audit')
@Public()
@Controller('api')
export class AsyncApiController {
  @Get('asyncapi.json')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({
    summary: "The audit stream's AsyncAPI 3 document",
    description: 'Subjects of the `AUDIT` stream and one JSON Schema per event type, for consumers.',
  })
  @ApiOkResponse({ description: 'AsyncAPI 3.0 document (JSON)' })
  document(): unknown {
    return asyncApiDocument;
  }
}
