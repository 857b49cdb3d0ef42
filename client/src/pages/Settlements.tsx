import { useState } from 'preact/hooks';
import { ErrorMessage, Loading, MonthPicker, PageHeader, StatusBadge, TableWrap } from '../components/ui';
import { useI18n } from '../i18n/index';
import { api } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { useSession } from '../lib/session';
import { addMonths, monthOf } from '../lib/time';
import type { Settlements } from '../lib/types';

/** Net positions of the month and a plan with few transfers; invoices stay as issued. */
export function SettlementsPage() {
  const i18n = useI18n();
  const { t, zone } = i18n;
  const { memberName } = useSession();
  const [month, setMonth] = useState(addMonths(monthOf(Date.now(), zone), -1));
  const plan = useLoad(() => api.get<Settlements>('/api/settlements', { month }), [month]);
  const p = plan.data;
  return (
    <section>
      <PageHeader title={t('settle.title')} />
      <p class="muted">{t('settle.intro')}</p>
      <div class="filters">
        <MonthPicker value={month} onChange={setMonth} />
        {p && p.month === month && p.final !== undefined && (
          <StatusBadge kind={p.final ? 'confirmed' : 'pending'}>{p.final ? t('alloc.final') : t('alloc.provisional')}</StatusBadge>
        )}
      </div>
      <ErrorMessage error={plan.error} />
      {!p ? (
        plan.loading && <Loading />
      ) : (
        <div class="grid-2">
          <div>
            <h2>{t('settle.transfers')}</h2>
            {p.transfers.length === 0 ? (
              <p class="muted">{t('settle.none')}</p>
            ) : (
              <ol class="transfers" data-testid="transfers">
                {p.transfers.map((tr, i) => (
                  <li key={i} class="card transfer">
                    {t('settle.transfer', { from: memberName(tr.fromMemberId), to: memberName(tr.toMemberId), amount: i18n.money(tr.amountCents) })}
                  </li>
                ))}
              </ol>
            )}
          </div>
          <div>
            <h2>{t('settle.positions')}</h2>
            <TableWrap label={t('settle.positions')}>
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">{t('common.member')}</th>
                    <th scope="col" class="num">
                      {t('settle.net')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {[...p.positions]
                    .sort((a, b) => b.netCents - a.netCents)
                    .map((pos) => (
                      <tr key={pos.memberId}>
                        <th scope="row">{memberName(pos.memberId)}</th>
                        <td class={pos.netCents < 0 ? 'num negative' : 'num positive'}>
                          {i18n.money(pos.netCents)} <span class="muted small">{pos.netCents < 0 ? t('settle.pays') : pos.netCents > 0 ? t('settle.receives') : ''}</span>
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </TableWrap>
            <h2>{t('settle.pairs')}</h2>
            {p.pairs.length === 0 ? (
              <p class="muted">{t('settle.none')}</p>
            ) : (
              <TableWrap label={t('settle.pairs')}>
                <table class="table">
                  <thead>
                    <tr>
                      <th scope="col">{t('settle.debtor')}</th>
                      <th scope="col">{t('settle.creditor')}</th>
                      <th scope="col" class="num">
                        {t('settle.amount')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {p.pairs.map((pair, i) => (
                      <tr key={i}>
                        <td>{memberName(pair.fromMemberId)}</td>
                        <td>{memberName(pair.toMemberId)}</td>
                        <td class="num">{i18n.money(pair.amountCents)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
