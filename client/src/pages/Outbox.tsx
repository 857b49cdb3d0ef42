import { useState } from 'preact/hooks';
import { ErrorMessage, Loading, PageHeader, SelectField, StatusBadge, TableWrap, useNotify } from '../components/ui';
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
  const list = mails.data?.items ?? [];
  return (
    <section>
      <PageHeader title={t('outbox.title')} />
      <p class="muted">{t('outbox.intro')}</p>
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
      <ErrorMessage error={error ?? mails.error} />
      {!mails.data ? (
        mails.loading && <Loading />
      ) : !list.length ? (
        <p class="muted">{t('outbox.empty')}</p>
      ) : (
        <TableWrap label={t('outbox.title')}>
          <table class="table" data-testid="outbox">
            <thead>
              <tr>
                <th scope="col">{t('outbox.subject')}</th>
                <th scope="col">{t('outbox.to')}</th>
                <th scope="col">{t('outbox.status')}</th>
                <th scope="col">{t('outbox.attempts')}</th>
                <th scope="col">{t('outbox.createdAt')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((m) => (
                <tr key={m.id}>
                  <td data-label={t('outbox.subject')}>
                    {m.subject}
                    {m.lastError && <div class="muted small">{m.lastError}</div>}
                  </td>
                  <td data-label={t('outbox.to')}>
                    {m.toAddress}
                    {m.ccAddress && <span class="muted"> (cc {m.ccAddress})</span>}
                  </td>
                  <td data-label={t('outbox.status')}>
                    <StatusBadge kind={m.status === 'dead' ? 'error' : m.status === 'sent' ? 'success' : 'pending'}>{t(`outbox.status.${m.status}` as MessageKey)}</StatusBadge>
                  </td>
                  <td data-label={t('outbox.attempts')} class="num">
                    {m.attempts}
                  </td>
                  <td data-label={t('outbox.createdAt')}>{i18n.dateTime(m.createdAt)}</td>
                  <td data-label={t('common.actions')} class="actions">
                    {m.status === 'dead' && (
                      <button type="button" class="button button-small" onClick={() => void retry(m.id)}>
                        {t('outbox.retry')}
                      </button>
                    )}
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
