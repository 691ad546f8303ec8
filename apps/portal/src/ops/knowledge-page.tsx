import { zodResolver } from '@hookform/resolvers/zod';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { z } from 'zod';
import { useApi } from '../session/services';
import { ErrorAlert, Loading, Notice } from '../ui/error-alert';
import { Field } from '../ui/field';
import { ArticleForm, useKnowledgeBases, type ArticleValues } from './article-form';
import { SelectField, useDateTime } from './fields';
import { htmlToText, textToHtml } from './rich-text';
import { useServicesCatalogue } from './tenants-page';
import type { Article, ArticleSearch, KnowledgeBase } from './types';
import { useOpsAction } from './use-ops-action';
import { Pager } from '../ui/pager';

const KNOWLEDGE = ['ops', 'knowledge'];

function articleBody(values: ArticleValues) {
  return { ...values, body: textToHtml(values.body) };
}

/** CASE-10: the knowledge bases with their categories, every article, and a new article. */
export function KnowledgePage() {
  const { t } = useTranslation();
  const [published, setPublished] = useState<string>();
  const [formKey, setFormKey] = useState(0);
  const publish = useOpsAction(
    (api, values: ArticleValues) => api.post<Article>('/ops/knowledge/articles', articleBody(values)),
    [KNOWLEDGE],
    (article) => {
      setPublished(article.number);
      setFormKey((k) => k + 1);
    },
  );
  return (
    <>
      <h1>{t('ops.knowledge.title')}</h1>
      <section className="card" aria-labelledby="new-article">
        <h2 id="new-article">{t('ops.knowledge.newArticle')}</h2>
        <p className="hint">{t('ops.knowledge.publishIntro')}</p>
        <ErrorAlert error={publish.error} />
        {published && (
          <Notice>
            {t('ops.knowledge.published', { number: published })}{' '}
            <Link to={`/ops/knowledge/${published}`}>{t('ops.knowledge.open', { number: published })}</Link>
          </Notice>
        )}
        <ArticleForm
          key={formKey}
          defaults={{ base: '', category: '', title: '', language: 'ja', body: '' }}
          submitLabel={t('ops.knowledge.publish')}
          pending={publish.isPending}
          onSubmit={(values) => {
            setPublished(undefined);
            publish.mutate(values);
          }}
        />
      </section>
      <Articles />
      <Bases />
    </>
  );
}

function Articles() {
  const { t } = useTranslation();
  const api = useApi();
  const when = useDateTime();
  const [page, setPage] = useState(1);
  const articles = useQuery({
    queryKey: [...KNOWLEDGE, 'articles', page],
    queryFn: () => api.get<ArticleSearch>('/ops/knowledge/articles', { query: { page, pageSize: 20 } }),
    placeholderData: keepPreviousData,
  });
  const pages = articles.data ? Math.max(1, Math.ceil(articles.data.total / 20)) : 1;
  return (
    <section className="card" aria-labelledby="articles">
      <h2 id="articles">{t('ops.knowledge.articles', { total: articles.data?.total ?? 0 })}</h2>
      <ErrorAlert error={articles.error} />
      {articles.isPending ? (
        <Loading />
      ) : articles.data?.items.length === 0 ? (
        <p>{t('ops.knowledge.noArticles')}</p>
      ) : (
        <ul className="ops-list">
          {articles.data?.items.map((a) => (
            <li key={a.number}>
              <Link to={`/ops/knowledge/${a.number}`}>
                {a.number} {a.title}
              </Link>
              <div className="ops-muted">
                {a.base.name} / {a.category.name} · {t(`languages.${a.language}`)} · {when(a.updatedAt)}
              </div>
            </li>
          ))}
        </ul>
      )}
      {pages > 1 && <Pager page={page} pages={pages} label={t('ops.common.pages')} onPage={setPage} />}
    </section>
  );
}

const baseSchema = z.object({
  nameJa: z.string().trim().min(1, 'validation.required'),
  nameEn: z.string().trim().min(1, 'validation.required'),
  service: z.string(),
});
const categorySchema = z.object({
  base: z.string().min(1, 'validation.required'),
  code: z
    .string()
    .trim()
    .regex(/^[0-9a-z][0-9a-z_-]{0,39}$/, 'ops.validation.categoryCode'),
  nameJa: z.string().trim().min(1, 'validation.required'),
  nameEn: z.string().trim().min(1, 'validation.required'),
});

