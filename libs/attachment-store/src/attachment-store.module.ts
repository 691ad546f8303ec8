import { Global, Module, OnApplicationShutdown, Inject } from '@nestjs/common';
import { APP_CONFIG } from '@app/config';
import { AttachmentStore } from './attachment-store';
import { attachmentStoreFrom, AttachmentStoreSettings } from './attachment-store.factory';
import { S3AttachmentStore } from './s3-attachment-store';

/** Provides the AttachmentStore that the app's ATTACHMENT_* settings name. */
@Global()
@Module({
  providers: [
    {
      provide: AttachmentStore,
      inject: [APP_CONFIG],
      useFactory: (config: AttachmentStoreSettings) => attachmentStoreFrom(config),
    },
  ],
  exports: [AttachmentStore],
})
export class AttachmentStoreModule implements OnApplicationShutdown {
  constructor(@Inject(AttachmentStore) private readonly store: AttachmentStore) {}

  onApplicationShutdown(): void {
    if (this.store instanceof S3AttachmentStore) {
      this.store.destroy();
    }
  }
}
