import { useI18n } from '../i18n/index';
import { api } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { useSession } from '../lib/session';
import type { Items, MonthDocumentVersion } from '../lib/types';
import { DownloadLink, ErrorMessage, TableWrap } from './ui';

/**
 * The stored versions of a closed month's pole summary and members' statements (`GET /api/closings/:month/versions`):
 * v1 at the close, a new one after each credit note or adjustment, each downloadable byte for byte as it was made.
 * A member sees the versions of its own statement only.
 */
export function DocumentVersions({ month }: { month: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { memberName } = useSession();
  const versions = useLoad(() => api.get<Items<MonthDocumentVersion>>(`/api/closings/${month}/versions`), [month]);
  const items = versions.data?.items ?? [];
  const documentName = (v: MonthDocumentVersion) => (v.kind === 'summary' ? t('versions.summary') : t('versions.statement', { member: memberName(v.memberId) }));
  const href = (v: MonthDocumentVersion) =>
    v.kind === 'summary' ? `/api/closings/${v.month}/versions/${v.version}/pdf` : `/api/statements/${v.month}/${v.memberId}/versions/${v.version}/pdf`;
  return (
    <section class="section" aria-labelledby="versions-title" data-testid="document-versions">
      <h2 id="versions-title">{t('versions.title')}</h2>
      <p class="muted">{t('versions.help')}</p>
      <ErrorMessage error={versions.error} />
      {versions.data && items.length === 0 && <p class="muted">{t('versions.none')}</p>}
      {items.length > 0 && (
        <TableWrap label={t('versions.title')}>
          <table class="table table-stack">
            <thead>
              <tr>
                <th scope="col">{t('versions.document')}</th>
                <th scope="col">{t('versions.version')}</th>
                <th scope="col">{t('versions.date')}</th>
                <th scope="col">{t('versions.reason')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((v) => (
                <tr key={`${v.kind}:${v.memberId ?? 0}:${v.version}`} data-version={v.version}>
                  <td data-label={t('versions.document')}>{documentName(v)}</td>
                  <td data-label={t('versions.version')}>v{v.version}</td>
                  <td data-label={t('versions.date')} class="nowrap">
                    {i18n.dateTime(v.createdAt)}
                  </td>
                  <td data-label={t('versions.reason')}>{t(`versions.reason.${v.reason}`, { reference: v.reference ?? '' })}</td>
                  <td data-label={t('common.actions')}>
                    <DownloadLink href={href(v)} context={`${documentName(v)} v${v.version}`}>
                      {t('common.downloadPdf')}
                    </DownloadLink>
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
