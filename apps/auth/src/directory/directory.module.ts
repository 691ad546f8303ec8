import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { DirectoryRepository } from './directory.repository';
import { EmailBounceController } from './email-bounce.controller';
import { UserDirectoryController } from './user-directory.controller';

/** The user directory other services read, and the hard bounces the notification service reports. */
@Module({
  imports: [UsersModule],
  controllers: [UserDirectoryController, EmailBounceController],
  providers: [DirectoryRepository],
})
export class DirectoryModule {}
