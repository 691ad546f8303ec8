import { Injectable } from '@nestjs/common';
import { KnowledgeArticleView } from '@app/contracts';

export type ArticleAttachmentView = KnowledgeArticleView['attachments'][number];

/**
 * Where an article's files come from (CASE-10: attachments, and document articles whose body is a
 * file). The case attachments' streamed store provides the real one; the knowledge feature only asks
 * for the files of an article it has already found in the reader's scope, so a file is never reached
 * past the base's audience.
 */
export abstract class ArticleAttachments {
  abstract of(articleId: string): Promise<ArticleAttachmentView[]>;
}

/** Until articles take files: none. */
@Injectable()
export class NoArticleAttachments extends ArticleAttachments {
  of(): Promise<ArticleAttachmentView[]> {
    return Promise.resolve([]);
  }
}
