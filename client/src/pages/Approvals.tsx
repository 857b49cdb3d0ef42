import { useState } from 'preact/hooks';
import { ErrorMessage, Loading, PageHeader, useNotify, TableWrap } from '../components/ui';
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
  return (
    <section>
      <PageHeader title={t('approvals.title')} />
      <ErrorMessage error={error ?? pending.error} />
      {pending.loading && !pending.data ? (
        <Loading />
      ) : rows.length === 0 ? (
        <p class="muted">{t('approvals.none')}</p>
      ) : (
        <TableWrap label={t('approvals.title')}>
          <table class="table table-stack">
            <thead>
              <tr>
                <th scope="col">{t('common.resource')}</th>
                <th scope="col">{t('common.member')}</th>
                <th scope="col">{t('bookings.when')}</th>
                <th scope="col">{t('bookings.quantity')}</th>
                <th scope="col">{t('bookings.note')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((b) => (
                <tr key={b.id}>
                  <td data-label={t('common.resource')}>{resourceName(b.resourceId)}</td>
                  <td data-label={t('common.member')}>{session.memberName(b.memberId)}</td>
                  <td data-label={t('bookings.when')}>{i18n.range(b.start, b.end)}</td>
                  <td data-label={t('bookings.quantity')}>{b.quantity}</td>
                  <td data-label={t('bookings.note')}>{b.note ?? ''}</td>
                  <td data-label={t('common.actions')} class="actions">
                    <button type="button" class="button button-small button-primary" onClick={() => decide(b, 'confirmed')}>
                      {t('approvals.approve')}
                    </button>
                    <button type="button" class="button button-small button-danger" onClick={() => decide(b, 'rejected')}>
                      {t('approvals.reject')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
