import { Module } from '@nestjs/common';

/** Authenticator apps (AUTH-8). */
@Module({})
export class TotpModule {}
