import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

/** Passkey login (AUTH-10). */
@ApiTags('auth')
@Controller('auth')
export class PasskeyLoginController {}
