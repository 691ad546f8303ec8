import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { AttachmentList } from '../cases/attachments';
import { RichText } from '../cases/rich-text';
import { LANGUAGES } from '../i18n/i18n';
import { useApi } from '../session/services';
import { ErrorAlert, Loading } from '../ui/error-alert';
import { Pager } from '../ui/pager';

interface KnowledgeFile {
  id: string;
  name: string;
  size: number;
  contentType: string;
  sha256: string;
}

interface ArticleSummary {
  number: string;
  title: string;
  language: 'ja' | 'en';
  base: { id: string; name: string };
  category: { id: string; code: string; name: string };
  snippet: string;
  author: { id: string; name: string };
  views: number;
  updatedAt: string;
}

interface Article extends Omit<ArticleSummary, 'snippet'> {
  body: string;
  attachments: KnowledgeFile[];
  document: KnowledgeFile | null;
}

interface KnowledgeBase {
  id: string;
  name: string;
  articleCount: number;
  categories: { id: string; name: string; articleCount: number }[];
}

interface SearchResult {
  items: ArticleSummary[];
  total: number;
  page: number;
  pageSize: number;
}

const PAGE_SIZE = 10;
/** Hiragana, katakana, CJK ideographs and their half-width forms. */
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/;

/** CASE-10's lower bound on a search: 2 characters with Japanese in them, 3 otherwise. */
export function minimumQueryLength(q: string): number {
  return JAPANESE.test(q) ? 2 : 3;
}

export function queryLongEnough(q: string): boolean {
  const trimmed = q.trim();
  return trimmed.length >= minimumQueryLength(trimmed);
}

