import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

/** Profile, password change and MFA state of the caller (AUTH-17, AUTH-20). */
@ApiTags('me')
@Controller('me')
export class MeProfileController {}
