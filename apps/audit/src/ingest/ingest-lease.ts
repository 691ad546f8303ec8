import { Client } from 'pg';
import { AppLogger } from '@app/observability';

/** How often a held lease's session is checked, and how long the check may take. */
const CHECK_EVERY_MS = 2_000;
const CHECK_TIMEOUT_MS = 2_000;

/**
 * Which replica stores the stream: the one holding a PostgreSQL session-level advisory lock, keyed
 * by the durable consumer's name, on a connection of its own. The others stand by and try again
 * every second; when the holder stops, crashes or loses its connection, PostgreSQL ends its
 * session and with it the lock, and a standby takes over (the messages the holder had not acked
 * come back to the stream after its ack wait).
 *
 * Why one replica at a time: every batch extends the one chain under the head's lock, so a second
 * replica cannot add appends, only contend for the lock; measured on two cores, two replicas
 * pulling together committed less than one alone (bench/README.md). The lease is not what keeps
 * the chain whole: that is the head's row lock inside `audit.append_events`, so a former holder
 * finishing its last batch after its session was lost still appends in order.
 */
export class IngestLease {
  private client?: Client;
  private checker?: NodeJS.Timeout;
  private holding = false;

  constructor(
    private readonly databaseUrl: string,
    /** The durable consumer's name: replicas of another trail (a test's) hold a lease of their own. */
    private readonly name: string,
    private readonly logger: AppLogger,
    private readonly onChange: (held: boolean) => void = () => undefined,
  ) {}

  /** Whether this replica holds the lease now (false as soon as its session is known lost). */
  get held(): boolean {
    return this.holding;
  }

  /** Takes the lease if no one holds it; true when this replica holds it (already or now). */
  async acquire(): Promise<boolean> {
    if (this.holding) {
      return true;
    }
    const client = await this.session();
    const { rows } = await client.query<{ locked: boolean }>(
      `SELECT pg_try_advisory_lock(hashtextextended('mamori.audit.ingest:' || $1, 0)) AS locked`,
      [this.name],
    );
    if (rows[0].locked) {
      this.holding = true;
      this.checker = setInterval(() => void this.check(client), CHECK_EVERY_MS);
      this.checker.unref();
      this.onChange(true);
    }
    return this.holding;
  }

  /** Gives the lease up (on shutdown): a standby takes over within a second instead of waiting. */
  async release(): Promise<void> {
    const client = this.client;
    this.lost();
    // Ending the session frees its advisory locks; no unlock statement is needed.
    await client?.end().catch(() => undefined);
  }

  /** The lease's own connection, opened on first use and again after it was lost. */
  private async session(): Promise<Client> {
    if (this.client) {
      return this.client;
    }
    const client = new Client({
      connectionString: this.databaseUrl,
      application_name: 'mamori-audit-ingest-lease',
      keepAlive: true,
      query_timeout: CHECK_TIMEOUT_MS,
    });
    client.on('error', (error) => {
      this.logger.warn({ err: error.message }, 'audit ingest lease connection lost');
      if (this.client === client) {
        this.lost();
      }
    });
    client.on('end', () => {
      if (this.client === client) {
        this.lost();
      }
    });
    this.client = client;
    try {
      await client.connect();
    } catch (error) {
      this.client = undefined;
      throw error;
    }
    return client;
  }

  /**
   * A held lease's session still answers: a connection that died without the socket closing (a
   * network partition) is otherwise noticed only by TCP keep-alives, minutes later.
   */
  private async check(client: Client): Promise<void> {
    try {
      await client.query('SELECT 1');
    } catch (error) {
      if (this.client === client) {
        this.logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'audit ingest lease lost',
        );
        this.lost();
        await client.end().catch(() => undefined);
      }
    }
  }

  private lost(): void {
    clearInterval(this.checker);
    this.checker = undefined;
    this.client = undefined;
    if (this.holding) {
      this.holding = false;
      this.onChange(false);
    }
  }
}
