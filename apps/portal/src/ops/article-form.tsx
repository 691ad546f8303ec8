import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { LANGUAGES } from '../i18n/i18n';
import { useApi } from '../session/services';
import { Field } from '../ui/field';
import { SelectField, TextArea } from './fields';
import type { KnowledgeBase } from './types';

export const articleSchema = z.object({
  base: z.string().min(1, 'validation.required'),
  category: z.string().min(1, 'validation.required'),
  title: z.string().trim().min(1, 'validation.required').max(200, 'ops.validation.tooLong'),
  language: z.enum(LANGUAGES),
  body: z.string().trim().min(1, 'validation.required'),
});
export type ArticleValues = z.infer<typeof articleSchema>;

export function useKnowledgeBases() {
  const api = useApi();
  return useQuery({
    queryKey: ['ops', 'knowledge', 'bases'],
    queryFn: () => api.get<KnowledgeBase[]>('/ops/knowledge/bases'),
  });
}

/** An article's base, category, title, language and text; used to write one and to rewrite it. */
export function ArticleForm({
  defaults,
  submitLabel,
  pending,
  onSubmit,
}: {
  defaults: ArticleValues;
  submitLabel: string;
  pending: boolean;
  onSubmit(values: ArticleValues): void;
}) {
  const { t } = useTranslation();
  const bases = useKnowledgeBases();
  const form = useForm<ArticleValues>({ resolver: zodResolver(articleSchema), defaultValues: defaults });
  const base = form.watch('base');
  const categories = bases.data?.find((b) => b.id === base)?.categories ?? [];
  const errors = form.formState.errors;
  return (
    <form noValidate onSubmit={(e) => void form.handleSubmit(onSubmit)(e)}>
      <div className="ops-grid">
        <SelectField label={t('ops.knowledge.base')} error={errors.base?.message} {...form.register('base')}>
          <option value="">{t('ops.common.choose')}</option>
          {bases.data?.map((b) => (
            <option key={b.id} value={b.id}>
              {b.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('ops.knowledge.category')}
          error={errors.category?.message}
          {...form.register('category')}
        >
          <option value="">{t('ops.common.choose')}</option>
          {categories.map((c) => (
            <option key={c.id} value={c.id}>
              {c.code} {c.name}
            </option>
          ))}
        </SelectField>
        <Field
          label={t('ops.knowledge.articleTitle')}
          error={errors.title?.message}
          {...form.register('title')}
        />
        <SelectField label={t('ops.knowledge.language')} {...form.register('language')}>
          {LANGUAGES.map((language) => (
            <option key={language} value={language}>
              {t(`languages.${language}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <TextArea
        label={t('ops.knowledge.body')}
        hint={t('ops.common.textHint')}
        rows={8}
        error={errors.body?.message}
        {...form.register('body')}
      />
      <button type="submit" className="primary" disabled={pending}>
        {submitLabel}
      </button>
    </form>
  );
}
