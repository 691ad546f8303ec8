import { Controller } from '@nestjs/common';
import { CreateOperatorDto, RpcEnvelope, UserView } from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { UsersService } from '../users/users.service';

/**
 * Operator bootstrap, called by the CLI (`npm run cli -- operator:create`) over NATS. The gateway
 * has no route to this subject, and NATS lets only the CLI's user publish on it
 * (deploy/nats/permissions.json).
 */
@Controller()
export class OperatorsController {
  constructor(private readonly users: UsersService) {}

  @RpcHandler('auth.operator.create')
  async create({ data }: RpcEnvelope<CreateOperatorDto>): Promise<UserView> {
    return this.users.createOperator(data);
  }
}
