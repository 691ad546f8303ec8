import {
  KnowledgeArticleView,
  KnowledgeBaseView,
  KnowledgeCategoryView,
  KnowledgeSearchView,
} from '@app/contracts';
import { CasePlatform, expectStatus } from './case-platform';

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
