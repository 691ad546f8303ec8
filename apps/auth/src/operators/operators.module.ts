import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { OperatorsController } from './operators.controller';

/** `auth.operator.create`: the CLI's bootstrap of operators (AUTH-2). */
@Module({
  imports: [UsersModule],
  controllers: [OperatorsController],
})
export class OperatorsModule {}
