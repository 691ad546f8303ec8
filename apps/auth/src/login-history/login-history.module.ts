import { Module } from '@nestjs/common';

/** Login history and its exports (AUTH-22). */
@Module({})
export class LoginHistoryModule {}
