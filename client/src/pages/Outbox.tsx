import { useState } from 'preact/hooks';
import { DataTable, type Column } from '../components/DataTable';
import { DownloadLink, PageHeader, SelectField, StatusBadge, useNotify } from '../components/ui';
import { useI18n, type MessageKey } from '../i18n/index';
import { api, withQuery } from '../lib/api';
import { useLoad } from '../lib/hooks';
import type { Items, OutboxMail } from '../lib/types';

/** Coordinators: the mails written by the service, their delivery, and the dead letters to send again. */
export function OutboxPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const notify = useNotify();
  const [status, setStatus] = useState('dead');
  const [error, setError] = useState<unknown>(null);
  const mails = useLoad(() => api.get<Items<OutboxMail>>(withQuery('/api/outbox', { status, limit: 200 })), [status]);
  const retry = async (id: number) => {
    setError(null);
    try {
      await api.post('/api/outbox/retry', { id });
      notify(t('outbox.retried'));
      mails.reload();
    } catch (err) {
      setError(err);
    }
  };
  const columns: Column<OutboxMail>[] = [
    {
      label: t('outbox.subject'),
      cell: (m) => (
        <>
          {m.subject}
          {m.lastError && <div class="muted small">{m.lastError}</div>}
        </>
      ),
    },
    {
      label: t('outbox.to'),
      cell: (m) => (
        <>
          {m.toAddress}
          {m.ccAddress && <span class="muted"> (cc {m.ccAddress})</span>}
        </>
      ),
    },
    {
      label: t('outbox.status'),
      cell: (m) => <StatusBadge kind={m.status === 'dead' ? 'error' : m.status === 'sent' ? 'success' : 'pending'}>{t(`outbox.status.${m.status}` as MessageKey)}</StatusBadge>,
    },
    { label: t('outbox.attempts'), class: 'num', cell: (m) => m.attempts },
    { label: t('outbox.createdAt'), cell: (m) => i18n.dateTime(m.createdAt) },
    {
      label: t('common.actions'),
      class: 'actions',
      cell: (m) => (
        <>
          {m.eml && (
            <DownloadLink href={`/api/outbox/${m.id}/eml`} context={m.subject}>
              {t('outbox.eml')}
            </DownloadLink>
          )}
          {m.status === 'dead' && (
            <button type="button" class="button button-small" onClick={() => void retry(m.id)}>
              {t('outbox.retry')}
            </button>
          )}
        </>
      ),
    },
  ];
  return (
    <section>
      <PageHeader title={t('outbox.title')} />
      <p class="muted">{t('outbox.intro')}</p>
      {mails.data?.items.some((m) => m.eml) && <p class="muted">{t('outbox.emlIntro')}</p>}
      <div class="card filters">
        <SelectField
          label={t('outbox.status')}
          value={status}
          onChange={setStatus}
          options={[
            { value: 'dead', label: t('outbox.status.dead') },
            { value: 'pending', label: t('outbox.status.pending') },
            { value: 'sent', label: t('outbox.status.sent') },
            { value: '', label: t('outbox.all') },
          ]}
        />
      </div>
      <DataTable
        label={t('outbox.title')}
        testId="outbox"
        columns={columns}
        rows={mails.data?.items}
        rowKey={(m) => m.id}
        loading={mails.loading}
        error={error ?? mails.error}
        empty={t('outbox.empty')}
      />
    </section>
  );
}
