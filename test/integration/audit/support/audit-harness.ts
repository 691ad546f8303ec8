import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { headers, JetStreamClient, JetStreamManager, NatsConnection, PubAck } from 'nats';
import { Pool } from 'pg';
import { AuditEvent, AUDIT_STREAM, auditSubject } from '@app/contracts';
import { connectNats, ensureAuditStream } from '@app/messaging';
import { auditIngestNatsEnv, natsSettingsAs, natsUserEnv } from '@app/testing';

/** Connection settings from the environment, as `npm test` sets them (a fresh database per run). */
export const testEnv = {
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/mamori_dev_audit',
  natsUrl: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
};

/**
 * Configures the audit service for one test file: its own durable consumer (the stream and the
 * NATS server are shared with everything else running here) that starts at what is published from
 * now on. Must run before the module is first imported: the config is read at import.
 */
export function configureAuditService(consumerName: string): void {
  process.env.DATABASE_URL = testEnv.databaseUrl;
  process.env.NATS_URL = testEnv.natsUrl;
  // The audit service's own NATS user: its consumer works within the permissions production gives it.
  Object.assign(process.env, natsUserEnv('audit'), auditIngestNatsEnv());
  process.env.AUDIT_CONSUMER_NAME = consumerName;
  process.env.AUDIT_CONSUMER_START = 'new';
  process.env.LOG_LEVEL ??= 'error';
}

/** Boots the audit service in-process as `startService` does, minus the NATS RPC server. */
export async function startAuditService(): Promise<INestApplication> {
  const { AuditModule } = await import('@app/audit/audit.module');
  const app = await NestFactory.create(AuditModule, { logger: false });
  await app.init();
  return app;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** A valid event as a producer would state it; every id random. */
export function newAuditEvent(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: randomUUID(),
    type: 'auth.login.succeeded',
    occurredAt: new Date().toISOString(),
    actor: { userId: randomUUID(), tenant: uniqueName('t'), ip: '203.0.113.7', userAgent: 'jest' },
    outcome: 'success',
    correlationId: randomUUID(),
    ...overrides,
  };
}

export class StreamHarness {
  private constructor(
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
  ) {}

  static async connect(): Promise<StreamHarness> {
    // Publishes events of every service and inspects consumers: the unrestricted test user.
    const nc = await connectNats(natsSettingsAs('test-harness', testEnv.natsUrl), 'audit-test');
    const jsm = await nc.jetstreamManager();
    await ensureAuditStream(jsm);
    return new StreamHarness(nc, nc.jetstream(), jsm);
  }

  /** Publishes like the outbox relay: subject `audit.<type>`, a Nats-Msg-Id (the event id unless given). */
  async publish(event: AuditEvent, msgId: string = event.id): Promise<PubAck> {
    const h = headers();
    h.set('Nats-Msg-Id', msgId);
    return this.js.publish(auditSubject(event.type), JSON.stringify(event), { msgID: msgId, headers: h });
  }

  async publishRaw(subject: string, payload: string | Uint8Array): Promise<PubAck> {
    return this.js.publish(subject, payload, { msgID: randomUUID() });
  }

  /**
   * Waits until the consumer has settled (acked or terminated) every message up to `streamSeq`, so
   * a test can assert on what was stored, and what was not, without sleeping for a guessed time.
   */
  async settled(consumerName: string, streamSeq: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const info = await this.jsm.consumers.info(AUDIT_STREAM, consumerName);
      if (info.ack_floor.stream_seq >= streamSeq) {
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `consumer ${consumerName} settled up to ${info.ack_floor.stream_seq}, not ${streamSeq} (pending ${info.num_ack_pending})`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * Waits until no pull request of a stopped service is left on the server. A pull request lives on
   * the server until its expiry even when the client that made it has stopped; a message published
   * meanwhile goes to it and is only redelivered after the ack wait (30 s), which a test that
   * publishes right after a stop would take for a lost message.
   */
  async noPullWaiting(consumerName: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.jsm.consumers.info(AUDIT_STREAM, consumerName)).num_waiting > 0) {
      if (Date.now() > deadline) {
        throw new Error(`consumer ${consumerName} still has pull requests waiting after ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async deleteConsumer(consumerName: string): Promise<void> {
    await this.jsm.consumers.delete(AUDIT_STREAM, consumerName).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.nc.drain();
  }
}

/** Rows of audit.event, read directly (not through the code under test). */
export async function storedRows(pool: Pool, ids: string[]): Promise<Record<string, unknown>[]> {
  const { rows } = await pool.query('SELECT * FROM audit.event WHERE id = ANY($1::uuid[]) ORDER BY seq', [
    ids,
  ]);
  return rows;
}
