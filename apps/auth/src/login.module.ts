import { Module } from '@nestjs/common';

/** Login flows, security codes, sessions and tokens. */
@Module({})
export class LoginModule {}
