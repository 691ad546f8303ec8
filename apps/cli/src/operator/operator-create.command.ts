import { randomUUID } from 'node:crypto';
import { CreateOperatorDto, DomainError, ErrorCode, errorMessage, UserView } from '@app/contracts';
import { RpcSender } from './rpc-sender';

export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

/**
 * `operator:create`: the only way to make the first operator (there is no HTTP endpoint for it).
 * Sends `auth.operator.create` over NATS; the auth service validates and hashes. The password is
 * never printed, whatever happens.
 */
export class OperatorCreateCommand {
  constructor(
    private readonly rpc: RpcSender,
    private readonly output: CommandOutput,
  ) {}

  async run(input: CreateOperatorDto): Promise<number> {
    const requestId = `cli-${randomUUID()}`;
    try {
      const user: UserView = await this.rpc.send('auth.operator.create', input, { requestId });
      this.output.out(`Created operator ${user.userId}:`);
      this.output.out(JSON.stringify(user, null, 2));
      return 0;
    } catch (error) {
      this.output.err(this.describe(error, requestId));
      return 1;
    }
  }

  private describe(error: unknown, requestId: string): string {
    if (!(error instanceof DomainError)) {
      return `error: ${error instanceof Error ? error.message : String(error)} (request ${requestId})`;
    }
    const lines = [`error: ${error.code} — ${errorMessage(error.code)} (request ${requestId})`];
    const fields = error.details?.fields;
    if (fields && typeof fields === 'object') {
      for (const [field, problems] of Object.entries(fields as Record<string, unknown>)) {
        lines.push(`  ${field}: ${Array.isArray(problems) ? problems.join('; ') : String(problems)}`);
      }
    }
    if (error.code === ErrorCode.ServiceUnavailable) {
      lines.push('  Is the auth service running? Start the platform with `npm start` (or set NATS_URL).');
      // NATS refuses a wrong or missing user, and lets only the CLI's user create operators.
      lines.push('  Does NATS know this CLI? It connects as NATS_USER (the `cli` user) with NATS_PASSWORD.');
    }
    return lines.join('\n');
  }
}
