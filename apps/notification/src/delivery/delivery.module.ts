import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BounceRepository } from '../bounces/bounce.repository';
import { BounceService } from '../bounces/bounce.service';
import { APP_CONFIG, NotificationEnv } from '@app/config';
import { JobSealer } from '../messages/job-sealer';
import { Message } from '../messages/message.entity';
import { MessageStatusEntry } from '../messages/message-status-entry.entity';
import { MessageRepository } from '../messages/message.repository';
import { ProvidersModule } from '../providers/providers.module';
import { TemplateRenderer } from '../templates/template-renderer';
import { DeliveryGuards } from './delivery-guards';
import { DeliveryService } from './delivery.service';
import { DELIVERY_RANDOM } from './delivery-random.token';
import { LiveMessageGate } from './live-message.gate';
import { NotificationWorkers } from './notification.worker';
import { ProviderAcceptanceStore } from './provider-acceptance.store';
import { ProviderCircuit } from './provider-circuit';
import { SentRecorder } from './sent-recorder';
import { DEFAULT_WORKER_OPTIONS, NOTIFICATION_WORKER_OPTIONS, WorkerOptions } from './worker-options';

/** The queues' workers and the delivery rules: render, claim, send, record (NOTIF-1…NOTIF-4). */
@Module({
  imports: [TypeOrmModule.forFeature([Message, MessageStatusEntry]), ProvidersModule],
  providers: [
    MessageRepository,
    JobSealer,
    TemplateRenderer,
    DeliveryService,
    LiveMessageGate,
    ProviderAcceptanceStore,
    ProviderCircuit,
    DeliveryGuards,
    SentRecorder,
    NotificationWorkers,
    BounceRepository,
    BounceService,
    { provide: DELIVERY_RANDOM, useValue: Math.random },
    {
      provide: NOTIFICATION_WORKER_OPTIONS,
      inject: [APP_CONFIG],
      useFactory: (config: NotificationEnv): WorkerOptions => ({
        concurrency: config.WORKER_CONCURRENCY ?? DEFAULT_WORKER_OPTIONS.concurrency,
      }),
    },
  ],
  exports: [DeliveryService, MessageRepository, ProviderAcceptanceStore, JobSealer, BounceService],
})
export class DeliveryModule {}
