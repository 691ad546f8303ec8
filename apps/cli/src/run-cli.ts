import { KeyObject } from 'node:crypto';
import net from 'node:net';
import { auditRetentionMonthsSchema, BaseEnv, withoutPassword } from '@app/config';
import { CreateOperatorDto } from '@app/contracts';
import { CheckpointSigner, publicKeyFromRaw } from '@app/audit-chain';
import { AuditTailCommand, auditTailOptionsOf } from './audit/audit-tail.command';
import { AuditRetentionCommand } from './audit/audit-retention.command';
import { AuditVerifyCommand, CheckpointSource, verifyWindowOf } from './audit/audit-verify.command';
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
  audit:verify [--from TIME] [--to TIME] [--checkpoints [--public-key KEY]]
      Walks the audit trail's hash chain in PostgreSQL (DATABASE_URL; only reads) and
      prints the records verified, or the first broken record and why (hash mismatch, gap,
      reordered); exit code 1 on a break. TIME is ISO 8601; the window is by time of receipt.
      --checkpoints also compares the table with every signed checkpoint in the stream
      AUDIT_CHECKPOINTS (NATS_URL), verified with KEY (the publicKey of GET /api/v1/audit/signing-key)
      or, without it, the key derived from AUDIT_SIGNING_KEY.
  audit:tail [--type PATTERN] [--since 1h|TIME] [--durable NAME] [--limit N]
      Prints the events of the AUDIT stream (NATS_URL) as they arrive, one JSON line each.
      --type takes an event type or a subject pattern of one (auth.login.*, case-management.>);
      --since replays from a time (30s, 15m, 1h, 7d ago, or ISO 8601), else only new events;
      --durable NAME uses a durable consumer with acks, which resumes where it stopped;
      --limit N stops after N events, else it runs until interrupted (Ctrl-C).
  audit:retention [--months N] [--dry-run] [--public-key KEY]
      Drops the monthly partitions of the audit trail older than N months besides the current one
      (default AUDIT_RETENTION_MONTHS), each only once a signed checkpoint (verified as for
      audit:verify --checkpoints) covers it. Runs as the schema owner (DATABASE_URL); run it daily.
      Exit code 1 when an old partition had to be kept.
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

/** The key that verifies checkpoints: the served public key, else the signer's own. */
function checkpointKey(publicKey: string | true | undefined): KeyObject | undefined {
  if (typeof publicKey === 'string') {
    try {
      return publicKeyFromRaw(publicKey);
    } catch {
      return undefined;
    }
  }
  const secret = process.env.AUDIT_SIGNING_KEY;
  return secret && secret.length >= 32 ? new CheckpointSigner(secret).publicKey : undefined;
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
    case 'audit:verify': {
      const window = verifyWindowOf(options);
      if ('invalid' in window) {
        output.err(`error: --${window.invalid} must be an ISO 8601 time, e.g. 2026-01-31T00:00:00Z`);
        return EXIT_USAGE;
      }
      let checkpoints: CheckpointSource | undefined;
      if (options.checkpoints === true) {
        const key = checkpointKey(options['public-key']);
        if (!key) {
          output.err('error: --checkpoints needs --public-key KEY or AUDIT_SIGNING_KEY in the environment');
          return EXIT_USAGE;
        }
        checkpoints = { nats: config, publicKey: key };
      }
      // Reading is all it does: DATABASE_URL may name the owner or the audit runtime role.
      return new AuditVerifyCommand(config.DATABASE_URL, output).run(window, checkpoints);
    }
    case 'audit:tail': {
      const tail = auditTailOptionsOf(options, new Date());
      if ('invalid' in tail) {
        output.err(`error: ${tail.invalid}`);
        return EXIT_USAGE;
      }
      if (!(await reachable(config.NATS_URL))) {
        output.err(`error: cannot reach NATS at ${withoutPassword(config.NATS_URL)}. Set NATS_URL.`);
        return 1;
      }
      const interrupted = new AbortController();
      const onSignal = (): void => interrupted.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        return await new AuditTailCommand(config, output).run(tail, interrupted.signal);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    }
    case 'audit:retention': {
      const months = auditRetentionMonthsSchema.safeParse(
        typeof options.months === 'string' ? options.months : process.env.AUDIT_RETENTION_MONTHS,
      );
      if (!months.success || months.data === undefined) {
        output.err(
          'error: audit:retention needs --months N or AUDIT_RETENTION_MONTHS (a whole number, 1 or more)',
        );
        return EXIT_USAGE;
      }
      const key = checkpointKey(options['public-key']);
      if (!key) {
        output.err('error: audit:retention needs --public-key KEY or AUDIT_SIGNING_KEY in the environment');
        return EXIT_USAGE;
      }
      return new AuditRetentionCommand(config.DATABASE_URL, output).run(
        months.data,
        { nats: config, publicKey: key },
        options['dry-run'] === true,
      );
    }
    default:
      output.err(`error: unknown command ${command}`);
      output.err(USAGE);
      return EXIT_USAGE;
  }
}
