// pngjs ships no types; the browser tests use only its synchronous reader.
declare module 'pngjs' {
  export const PNG: {
    sync: {
      /** Any PNG, decoded to 8-bit RGBA. */
      read(buffer: Buffer): { width: number; height: number; data: Buffer };
    };
  };
}
