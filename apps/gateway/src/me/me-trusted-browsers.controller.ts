import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

/** The caller's trusted browsers (AUTH-9). */
@ApiTags('me')
@Controller('me')
export class MeTrustedBrowsersController {}
