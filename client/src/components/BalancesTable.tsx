import { useI18n } from '../i18n/index';
import { withQuery } from '../lib/api';
import { useSession } from '../lib/session';
import type { Balances } from '../lib/types';
import { DownloadLink, TableWrap } from './ui';

/**
 * Who still owes whom as of a day (`GET /api/balances?asOf=`): debtor, creditor, open amount and the invoices
 * it is made of, with the same table to download (`/api/balances.csv|xlsx`, also on the accounting page).
 */
export function BalancesTable({ balances, invoiceNumber }: { balances: Balances; invoiceNumber(id: number): string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { memberName } = useSession();
  const total = balances.items.reduce((sum, b) => sum + b.openCents, 0);
  return (
    <div data-testid="balances">
      <div class="filters">
        <DownloadLink href={withQuery('/api/balances.csv', { asOf: balances.asOf })}>{t('balances.exportCsv')}</DownloadLink>
        <DownloadLink href={withQuery('/api/balances.xlsx', { asOf: balances.asOf })}>{t('balances.exportXlsx')}</DownloadLink>
      </div>
      {balances.items.length === 0 ? (
        <p class="muted">{t('balances.none', { date: i18n.day(balances.asOf) })}</p>
      ) : (
        <TableWrap label={t('balances.title')}>
          <table class="table table-stack">
            <thead>
              <tr>
                <th scope="col">{t('settle.debtor')}</th>
                <th scope="col">{t('settle.creditor')}</th>
                <th scope="col" class="num">
                  {t('balances.open')}
                </th>
                <th scope="col">{t('balances.invoices')}</th>
              </tr>
            </thead>
            <tbody>
              {balances.items.map((b) => (
                <tr key={`${b.fromMemberId}>${b.toMemberId}`}>
                  <td data-label={t('settle.debtor')}>{memberName(b.fromMemberId)}</td>
                  <td data-label={t('settle.creditor')}>{memberName(b.toMemberId)}</td>
                  <td data-label={t('balances.open')} class="num">
                    {i18n.money(b.openCents)}
                  </td>
                  <td data-label={t('balances.invoices')} class="small">
                    {b.invoiceIds.map(invoiceNumber).join(', ')}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={2}>
                  {t('common.total')}
                </th>
                <td class="num">
                  <strong>{i18n.money(total)}</strong>
                </td>
                <td />
              </tr>
            </tfoot>
          </table>
        </TableWrap>
      )}
    </div>
  );
}
