import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertObjectKey, AttachmentStore, ByteRange, ObjectNotFound } from './attachment-store';

const TEMP_SUFFIX = '.part';

/**
 * Attachments as files under one directory: `objects/<key>` for stored bytes and `tmp/` for writes in
 * progress. A write goes to a temporary file, is fsynced, then renamed into place (and the directory
 * fsynced), so a reader or a crash never sees half a file under a key; a failed write removes its
 * temporary file, and a crash leaves it to `sweepUnfinished`.
 */
export class LocalAttachmentStore extends AttachmentStore {
  private readonly objects: string;
  private readonly temp: string;

  constructor(root: string) {
    super();
    this.objects = path.resolve(root, 'objects');
    this.temp = path.resolve(root, 'tmp');
  }

  async put(key: string, source: Readable): Promise<void> {
    const final = this.pathOf(key);
    await fs.mkdir(this.temp, { recursive: true });
    const temp = path.join(this.temp, `${randomUUID()}${TEMP_SUFFIX}`);
    try {
      // `flush` fsyncs before the stream closes: the rename below then never publishes bytes that a
      // power cut could still take back.
      await pipeline(source, createWriteStream(temp, { flags: 'wx', mode: 0o600, flush: true }));
      await fs.mkdir(path.dirname(final), { recursive: true });
      await fs.rename(temp, final);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    await fsyncDirectory(path.dirname(final));
  }

  async open(key: string, range?: ByteRange): Promise<Readable> {
    const file = this.pathOf(key);
    const handle = await fs.open(file, 'r').catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' ? new ObjectNotFound(key) : error;
    });
    // The stream owns the handle and closes it when it ends or is destroyed.
    return handle.createReadStream(range ?? {});
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.pathOf(key), { force: true });
  }

  async sweepUnfinished(before: Date): Promise<number> {
    let names: string[];
    try {
      names = await fs.readdir(this.temp);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return 0;
      }
      throw error;
    }
    let removed = 0;
    for (const name of names.filter((n) => n.endsWith(TEMP_SUFFIX))) {
      const file = path.join(this.temp, name);
      const stat = await fs.stat(file).catch(() => null);
      if (stat && stat.mtime < before) {
        await fs.rm(file, { force: true });
        removed += 1;
      }
    }
    return removed;
  }

  private pathOf(key: string): string {
    assertObjectKey(key);
    return path.join(this.objects, ...key.split('/'));
  }
}

async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
