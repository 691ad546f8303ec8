import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

/** The active tenant's login history and its exports (AUTH-22). */
@ApiTags('tenant admin')
@Controller('admin')
export class AdminLoginHistoryController {}
