import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

/** The caller's passkeys (AUTH-10). */
@ApiTags('me')
@Controller('me')
export class MePasskeysController {}
