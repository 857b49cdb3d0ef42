import { useState } from 'preact/hooks';
import { changedFields } from '../components/HistoryPanel';
import { ErrorMessage, Field, Loading, PageHeader, TableWrap } from '../components/ui';
import { useI18n } from '../i18n/index';
import { api, withQuery } from '../lib/api';
import { useLoad } from '../lib/hooks';
import type { AuditEntry } from '../lib/types';

/** The audit trail: coordinators see every change, a structure's admin its own structure's; filters and CSV. */
export function AuditPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const [objectType, setObjectType] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const query = { objectType: objectType.trim() || undefined, from: from || undefined, to: to || undefined };
  const entries = useLoad(() => api.get<{ items: AuditEntry[] }>(withQuery('/api/audit', { ...query, limit: 200 })), [objectType, from, to]);
  return (
    <section>
      <PageHeader title={t('audit.title')}>
        <a class="button" href={withQuery('/api/audit.csv', query)} download>
          {t('audit.csv')}
        </a>
      </PageHeader>
      <p class="muted">{t('audit.intro')}</p>
      <div class="card filters form-inline">
        <Field label={t('audit.objectType')} value={objectType} onInput={(e) => setObjectType((e.currentTarget as HTMLInputElement).value)} placeholder="member, booking, invoice…" />
        <Field label={t('audit.from')} type="date" value={from} onInput={(e) => setFrom((e.currentTarget as HTMLInputElement).value)} />
        <Field label={t('audit.to')} type="date" value={to} onInput={(e) => setTo((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <ErrorMessage error={entries.error} />
      {!entries.data ? (
        entries.loading && <Loading />
      ) : (
        <TableWrap label={t('audit.title')}>
          <table class="table" data-testid="audit">
            <thead>
              <tr>
                <th scope="col">{t('audit.at')}</th>
                <th scope="col">{t('audit.user')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.object')}</th>
                <th scope="col">{t('audit.changes')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.data.items.map((e) => (
                <tr key={e.id}>
                  <td data-label={t('audit.at')}>{i18n.dateTime(e.at)}</td>
                  <td data-label={t('audit.user')}>
                    {e.userName ?? (e.userId === null ? t('audit.system') : `#${e.userId}`)}
                    {e.ip && <div class="muted small">{e.ip}</div>}
                  </td>
                  <td data-label={t('audit.action')} class="mono">
                    {e.action}
                  </td>
                  <td data-label={t('audit.object')} class="mono">
                    {e.objectType} {e.objectId}
                  </td>
                  <td data-label={t('audit.changes')}>
                    <ul class="plain">
                      {changedFields(e)
                        .slice(0, 8)
                        .map((line) => (
                          <li key={line}>{line}</li>
                        ))}
                    </ul>
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
