import { useState } from 'preact/hooks';
import { DataTable, type Column } from './DataTable';
import { Dialog } from './ui';
import { useI18n } from '../i18n/index';
import { api, withQuery } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { useSession } from '../lib/session';
import type { AuditEntry } from '../lib/types';

/** The fields a change touched, `name: old → new`; a creation or deletion lists the row's fields. */
export function changedFields(entry: Pick<AuditEntry, 'before' | 'after'>): string[] {
  const before = entry.before ?? {};
  const after = entry.after ?? {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  const show = (v: unknown) => (v === undefined || v === null ? '∅' : typeof v === 'string' ? v : JSON.stringify(v));
  return keys.map((k) => (entry.before && entry.after ? `${k}: ${show(before[k])} → ${show(after[k])}` : `${k}: ${show(entry.after ? after[k] : before[k])}`));
}

/** An object's history from the audit trail: who changed what, when, from what to what (newest first). */
export function HistoryPanel({ objectType, objectId }: { objectType: string; objectId: number | string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const history = useLoad(() => api.get<{ items: AuditEntry[] }>(withQuery('/api/audit', { objectType, objectId: String(objectId), limit: 100 })), [objectType, objectId]);
  const columns: Column<AuditEntry>[] = [
    { label: t('audit.at'), cell: (e) => i18n.dateTime(e.at) },
    { label: t('audit.user'), cell: (e) => e.userName ?? (e.userId === null ? t('audit.system') : `#${e.userId}`) },
    { label: t('audit.action'), class: 'mono', cell: (e) => e.action },
    {
      label: t('audit.changes'),
      cell: (e) => (
        <ul class="plain">
          {changedFields(e).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ),
    },
  ];
  return (
    <DataTable
      label={t('audit.history')}
      testId="history"
      columns={columns}
      rows={history.data?.items}
      rowKey={(e) => e.id}
      loading={!history.error}
      error={history.error}
      empty={t('audit.empty')}
    />
  );
}

/**
 * « Historique » for one object, as a small button opening its history in a dialog. Only administrators read the
 * trail (a member_admin its own structure's rows, which the server filters): for anyone else it renders nothing.
 */
export function HistoryButton({ objectType, objectId, name }: { objectType: string; objectId: number | string; name: string }) {
  const { t } = useI18n();
  const session = useSession();
  const [open, setOpen] = useState(false);
  if (session.me.role !== 'coordinator' && session.me.role !== 'member_admin') return null;
  return (
    <>
      <button type="button" class="button button-small" onClick={() => setOpen(true)} aria-label={t('audit.historyOf', { name })}>
        {t('audit.history')}
      </button>
      {open && (
        <Dialog title={t('audit.historyOf', { name })} open onClose={() => setOpen(false)} wide>
          <HistoryPanel objectType={objectType} objectId={objectId} />
        </Dialog>
      )}
    </>
  );
}
