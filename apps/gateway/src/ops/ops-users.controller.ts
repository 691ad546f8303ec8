import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

/** Operators' work on users: MFA reset after an identity check (AUTH-19). */
@ApiTags('operators')
@Controller('ops')
export class OpsUsersController {}
