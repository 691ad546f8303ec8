import { createHash } from 'node:crypto';
import { Transform, TransformCallback } from 'node:stream';
import { DomainError, ErrorCode } from '@app/contracts';

/**
 * Counts and hashes the bytes passing through (SHA-256, CASE-6) and fails the stream with
 * `attachment_too_large` the moment they pass `limit`, so nothing past the limit is ever stored.
 */
export class ByteMeter extends Transform {
  private readonly hash = createHash('sha256');
  private count = 0;

  constructor(private readonly limit: number) {
    super();
  }

  get size(): number {
    return this.count;
  }

  digest(): string {
    return this.hash.digest('hex');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.count += chunk.length;
    if (this.count > this.limit) {
      done(new DomainError(ErrorCode.AttachmentTooLarge, { maxBytes: this.limit }));
      return;
    }
    this.hash.update(chunk);
    done(null, chunk);
  }
}
