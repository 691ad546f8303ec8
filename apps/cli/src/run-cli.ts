import net from 'node:net';
import { BaseEnv, withoutPassword } from '@app/config';
import { CreateOperatorDto } from '@app/contracts';
import { parseCliArgs } from './cli-args.util';
import { MigrateCommand } from './migrate/migrate.command';
import { CommandOutput, OperatorCreateCommand } from './operator/operator-create.command';
import { RpcSender } from './operator/rpc-sender';

export const USAGE = `usage: npm run cli -- <command> [options]

commands:
  operator:create --user-id ID --email ADDR --password PW
  operator:create --user-id ID --email ADDR --password-stdin   (reads the password from the first line of stdin)
      Creates an operator (Mamori staff). The platform must be running (npm start);
      the command talks to the auth service over NATS_URL (default nats://127.0.0.1:4222) as
      the NATS user of NATS_USER/NATS_PASSWORD (npm start's own NATS: the cli user, found by itself).
  migrate [--service NAME]
      Applies every service's pending schema migrations (or one service's) to DATABASE_URL, one
      schema at a time under its migration lock; a concurrent run waits. Run before the services
      start or are upgraded (npm start, the Helm chart's migration Job and compose do).
`;

const EXIT_USAGE = 2;

interface ClosableSender extends RpcSender {
  onApplicationShutdown(): Promise<void>;
}

const stdio: CommandOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** A TCP probe first, so an absent NATS is reported in a second instead of after the RPC time-out. */
function reachable(url: string, timeoutMs = 2_000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 4222) });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function firstLineOfStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

export async function runCli(
  argv: readonly string[],
  config: BaseEnv,
  makeClient: () => ClosableSender,
  output: CommandOutput = stdio,
): Promise<number> {
  const { command, options } = parseCliArgs(argv);
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      output.out(USAGE);
      return command === undefined ? EXIT_USAGE : 0;
    case 'operator:create': {
      const userId = options['user-id'];
      const email = options.email;
      const password = options['password-stdin'] === true ? await firstLineOfStdin() : options.password;
      if (
        typeof userId !== 'string' ||
        typeof email !== 'string' ||
        typeof password !== 'string' ||
        password === ''
      ) {
        output.err(
          'error: operator:create needs --user-id ID, --email ADDR and --password PW (or --password-stdin)',
        );
        output.err(USAGE);
        return EXIT_USAGE;
      }
      if (!(await reachable(config.NATS_URL))) {
        output.err(
          `error: cannot reach NATS at ${withoutPassword(config.NATS_URL)}. Is the platform running (npm start)? Set NATS_URL otherwise.`,
        );
        return 1;
      }
      const client = makeClient();
      try {
        const input: CreateOperatorDto = { userId, email, password };
        return await new OperatorCreateCommand(client, output).run(input);
      } finally {
        await client.onApplicationShutdown();
      }
    }
    case 'migrate': {
      const service = options.service;
      if (service === true) {
        output.err('error: migrate --service needs a service name');
        return EXIT_USAGE;
      }
      return new MigrateCommand(config, output).run(service);
    }
    default:
      output.err(`error: unknown command ${command}`);
      output.err(USAGE);
      return EXIT_USAGE;
  }
}
