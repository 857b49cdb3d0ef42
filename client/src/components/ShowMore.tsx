import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n/index';

export interface Paged<T> {
  shown: T[];
  total: number;
  more(): void;
}

/** The first `size` items, then `size` more at each « Afficher plus »; back to the first page when `reset` changes. */
export function usePaged<T>(items: T[], size: number, reset: unknown[]): Paged<T> {
  const [count, setCount] = useState(size);
  useEffect(() => setCount(size), reset);
  return { shown: items.slice(0, count), total: items.length, more: () => setCount((c) => c + size) };
}

export function ShowMore<T>({ paged }: { paged: Paged<T> }) {
  const { t } = useI18n();
  if (paged.shown.length >= paged.total) return null;
  return (
    <p class="show-more">
      <span class="muted">{t('common.shownOf', { n: paged.shown.length, total: paged.total })}</span>{' '}
      <button type="button" class="button button-small" onClick={paged.more}>
        {t('common.showMore')}
      </button>
    </p>
  );
}
