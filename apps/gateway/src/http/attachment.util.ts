import { StreamableFile } from '@nestjs/common';
import { LoginHistoryFile } from '@app/contracts';

/**
 * A file a service built (it crosses NATS as base64) as a download: its type, and `attachment` so a
 * browser saves it instead of showing it.
 */
export function attachment(file: LoginHistoryFile): StreamableFile {
  const bytes = Buffer.from(file.base64, 'base64');
  return new StreamableFile(bytes, {
    type: file.contentType,
    disposition: `attachment; filename="${file.fileName}"`,
    length: bytes.length,
  });
}
