import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import { assertObjectKey, AttachmentStore, ByteRange, ObjectNotFound } from './attachment-store';

/**
 * A part of a multipart upload. With at most QUEUE_SIZE parts in flight, one upload holds at most
 * 4 × 8 MiB in memory whatever the file's size (2 GiB is 256 parts, far below S3's 10,000).
 */
const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 4;

export interface S3StoreOptions {
  bucket: string;
  region: string;
  endpoint?: string;
  forcePathStyle: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * Attachments in an S3-compatible bucket. A write is a multipart upload (`@aws-sdk/lib-storage`)
 * fed from the stream as it arrives; a failure aborts it, so S3 never publishes a partial object
 * under the key. Parts of an upload cut short by a crash are S3's to expire: give the bucket a
 * lifecycle rule that aborts incomplete multipart uploads after a day.
 */
export class S3AttachmentStore extends AttachmentStore {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(options: S3StoreOptions) {
    super();
    this.bucket = options.bucket;
    this.client = new S3Client({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle,
      ...(options.credentials ? { credentials: options.credentials } : {}),
      // Integrity is ours (SHA-256 of every attachment, end to end); the SDK's extra checksums are sent
      // only where S3 requires them, which S3-compatible servers that lack them also accept.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, source: Readable, contentType: string): Promise<void> {
    assertObjectKey(key);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: source, ContentType: contentType },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    });
    // A source that fails mid-way (the size limit, a client gone) aborts the upload even while a part
    // is in flight, and is what the caller hears of, rather than the abort it caused.
    let sourceError: unknown = null;
    const onError = (error: unknown) => {
      sourceError = error;
      void upload.abort().catch(() => undefined);
    };
    source.once('error', onError);
    try {
      await upload.done();
    } catch (error) {
      throw sourceError ?? error;
    } finally {
      source.off('error', onError);
    }
  }

  async open(key: string, range?: ByteRange): Promise<Readable> {
    assertObjectKey(key);
    try {
      const answer = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      );
      if (!(answer.Body instanceof Readable)) {
        throw new Error('the S3 client answered without a Node.js stream');
      }
      return answer.Body;
    } catch (error) {
      if (error instanceof NoSuchKey || (error instanceof S3ServiceException && error.name === 'NotFound')) {
        throw new ObjectNotFound(key);
      }
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertObjectKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  sweepUnfinished(): Promise<number> {
    return Promise.resolve(0);
  }

  destroy(): void {
    this.client.destroy();
  }
}
