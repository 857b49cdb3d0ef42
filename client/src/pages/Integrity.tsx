import { ErrorMessage, Loading, PageHeader, TableWrap } from '../components/ui';
import { useI18n } from '../i18n/index';
import { api } from '../lib/api';
import { useLoad } from '../lib/hooks';
import type { Integrity } from '../lib/types';

/** The hash chains and numbering series of every issuer, recomputed by the server. */
export function IntegrityPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const report = useLoad(() => api.get<Integrity>('/api/integrity'), []);
  const r = report.data;
  return (
    <section>
      <PageHeader title={t('integrity.title')}>
        <button type="button" class="button" onClick={report.reload} disabled={report.loading}>
          {t('integrity.check')}
        </button>
      </PageHeader>
      <p class="muted">{t('integrity.intro')}</p>
      <ErrorMessage error={report.error} />
      {!r ? (
        report.loading && <Loading />
      ) : r.ok ? (
        <p class="alert alert-success" role="status" data-testid="integrity-ok">
          ✓ {t('integrity.ok')}
          {typeof r.documents === 'number' && <span class="muted"> ({r.documents})</span>}
        </p>
      ) : (
        <>
          <h2 class="alert alert-error">{t('integrity.problems')}</h2>
          <TableWrap label={t('integrity.problems')}>
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t('invoices.number')}</th>
                  <th scope="col">{t('integrity.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {r.problems.map((p, i) => (
                  <tr key={i}>
                    <td>{p.number ?? (p.invoiceId ? `#${p.invoiceId}` : '—')}</td>
                    <td>{(p.code ? i18n.codeText(p.code) : undefined) ?? p.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </section>
  );
}
