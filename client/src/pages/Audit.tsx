import { useState } from 'preact/hooks';
import { DataTable, type Column } from '../components/DataTable';
import { changedFields } from '../components/HistoryPanel';
import { Field, PageHeader, SelectField } from '../components/ui';
import { useI18n } from '../i18n/index';
import { api, withQuery } from '../lib/api';
import { useLoad, usePages } from '../lib/hooks';
import type { AuditEntry, Items, User } from '../lib/types';

/** Rows a page of the trail shows; « Plus anciens » loads the next ones. */
export const AUDIT_PAGE = 50;

/** The audit trail: coordinators see every change, a structure's admin its own structure's; filters, paging and CSV. */
export function AuditPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const [objectType, setObjectType] = useState('');
  const [userId, setUserId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const users = useLoad(() => api.get<Items<User>>('/api/users'), []);
  const query = { objectType: objectType.trim() || undefined, userId: userId || undefined, from: from || undefined, to: to || undefined };
  const entries = usePages(
    (beforeId) => api.get<{ items: AuditEntry[]; nextBeforeId: number | null }>(withQuery('/api/audit', { ...query, limit: AUDIT_PAGE, beforeId })),
    [objectType, userId, from, to],
  );
  const columns: Column<AuditEntry>[] = [
    { label: t('audit.at'), cell: (e) => i18n.dateTime(e.at) },
    {
      label: t('audit.user'),
      cell: (e) => (
        <>
          {e.userName ?? (e.userId === null ? t('audit.system') : `#${e.userId}`)}
          {e.ip && <div class="muted small">{e.ip}</div>}
        </>
      ),
    },
    { label: t('audit.action'), class: 'mono', cell: (e) => e.action },
    { label: t('audit.object'), class: 'mono', cell: (e) => `${e.objectType} ${e.objectId ?? ''}` },
    {
      label: t('audit.changes'),
      cell: (e) => (
        <ul class="plain">
          {changedFields(e)
            .slice(0, 8)
            .map((line) => (
              <li key={line}>{line}</li>
            ))}
        </ul>
      ),
    },
  ];
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
        <SelectField
          label={t('audit.user')}
          value={userId}
          onChange={setUserId}
          options={[{ value: '', label: t('audit.anyUser') }, ...(users.data?.items ?? []).map((u) => ({ value: String(u.id), label: u.name }))]}
        />
        <Field label={t('audit.from')} type="date" value={from} onInput={(e) => setFrom((e.currentTarget as HTMLInputElement).value)} />
        <Field label={t('audit.to')} type="date" value={to} onInput={(e) => setTo((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <DataTable
        label={t('audit.title')}
        testId="audit"
        columns={columns}
        rows={entries.items}
        rowKey={(e) => e.id}
        loading={entries.loading}
        error={entries.error}
        more={entries.hasMore ? { label: t('audit.older'), onMore: entries.more, loading: entries.loading } : undefined}
      />
    </section>
  );
}
