import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

/** Authenticator app and approver app of the caller (AUTH-8, AUTH-13). */
@ApiTags('me')
@Controller('me')
export class MeMfaController {}