/** Knowledge: the bases with their article counts, and a search with snippets and a result count. */
export function KnowledgePage() {
  const { t } = useTranslation();
  const api = useApi();
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const [base, setBase] = useState('');
  const [category, setCategory] = useState('');
  const [lang, setLang] = useState('');
  const [page, setPage] = useState(1);
  const [tried, setTried] = useState(false);
  const bases = useQuery({
    queryKey: ['knowledge', 'bases'],
    queryFn: () => api.get<KnowledgeBase[]>('/knowledge/bases'),
  });
  const results = useQuery({
    queryKey: ['knowledge', 'search', q, base, category, lang, page],
    queryFn: () =>
      api.get<SearchResult>('/knowledge', {
        query: {
          q,
          base: base || undefined,
          category: category || undefined,
          lang: lang || undefined,
          page,
          pageSize: PAGE_SIZE,
        },
      }),
    enabled: q !== '',
    placeholderData: keepPreviousData,
  });
  const categories = bases.data?.find((b) => b.id === base)?.categories ?? [];
  const tooShort = tried && !queryLongEnough(draft);
  const pages = results.data ? Math.max(1, Math.ceil(results.data.total / PAGE_SIZE)) : 1;
  return (
    <div className="stack">
      <h1>{t('knowledge.title')}</h1>
      <form
        className="card"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setTried(true);
          if (queryLongEnough(draft)) {
            setQ(draft.trim());
            setPage(1);
          }
        }}
      >
        <div className="field">
          <label htmlFor="knowledge-q">{t('knowledge.keyword')}</label>
          <p id="knowledge-q-hint" className="hint">
            {t('knowledge.keywordHint')}
          </p>
          <input
            id="knowledge-q"
            type="search"
            value={draft}
            aria-invalid={tooShort ? true : undefined}
            aria-describedby={tooShort ? 'knowledge-q-hint knowledge-q-error' : 'knowledge-q-hint'}
            onChange={(e) => setDraft(e.target.value)}
          />
          {tooShort && (
            <p id="knowledge-q-error" className="field-error">
              {t('knowledge.tooShort', { n: minimumQueryLength(draft.trim()) })}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="knowledge-base">{t('knowledge.base')}</label>
          <select
            id="knowledge-base"
            value={base}
            onChange={(e) => {
              setBase(e.target.value);
              setCategory('');
            }}
          >
            <option value="">{t('knowledge.allBases')}</option>
            {(bases.data ?? []).map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        </div>
        {categories.length > 0 && (
          <div className="field">
            <label htmlFor="knowledge-category">{t('knowledge.category')}</label>
            <select id="knowledge-category" value={category} onChange={(e) => setCategory(e.target.value)}>
              <option value="">{t('knowledge.allCategories')}</option>
              {categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor="knowledge-lang">{t('knowledge.language')}</label>
          <select id="knowledge-lang" value={lang} onChange={(e) => setLang(e.target.value)}>
            <option value="">{t('knowledge.allLanguages')}</option>
            {LANGUAGES.map((language) => (
              <option key={language} value={language}>
                {t(`languages.${language}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="primary">
          {t('knowledge.search')}
        </button>
      </form>
      <ErrorAlert error={results.error ?? bases.error} />
      {q === '' ? (
        <section className="card" aria-labelledby="bases-title">
          <h2 id="bases-title">{t('knowledge.bases')}</h2>
          {bases.isPending ? (
            <Loading />
          ) : (
            <ul className="plain-list">
              {(bases.data ?? []).map((b) => (
                <li key={b.id}>{t('knowledge.baseCount', { name: b.name, count: b.articleCount })}</li>
              ))}
            </ul>
          )}
        </section>
      ) : results.isPending ? (
        <Loading />
      ) : results.data ? (
        <section aria-labelledby="knowledge-results">
          <h2 id="knowledge-results">{t('knowledge.results', { n: results.data.total, q })}</h2>
          <ol className="plain-list results">
            {results.data.items.map((a) => (
              <li key={a.number} className="card">
                <h3>
                  <Link to={`/knowledge/${a.number}`}>{a.title}</Link>
                </h3>
                <p className="hint">
                  {a.number} · {a.base.name} · {a.category.name}
                </p>
                <p>{a.snippet}</p>
              </li>
            ))}
          </ol>
          {pages > 1 && <Pager page={page} pages={pages} label={t('knowledge.paging')} onPage={setPage} />}
        </section>
      ) : null}
    </div>
  );
}

/** One article: its body (sanitised HTML), files, and a document article's file. */
export function ArticlePage() {
  const { number = '' } = useParams();
  const { t } = useTranslation();
  const api = useApi();
  const article = useQuery({
    queryKey: ['knowledge', 'article', number],
    queryFn: () => api.get<Article>(`/knowledge/${number}`),
    // Each read counts a view (once a day per user); no refetch on every visit.
    staleTime: 5 * 60_000,
  });
  const date = new Intl.DateTimeFormat(t('locale'), { dateStyle: 'medium' });
  const a = article.data;
  return (
    <div className="stack">
      <Link to="/knowledge">{t('knowledge.back')}</Link>
      <ErrorAlert error={article.error} />
      {article.isPending ? (
        <Loading />
      ) : a ? (
        <article className="card" lang={a.language}>
          <p className="case-number">{a.number}</p>
          <h1>{a.title}</h1>
          <p className="hint">
            {a.base.name} · {a.category.name} ·{' '}
            {t('knowledge.updated', { date: date.format(new Date(a.updatedAt)) })} ·{' '}
            {t('knowledge.views', { count: a.views })}
          </p>
          {a.body && <RichText html={a.body} />}
          {a.document && (
            <>
              <h2>{t('knowledge.document')}</h2>
              <AttachmentList items={[a.document]} basePath={`/knowledge/${a.number}/attachments`} />
            </>
          )}
          {a.attachments.length > 0 && (
            <>
              <h2>{t('knowledge.attachments')}</h2>
              <AttachmentList items={a.attachments} basePath={`/knowledge/${a.number}/attachments`} />
            </>
          )}
        </article>
      ) : null}
    </div>
  );
}
