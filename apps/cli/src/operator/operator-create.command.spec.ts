import {
  CallContext,
  DomainError,
  ErrorCode,
  RpcRequest,
  RpcResponse,
  RpcSubject,
  UserView,
} from '@app/contracts';
import { CommandOutput, OperatorCreateCommand } from './operator-create.command';
import { RpcSender } from './rpc-sender';

class FakeRpc implements RpcSender {
  calls: { subject: string; data: unknown; ctx?: CallContext }[] = [];
  constructor(private readonly answer: () => unknown) {}

  async send<S extends RpcSubject>(
    subject: S,
    data: RpcRequest<S>,
    ctx?: CallContext,
  ): Promise<RpcResponse<S>> {
    this.calls.push({ subject, data, ctx });
    return this.answer() as RpcResponse<S>;
  }
}

class CapturedOutput implements CommandOutput {
  stdout: string[] = [];
  stderr: string[] = [];
  out(line: string): void {
    this.stdout.push(line);
  }
  err(line: string): void {
    this.stderr.push(line);
  }
}

const input = { userId: 'ops-1', email: 'ops@example.com', password: 'Secret#Password-123' };
const user: UserView = {
  id: '5b0c7d6e-0000-4000-8000-000000000001',
  userId: 'ops-1',
  email: 'ops@example.com',
  familyName: 'ops-1',
  givenName: null,
  phone: null,
  language: 'ja',
  timezone: 'Asia/Tokyo',
  admin: false,
  mfaRequired: true,
  loginDisabled: false,
  locked: false,
  createdAt: '2026-01-01T00:00:00.000Z',
};

describe(OperatorCreateCommand.name, () => {
  it('sends auth.operator.create with a request id and prints the user, never the password', async () => {
    const rpc = new FakeRpc(() => user);
    const output = new CapturedOutput();
    const sut = new OperatorCreateCommand(rpc, output);

    await expect(sut.run(input)).resolves.toBe(0);

    expect(rpc.calls).toEqual([
      { subject: 'auth.operator.create', data: input, ctx: { requestId: expect.stringMatching(/^cli-/) } },
    ]);
    expect(output.stdout.join('\n')).toContain('ops-1');
    expect([...output.stdout, ...output.stderr].join('\n')).not.toContain(input.password);
  });

  it('prints the error code and message and fails when the ID is taken', async () => {
    const output = new CapturedOutput();
    const sut = new OperatorCreateCommand(
      new FakeRpc(() => {
        throw new DomainError(ErrorCode.UserIdTaken);
      }),
      output,
    );

    await expect(sut.run(input)).resolves.toBe(1);

    expect(output.stderr[0]).toMatch(/^error: user_id_taken — This user ID is already in use\./);
    expect(output.stdout).toEqual([]);
  });

  it('lists the fields of a validation failure', async () => {
    const output = new CapturedOutput();
    const failure = new DomainError(ErrorCode.ValidationFailed, {
      fields: { email: ['email must be an email'] },
    });
    const sut = new OperatorCreateCommand(
      new FakeRpc(() => {
        throw failure;
      }),
      output,
    );

    await expect(sut.run({ ...input, email: 'nope' })).resolves.toBe(1);

    expect(output.stderr.join('\n')).toContain('email: email must be an email');
  });
});
