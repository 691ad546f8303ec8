import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

/** The active tenant's login security policy: second step for everyone, trusted-browser time (AUTH-5, AUTH-9). */
@ApiTags('tenant admin')
@Controller('admin')
export class AdminSecurityPolicyController {}
