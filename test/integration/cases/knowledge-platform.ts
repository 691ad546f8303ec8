import {
  KnowledgeArticleView,
  KnowledgeFileView,
  KnowledgeBaseView,
  KnowledgeCategoryView,
  KnowledgeSearchView,
} from '@app/contracts';
import { expectStatus } from '@app/testing';
import { uploadFile } from './attachment-client';
import { CasePlatform } from './case-platform';

/** Operators' knowledge writes through the gateway, for tests of CASE-10 and CASE-11. */
export class KnowledgeWriter {
  constructor(
    private readonly platform: CasePlatform,
    private readonly ops: string,
  ) {}

  async base(name: string, service?: string): Promise<KnowledgeBaseView> {
    const answer = await this.platform.api('POST', '/ops/knowledge/bases', {
      token: this.ops,
      body: { name: { ja: `${name}のナレッジ`, en: `${name} knowledge` }, ...(service ? { service } : {}) },
    });
    expectStatus(answer, 201);
    return answer.body as KnowledgeBaseView;
  }

  async category(base: string, code: string): Promise<KnowledgeCategoryView> {
    const answer = await this.platform.api('POST', '/ops/knowledge/categories', {
      token: this.ops,
      body: { base, code, name: { ja: `分類${code}`, en: `Category ${code}` } },
    });
    expectStatus(answer, 201);
    return answer.body as KnowledgeCategoryView;
  }

  async article(
    base: string,
    category: string,
    title: string,
    body: string,
    language: 'ja' | 'en' = 'ja',
  ): Promise<KnowledgeArticleView> {
    const answer = await this.platform.api('POST', '/ops/knowledge/articles', {
      token: this.ops,
      body: { base, category, title, body, language },
    });
    expectStatus(answer, 201);
    return answer.body as KnowledgeArticleView;
  }

  /** A document article (its body a file), without its file yet. */
  async document(
    base: string,
    category: string,
    title: string,
    description?: string,
    language: 'ja' | 'en' = 'ja',
  ): Promise<KnowledgeArticleView> {
    const answer = await this.platform.api('POST', '/ops/knowledge/articles', {
      token: this.ops,
      body: { base, category, title, language, format: 'document', ...(description ? { description } : {}) },
    });
    expectStatus(answer, 201);
    return answer.body as KnowledgeArticleView;
  }

  /** Uploads `bytes` as an attachment of the article, or as a document article's file. */
  async file(
    number: string,
    bytes: Buffer,
    role: 'attachment' | 'document' = 'attachment',
    fileName = 'spec.pdf',
  ): Promise<KnowledgeFileView> {
    const path =
      role === 'attachment'
        ? `/ops/knowledge/articles/${number}/attachments`
        : `/ops/knowledge/articles/${number}/document`;
    const answer = await uploadFile(this.platform.url, path, bytes, {
      token: this.ops,
      fileName,
      method: role === 'attachment' ? 'POST' : 'PUT',
    });
    if (answer.status !== (role === 'attachment' ? 201 : 200)) {
      throw new Error(`upload answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
    return answer.body as KnowledgeFileView;
  }
}

/** `GET /knowledge?…` (or the operators' search) as one page of up to 100, expecting 200. */
export async function searchKnowledge(
  platform: CasePlatform,
  token: string,
  query: string,
  path = '/knowledge',
): Promise<KnowledgeSearchView> {
  const answer = await platform.api('GET', `${path}?pageSize=100&${query}`, { token });
  expectStatus(answer, 200);
  return answer.body as KnowledgeSearchView;
}
