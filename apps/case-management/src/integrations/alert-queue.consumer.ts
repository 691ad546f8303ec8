import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AckPolicy, JsMsg, nanos, NatsConnection, NatsError } from 'nats';
import { APP_CONFIG, CaseManagementEnv } from '@app/config';
import {
  AlertRequest,
  CASE_ALERTS_STREAM,
  CASE_ALERTS_SUBJECT,
  DomainError,
  ErrorCode,
} from '@app/contracts';
import { connectNats, ensureCaseAlertsStream, WakeableSleep } from '@app/messaging';
import { AppLogger, InjectLogger, RequestContext } from '@app/observability';
import { AlertsService } from './alerts.service';

/** The durable consumer every replica of the case service pulls from (each alert goes to one of them). */
export const ALERT_CONSUMER = 'case-management-alerts';
const BATCH = 20;
const FETCH_EXPIRES_MS = 1000;
/**
 * Time a replica holds an alert before the stream gives it to another; a slow apply keeps it with a
 * heartbeat (`working()`) every half of it, and one given out twice is applied once, by its alert id.
 */
const ACK_WAIT_MS = 30_000;
const MAX_RETRY_DELAY_MS = 60_000;
const MAX_RESTART_BACKOFF_MS = 10_000;
const CONSUMER_NOT_FOUND = 10014;

/** A queued alert with the request id of the HTTP call that brought it, for the logs and audit. */
interface QueuedAlert extends AlertRequest {
  requestId?: string;
}

/**
 * Applies the alerts the gateway queued on CASE_ALERTS while this service could not answer (CASE-9):
 * a durable pull consumer, an alert acked only after its case committed, so a crash or a database
 * outage only delays it. An alert that can never be applied (a revoked key, no contract, a malformed
 * payload) is terminated; its refusal was recorded as an audit fact.
 */
@Injectable()
export class AlertQueueConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: AppLogger;
  private nc?: NatsConnection;
  private running = false;
  private loop?: Promise<void>;
  private readonly pause = new WakeableSleep();

  constructor(
    @Inject(APP_CONFIG) private readonly config: CaseManagementEnv,
    private readonly alerts: AlertsService,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: AlertQueueConsumer.name });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.nc = await connectNats(this.config, 'case-management-alerts');
    this.running = true;
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.pause.wake();
    await this.loop?.catch(() => undefined);
    await this.nc?.drain().catch(() => undefined);
  }

  private async ensureConsumer(nc: NatsConnection): Promise<void> {
    const jsm = await nc.jetstreamManager();
    await ensureCaseAlertsStream(jsm);
    try {
      await jsm.consumers.info(CASE_ALERTS_STREAM, ALERT_CONSUMER);
      return;
    } catch (error) {
      if (!(error instanceof NatsError) || error.api_error?.err_code !== CONSUMER_NOT_FOUND) {
        throw error;
      }
    }
    await jsm.consumers
      .add(CASE_ALERTS_STREAM, {
        durable_name: ALERT_CONSUMER,
        filter_subject: CASE_ALERTS_SUBJECT,
        ack_policy: AckPolicy.Explicit,
        ack_wait: nanos(ACK_WAIT_MS),
        // Never give up on an alert: one failing for a database outage is retried until it passes.
        max_deliver: -1,
        max_ack_pending: 4 * BATCH,
      })
      .catch(async (error: unknown) => {
        // Another replica created it between our two calls.
        await jsm.consumers.info(CASE_ALERTS_STREAM, ALERT_CONSUMER).catch(() => {
          throw error;
        });
      });
  }

  private async run(): Promise<void> {
    const nc = this.nc!;
    let backoff = 250;
    while (this.running) {
      try {
        await this.ensureConsumer(nc);
        const consumer = await nc.jetstream().consumers.get(CASE_ALERTS_STREAM, ALERT_CONSUMER);
        while (this.running) {
          const batch = await consumer.fetch({ max_messages: BATCH, expires: FETCH_EXPIRES_MS });
          for await (const msg of batch) {
            if (!this.running) {
              // Handed back for whichever replica pulls next.
              msg.nak(FETCH_EXPIRES_MS + 1000);
              continue;
            }
            await this.handle(msg);
          }
          backoff = 250;
        }
      } catch (error) {
        this.logger.warn({ err: errorMessage(error), backoff }, 'alert queue consumer failed; restarting');
        await this.pause.sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_RESTART_BACKOFF_MS);
      }
    }
  }

  private async handle(msg: JsMsg): Promise<void> {
    let queued: QueuedAlert;
    try {
      queued = msg.json<QueuedAlert>();
    } catch {
      this.logger.warn({ streamSeq: msg.seq }, 'malformed queued alert terminated');
      msg.term();
      return;
    }
    const request = plainToInstance(AlertRequest, queued);
    const problems = await validate(request, { forbidUnknownValues: false, whitelist: true });
    if (problems.length > 0) {
      this.logger.warn({ streamSeq: msg.seq }, 'malformed queued alert terminated');
      msg.term();
      return;
    }
    const heartbeat = setInterval(() => msg.working(), ACK_WAIT_MS / 2);
    try {
      const requestId = typeof queued.requestId === 'string' ? queued.requestId : request.alertId;
      const result = await RequestContext.run({ requestId }, () =>
        this.alerts.apply(
          {
            alertId: request.alertId,
            keyId: request.keyId,
            receivedAt: request.receivedAt,
            alert: request.alert,
          },
          'en',
        ),
      );
      msg.ack();
      this.logger.info(
        { alertId: request.alertId, case: result.case.number, created: result.created },
        'queued alert applied',
      );
    } catch (error) {
      if (error instanceof DomainError && error.code !== ErrorCode.ServiceUnavailable) {
        // Refused for good (and recorded as such): retrying cannot change the answer.
        this.logger.warn({ alertId: request.alertId, code: error.code }, 'queued alert refused');
        msg.term();
        return;
      }
      const retryInMs = Math.min(1000 * 2 ** Math.min(msg.info.redeliveryCount, 16), MAX_RETRY_DELAY_MS);
      this.logger.warn(
        { alertId: request.alertId, err: errorMessage(error), retryInMs },
        'queued alert not applied; will retry',
      );
      msg.nak(retryInMs);
    } finally {
      clearInterval(heartbeat);
    }
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
