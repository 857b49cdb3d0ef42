import { useState } from 'preact/hooks';
import { DataTable, type Column } from '../components/DataTable';
import { PageHeader, useNotify } from '../components/ui';
import { useI18n } from '../i18n/index';
import { api } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { useSession } from '../lib/session';
import { zonedIso } from '../lib/time';
import type { Booking, Items, Resource } from '../lib/types';

const DAY = 86_400_000;

/** Pending bookings of approval resources: a coordinator confirms or rejects each. */
export function ApprovalsPage() {
  const i18n = useI18n();
  const { t, zone } = i18n;
  const session = useSession();
  const notify = useNotify();
  const [error, setError] = useState<unknown>(null);
  const resources = useLoad(() => api.get<Items<Resource>>('/api/resources'), []);
  const pending = useLoad(() => {
    const now = Date.now();
    return api.get<Items<Booking>>('/api/bookings', { from: zonedIso(now - 31 * DAY, zone), to: zonedIso(now + 366 * DAY, zone), status: 'pending' });
  }, [zone]);

  const decide = async (b: Booking, status: 'confirmed' | 'rejected') => {
    setError(null);
    try {
      await api.patch(`/api/bookings/${b.id}`, { status });
      notify(status === 'confirmed' ? t('approvals.approved') : t('approvals.rejected'));
      pending.reload();
    } catch (err) {
      setError(err);
    }
  };

  const resourceName = (id: number) => resources.data?.items.find((r) => r.id === id)?.name ?? `#${id}`;
  const rows = (pending.data?.items ?? []).filter((b) => b.status === 'pending').sort((a, b) => a.start.localeCompare(b.start));
  const columns: Column<Booking>[] = [
    { label: t('common.resource'), cell: (b) => resourceName(b.resourceId) },
    { label: t('common.member'), cell: (b) => session.memberName(b.memberId) },
    { label: t('bookings.when'), cell: (b) => i18n.range(b.start, b.end) },
    { label: t('bookings.quantity'), cell: (b) => b.quantity },
    { label: t('bookings.note'), cell: (b) => b.note ?? '' },
    {
      label: t('common.actions'),
      class: 'actions',
      cell: (b) => (
        <>
          <button type="button" class="button button-small button-primary" onClick={() => decide(b, 'confirmed')}>
            {t('approvals.approve')}
          </button>
          <button type="button" class="button button-small button-danger" onClick={() => decide(b, 'rejected')}>
            {t('approvals.reject')}
          </button>
        </>
      ),
    },
  ];
  return (
    <section>
      <PageHeader title={t('approvals.title')} />
      <DataTable
        label={t('approvals.title')}
        stack
        columns={columns}
        rows={pending.data && rows}
        rowKey={(b) => b.id}
        loading={pending.loading}
        error={error ?? pending.error}
        empty={t('approvals.none')}
      />
    </section>
  );
}
