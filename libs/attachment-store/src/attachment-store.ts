import type { Readable } from 'node:stream';

/** A byte range of a stored object, both ends included (as HTTP Range gives it). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where attachment bytes live (CASE-6). Keys are made by the case service from ids only
 * (`<tenant>/<case id>/<attachment id>`), never from a file name, so a name cannot reach a path.
 * Every write is all or nothing: until `put` resolves, `open` finds nothing under the key, and a
 * `put` that fails (its source failed, or the store did) leaves nothing behind.
 */
export abstract class AttachmentStore {
  /** Streams `source` to `key`; resolves once the bytes are durable. Rejects with the source's error. */
  abstract put(key: string, source: Readable, contentType: string): Promise<void>;

  /** The bytes under `key` (or a range of them) as a stream; rejects with ObjectNotFound. */
  abstract open(key: string, range?: ByteRange): Promise<Readable>;

  /** Removes `key`; removing a key that is not there is no error (sweeps run again after a crash). */
  abstract delete(key: string): Promise<void>;

  /**
   * Removes what interrupted writes left behind (a crash mid-upload) older than `before`; returns
   * how many. Stores that clean up by themselves (S3: a lifecycle rule for incomplete multipart
   * uploads) do nothing.
   */
  abstract sweepUnfinished(before: Date): Promise<number>;
}

/** Nothing is stored under the key. */
export class ObjectNotFound extends Error {
  constructor(key: string) {
    super(`no object under ${key}`);
    this.name = 'ObjectNotFound';
  }
}

/** Keys are ids joined by `/`: letters, digits, `-` and `_` only, so no key can climb out of a root. */
const KEY = /^[A-Za-z0-9_-]{1,64}(\/[A-Za-z0-9_-]{1,64}){0,4}$/;

export function assertObjectKey(key: string): void {
  if (!KEY.test(key)) {
    throw new Error('an object key is ids joined by "/"');
  }
}
