import { Readable, Transform, TransformCallback } from 'node:stream';

/**
 * Passes a message on as one chunk, once it has all of it. nodemailer streams a message in many
 * small pieces (headers, boundaries, each part), and each piece became a write to the SMTP socket of
 * its own: about ten system calls per mail instead of three, which cost a third of the sender's CPU
 * per mail (bench/notification.mjs). Our messages are rendered templates with no attachments, so
 * holding one in memory is a few kilobytes.
 */
export class WholeMessage extends Transform {
  private readonly chunks: Buffer[] = [];

  /**
   * `input` through a WholeMessage; an error of `input` becomes the output's, so no send waits on it.
   * `pipe` and one listener rather than `stream.pipeline`, whose AbortController costs an exception
   * object per message.
   */
  static of(input: Readable): WholeMessage {
    const whole = new WholeMessage();
    input.once('error', (error) => whole.destroy(error));
    return input.pipe(whole);
  }

  override _transform(chunk: Buffer | string, encoding: BufferEncoding, callback: TransformCallback): void {
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    callback(null, Buffer.concat(this.chunks));
  }
}
