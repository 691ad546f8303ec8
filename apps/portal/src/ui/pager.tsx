import { useTranslation } from 'react-i18next';

/** Previous, "page n of m", next: a navigation landmark named by `label`. */
export function Pager({
  page,
  pages,
  label,
  onPage,
}: {
  page: number;
  pages: number;
  label: string;
  onPage: (page: number) => void;
}) {
  const { t } = useTranslation();
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t('account.previous')}
      </button>
      <span>{t('account.pageOf', { page, pages })}</span>
      <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t('account.next')}
      </button>
    </nav>
  );
}
