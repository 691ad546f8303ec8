import { Writable } from 'node:stream';
import { roomIn } from './drain.util';

/** A JSON array written one element at a time (`[\n{…},\n{…}\n]`), for exports of any size. */
export interface JsonArrayWriter {
  write(value: unknown): Promise<void>;
  end(): Promise<void>;
}

export function jsonArrayWriter(out: Writable): JsonArrayWriter {
  let first = true;
  return {
    async write(value) {
      out.write(`${first ? '[\n' : ',\n'}${JSON.stringify(value)}`);
      first = false;
      await roomIn(out);
    },
    async end() {
      out.write(first ? '[]\n' : '\n]\n');
      await new Promise<void>((resolve, reject) =>
        out.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
    },
  };
}
