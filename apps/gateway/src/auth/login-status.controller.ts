import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

/** State of a login flow waiting for app approval (AUTH-13). */
@ApiTags('auth')
@Controller('auth')
export class LoginStatusController {}
