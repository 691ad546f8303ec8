import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { NatsConnection } from 'nats';
import { APP_CONFIG, GatewayEnv } from '@app/config';
import { AlertRequest, CASE_ALERTS_SUBJECT, DomainError, ErrorCode } from '@app/contracts';
import { connectNats, ensureCaseAlertsStream } from '@app/messaging';
import { AppLogger, InjectLogger } from '@app/observability';

/**
 * Puts an alert on the CASE_ALERTS stream when the case service cannot take it now (CASE-9). The
 * answer `202` is given only once JetStream has stored it (the publish is acknowledged), so an
 * accepted alert is never lost; the alert id is the message id, so a second publish of it is dropped.
 */
@Injectable()
export class AlertQueuePublisher implements OnApplicationShutdown {
  private readonly logger: AppLogger;
  private connection?: Promise<NatsConnection>;
  private streamReady = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: GatewayEnv,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: AlertQueuePublisher.name });
  }

  async publish(request: AlertRequest, requestId: string): Promise<void> {
    try {
      const nc = await this.connect();
      if (!this.streamReady) {
        await ensureCaseAlertsStream(await nc.jetstreamManager());
        this.streamReady = true;
      }
      await nc.jetstream().publish(CASE_ALERTS_SUBJECT, JSON.stringify({ ...request, requestId }), {
        msgID: request.alertId,
        timeout: this.config.NATS_REQUEST_TIMEOUT_MS,
      });
    } catch (error) {
      this.logger.error(
        { alertId: request.alertId, err: error instanceof Error ? error.message : String(error) },
        'alert not queued',
      );
      throw new DomainError(ErrorCode.ServiceUnavailable);
    }
  }

  /** One connection, opened at the first alert that needs it (most gateways never queue one). */
  private connect(): Promise<NatsConnection> {
    this.connection ??= connectNats(this.config, 'gateway-alerts').catch((error: unknown) => {
      this.connection = undefined;
      throw error;
    });
    return this.connection;
  }

  async onApplicationShutdown(): Promise<void> {
    const nc = await this.connection?.catch(() => undefined);
    await nc?.drain().catch(() => undefined);
  }
}
