import { Injectable } from '@nestjs/common';
import { HealthIndicator } from '@app/observability';
import { AuditStreamConsumer } from './audit-stream.consumer';

/** Readiness of the stream side: the consumer's NATS connection answers. */
@Injectable()
export class NatsHealthIndicator implements HealthIndicator {
  readonly name = 'nats';
  constructor(private readonly consumer: AuditStreamConsumer) {}

  isUp(): Promise<boolean> {
    return this.consumer.natsUp();
  }
}