function Bases() {
  const { t } = useTranslation();
  const bases = useKnowledgeBases();
  const services = useServicesCatalogue();
  const baseForm = useForm<z.infer<typeof baseSchema>>({
    resolver: zodResolver(baseSchema),
    defaultValues: { nameJa: '', nameEn: '', service: '' },
  });
  const categoryForm = useForm<z.infer<typeof categorySchema>>({
    resolver: zodResolver(categorySchema),
    defaultValues: { base: '', code: '', nameJa: '', nameEn: '' },
  });
  const addBase = useOpsAction(
    (api, v: z.infer<typeof baseSchema>) =>
      api.post<KnowledgeBase>('/ops/knowledge/bases', {
        name: { ja: v.nameJa, en: v.nameEn },
        ...(v.service ? { service: v.service } : {}),
      }),
    [KNOWLEDGE],
    () => baseForm.reset(),
  );
  const addCategory = useOpsAction(
    (api, v: z.infer<typeof categorySchema>) =>
      api.post('/ops/knowledge/categories', {
        base: v.base,
        code: v.code,
        name: { ja: v.nameJa, en: v.nameEn },
      }),
    [KNOWLEDGE],
    () => categoryForm.reset(),
  );
  const be = baseForm.formState.errors;
  const ce = categoryForm.formState.errors;
  return (
    <section className="card" aria-labelledby="bases">
      <h2 id="bases">{t('ops.knowledge.bases')}</h2>
      <ErrorAlert error={bases.error} />
      {bases.isPending ? (
        <Loading />
      ) : bases.data?.length === 0 ? (
        <p>{t('ops.knowledge.noBases')}</p>
      ) : (
        <ul className="ops-list">
          {bases.data?.map((b) => (
            <li key={b.id}>
              <strong>{b.name}</strong>{' '}
              <span className="ops-muted">
                {t('ops.knowledge.baseLine', {
                  service: b.service ?? t('ops.knowledge.general'),
                  count: b.articleCount,
                })}
              </span>
              <ul>
                {b.categories.map((c) => (
                  <li key={c.id}>
                    {c.code} {c.name}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
      <h3>{t('ops.knowledge.newBase')}</h3>
      <form noValidate onSubmit={(e) => void baseForm.handleSubmit((v) => addBase.mutate(v))(e)}>
        <ErrorAlert error={addBase.error} />
        <div className="ops-grid">
          <Field
            label={t('ops.knowledge.baseNameJa')}
            error={be.nameJa?.message}
            {...baseForm.register('nameJa')}
          />
          <Field
            label={t('ops.knowledge.baseNameEn')}
            error={be.nameEn?.message}
            {...baseForm.register('nameEn')}
          />
          <SelectField label={t('ops.knowledge.baseService')} {...baseForm.register('service')}>
            <option value="">{t('ops.knowledge.general')}</option>
            {services.data?.map((s) => (
              <option key={s.code} value={s.code}>
                {s.code}
              </option>
            ))}
          </SelectField>
        </div>
        <button type="submit" disabled={addBase.isPending}>
          {t('ops.knowledge.addBase')}
        </button>
      </form>
      <h3>{t('ops.knowledge.newCategory')}</h3>
      <form noValidate onSubmit={(e) => void categoryForm.handleSubmit((v) => addCategory.mutate(v))(e)}>
        <ErrorAlert error={addCategory.error} />
        <div className="ops-grid">
          <SelectField
            label={t('ops.knowledge.categoryBase')}
            error={ce.base?.message}
            {...categoryForm.register('base')}
          >
            <option value="">{t('ops.common.choose')}</option>
            {bases.data?.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </SelectField>
          <Field
            label={t('ops.knowledge.categoryCode')}
            hint={t('ops.knowledge.categoryCodeHint')}
            error={ce.code?.message}
            {...categoryForm.register('code')}
          />
          <Field
            label={t('ops.knowledge.categoryNameJa')}
            error={ce.nameJa?.message}
            {...categoryForm.register('nameJa')}
          />
          <Field
            label={t('ops.knowledge.categoryNameEn')}
            error={ce.nameEn?.message}
            {...categoryForm.register('nameEn')}
          />
        </div>
        <button type="submit" disabled={addCategory.isPending}>
          {t('ops.knowledge.addCategory')}
        </button>
      </form>
    </section>
  );
}

/** One article: rewrite it, or delete it. */
export function ArticlePage() {
  const { t } = useTranslation();
  const { number = '' } = useParams();
  const api = useApi();
  const navigate = useNavigate();
  const article = useQuery({
    queryKey: [...KNOWLEDGE, 'article', number],
    queryFn: () => api.get<Article>(`/ops/knowledge/articles/${number}`),
  });
  const save = useOpsAction(
    (a, values: ArticleValues) =>
      a.request<Article>('PUT', `/ops/knowledge/articles/${number}`, { body: articleBody(values) }),
    [KNOWLEDGE],
  );
  const remove = useOpsAction<void>(
    (a) => a.delete(`/ops/knowledge/articles/${number}`),
    [KNOWLEDGE],
    () => void navigate('/ops/knowledge'),
  );
  return (
    <>
      <p>
        <Link to="/ops/knowledge">{t('ops.knowledge.back')}</Link>
      </p>
      <h1>{number}</h1>
      <ErrorAlert error={article.error} />
      {article.isPending ? (
        <Loading />
      ) : article.data ? (
        <section className="card" aria-labelledby="edit-article">
          <h2 id="edit-article">{t('ops.knowledge.edit')}</h2>
          <ErrorAlert error={save.error ?? remove.error} />
          {save.isSuccess && <Notice>{t('ops.knowledge.saved')}</Notice>}
          {article.data.format === 'document' ? (
            <p>{t('ops.knowledge.documentArticle')}</p>
          ) : (
            <ArticleForm
              key={article.dataUpdatedAt}
              defaults={{
                base: article.data.base.id,
                category: article.data.category.id,
                title: article.data.title,
                language: article.data.language,
                body: htmlToText(article.data.body),
              }}
              submitLabel={t('common.save')}
              pending={save.isPending}
              onSubmit={(values) => save.mutate(values)}
            />
          )}
          <button
            type="button"
            disabled={remove.isPending}
            onClick={() => {
              if (window.confirm(t('ops.knowledge.confirmDelete', { number }))) {
                remove.mutate();
              }
            }}
          >
            {t('ops.knowledge.delete')}
          </button>
        </section>
      ) : null}
    </>
  );
}
