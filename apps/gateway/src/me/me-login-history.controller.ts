import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

/** The caller's login history and its exports (AUTH-22). */
@ApiTags('me')
@Controller('me')
export class MeLoginHistoryController {}
