import { ApiFileDownload, ApiFileUpload } from '../attachments/attachment-routes.util';

export const KB_NUMBER_PARAM = { name: 'number', description: 'Article number, e.g. KB0000001' };
export const KB_FILE_ID_PARAM = {
  name: 'id',
  description: "A file's id (uuid): one of the article's `attachments`, or its `document`",
};
export const KNOWLEDGE_FILE_FIELDS = '`{id, name, size, sha256, contentType, uploadedAt}`';

/** The OpenAPI description of an upload to an article: multipart with one binary `file`. */
export function ApiKnowledgeFileUpload(summary: string, status: number, note: string): MethodDecorator {
  return ApiFileUpload(
    [KB_NUMBER_PARAM],
    {
      summary,
      description:
        'multipart/form-data with one part `file`, streamed to the attachments\u2019 store as it arrives, ' +
        'as case attachments are: the type is sniffed from the bytes and checked against ' +
        'ATTACHMENT_TYPES_ALLOWED/DENIED (`415 attachment_type_refused`); past ATTACHMENT_MAX_BYTES the upload ' +
        `is cut off with \`413 attachment_too_large\` and nothing is kept. ${note}`,
    },
    status,
    KNOWLEDGE_FILE_FIELDS,
  );
}

/** The OpenAPI description of a download of an article's file. */
export function ApiKnowledgeFileDownload(who: string): MethodDecorator {
  return ApiFileDownload([KB_NUMBER_PARAM, KB_FILE_ID_PARAM], {
    summary: `Download a file of an article (CASE-10, ${who})`,
    description:
      'An attachment or a document article\u2019s file, streamed as case attachments are: ' +
      '`Content-Disposition: attachment`, `X-Content-Type-Options: nosniff`, `ETag` = the quoted SHA-256, ' +
      '`If-None-Match` → `304`, one `Range` (with `If-Range`) → `206`, a range past the end ' +
      '`416 range_not_satisfiable`. A file of an article the caller may not read is `404`, as a missing one.',
  });
}
