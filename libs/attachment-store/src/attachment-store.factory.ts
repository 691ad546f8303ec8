import { AttachmentStore } from './attachment-store';
import { LocalAttachmentStore } from './local-attachment-store';
import { S3AttachmentStore } from './s3-attachment-store';

/** The ATTACHMENT_* settings shared by the gateway and the case service (libs/config). */
export interface AttachmentStoreSettings {
  ATTACHMENT_STORE: 'local' | 's3';
  ATTACHMENT_DIR: string;
  ATTACHMENT_S3_ENDPOINT?: string;
  ATTACHMENT_S3_REGION: string;
  ATTACHMENT_S3_BUCKET?: string;
  ATTACHMENT_S3_ACCESS_KEY_ID?: string;
  ATTACHMENT_S3_SECRET_ACCESS_KEY?: string;
  ATTACHMENT_S3_FORCE_PATH_STYLE: 'true' | 'false';
}

/** The store the settings name; an `s3` store without a bucket, or with half a key pair, is refused. */
export function attachmentStoreFrom(settings: AttachmentStoreSettings): AttachmentStore {
  if (settings.ATTACHMENT_STORE === 'local') {
    return new LocalAttachmentStore(settings.ATTACHMENT_DIR);
  }
  if (!settings.ATTACHMENT_S3_BUCKET) {
    throw new Error('ATTACHMENT_S3_BUCKET must be set when ATTACHMENT_STORE=s3');
  }
  const id = settings.ATTACHMENT_S3_ACCESS_KEY_ID;
  const secret = settings.ATTACHMENT_S3_SECRET_ACCESS_KEY;
  if ((id === undefined) !== (secret === undefined)) {
    throw new Error(
      'ATTACHMENT_S3_ACCESS_KEY_ID and ATTACHMENT_S3_SECRET_ACCESS_KEY are set together or not at all',
    );
  }
  return new S3AttachmentStore({
    bucket: settings.ATTACHMENT_S3_BUCKET,
    region: settings.ATTACHMENT_S3_REGION,
    endpoint: settings.ATTACHMENT_S3_ENDPOINT,
    forcePathStyle: settings.ATTACHMENT_S3_FORCE_PATH_STYLE === 'true',
    ...(id && secret ? { credentials: { accessKeyId: id, secretAccessKey: secret } } : {}),
  });
}
