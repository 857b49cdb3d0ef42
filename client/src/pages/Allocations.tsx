import { useMemo, useState } from 'preact/hooks';
import { DownloadLink, ErrorMessage, Loading, MonthPicker, PageHeader, StatusBadge, TableWrap } from '../components/ui';
import { useI18n } from '../i18n/index';
import { api } from '../lib/api';
import { openCapacityMinutes } from '../lib/capacity';
import { useLoad } from '../lib/hooks';
import { useSession } from '../lib/session';
import { monthOf } from '../lib/time';
import type { AllocationRow, Allocations, Items, Resource } from '../lib/types';

/** The member × resource matrix of a month, provisional or final, and the utilisation of each resource. */
export function AllocationsPage() {
  const i18n = useI18n();
  const { t, zone } = i18n;
  const session = useSession();
  const [month, setMonth] = useState(monthOf(Date.now(), zone));
  const allocations = useLoad(() => api.get<Allocations>('/api/allocations', { month }), [month]);
  const resources = useLoad(() => api.get<Items<Resource>>('/api/resources'), []);
  const a = allocations.data;

  const resourceById = useMemo(() => new Map((resources.data?.items ?? []).map((r) => [r.id, r])), [resources.data]);
  const columns = useMemo(() => {
    const ids = new Set<number>([...(a?.totals?.resources ?? []).map((r) => r.resourceId), ...(a?.rows ?? []).map((r) => r.resourceId)]);
    return [...ids].sort((x, y) => (resourceById.get(x)?.name ?? '').localeCompare(resourceById.get(y)?.name ?? ''));
  }, [a, resourceById]);
  const memberIds = useMemo(() => [...new Set((a?.rows ?? []).map((r) => r.memberId))].sort((x, y) => session.memberName(x).localeCompare(session.memberName(y))), [a, session]);
  const cell = useMemo(() => {
    const map = new Map<string, AllocationRow>();
    for (const row of a?.rows ?? []) map.set(`${row.memberId}:${row.resourceId}`, row);
    return map;
  }, [a]);
  const resourceTotals = new Map((a?.totals?.resources ?? []).map((r) => [r.resourceId, r]));
  const name = (id: number) => resourceById.get(id)?.name ?? `#${id}`;

  return (
    <section>
      <PageHeader title={t('alloc.title')}>
        {(['csv', 'xlsx'] as const).map((format) => (
          <DownloadLink key={format} href={`/api/allocations.${format}?month=${month}`}>
            {t(`export.${format}`)}
          </DownloadLink>
        ))}
        {a?.final && session.isCoordinator && (
          <DownloadLink href={`/api/closings/${month}/pdf`}>{t('closing.polePdf')}</DownloadLink>
        )}
      </PageHeader>
      <div class="filters">
        <MonthPicker value={month} onChange={setMonth} />
        {a && a.month === month && (
          <StatusBadge kind={a.final ? 'confirmed' : 'pending'}>
            <span data-testid="allocation-status">{a.final ? t('alloc.final') : t('alloc.provisional')}</span>
          </StatusBadge>
        )}
      </div>
      <ErrorMessage error={allocations.error ?? resources.error} />
      {allocations.loading && !a ? (
        <Loading />
      ) : !a || columns.length === 0 ? (
        <p class="muted">{t('alloc.none')}</p>
      ) : (
        <>
          <h2>{t('alloc.matrix')}</h2>
          <TableWrap label={t('alloc.matrix')}>
            <table class="table matrix" data-testid="allocation-matrix">
              <caption class="muted">{t('alloc.matrixCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('common.member')}</th>
                  {columns.map((id) => (
                    <th scope="col" key={id} class="num">
                      {name(id)}
                    </th>
                  ))}
                  <th scope="col" class="num">
                    {t('common.total')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {memberIds.map((memberId) => {
                  const total = (a.rows ?? []).filter((r) => r.memberId === memberId).reduce((s, r) => s + r.shareCents, 0);
                  return (
                    <tr key={memberId}>
                      <th scope="row">{session.memberName(memberId)}</th>
                      {columns.map((resourceId) => {
                        const row = cell.get(`${memberId}:${resourceId}`);
                        return (
                          <td key={resourceId} class="num" title={row?.basis?.text}>
                            {row ? (
                              <>
                                {i18n.money(row.shareCents)}
                                {row.usageMinutes > 0 && <small class="muted block">({i18n.hours(row.usageMinutes)} h)</small>}
                              </>
                            ) : (
                              <span class="muted">—</span>
                            )}
                          </td>
                        );
                      })}
                      <td class="num">
                        <strong>{i18n.money(total)}</strong>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('alloc.poleTotal')}</th>
                  {columns.map((id) => (
                    <td key={id} class="num">
                      {i18n.money(resourceTotals.get(id)?.costCents ?? 0)}
                    </td>
                  ))}
                  <td class="num">
                    <strong>{i18n.money(a.totals?.costCents ?? 0)}</strong>
                  </td>
                </tr>
              </tfoot>
            </table>
          </TableWrap>

          <h2>{t('alloc.utilisation')}</h2>
          <p class="muted">{t('alloc.utilisationHelp')}</p>
          <ul class="bars" data-testid="utilisation">
            {columns.map((id) => {
              const resource = resourceById.get(id);
              const used = resourceTotals.get(id)?.usageMinutes ?? (a.rows ?? []).filter((r) => r.resourceId === id).reduce((s, r) => s + r.usageMinutes, 0);
              const open = resource ? openCapacityMinutes(resource, month) : 0;
              const percent = open > 0 ? Math.min(100, (used / open) * 100) : 0;
              return (
                <li key={id} class="bar-item">
                  <div class="bar-label">
                    <span>{name(id)}</span>
                    <span class="muted">
                      {t('alloc.hoursUsed', { used: i18n.hours(used), open: i18n.hours(open) })} · {t('alloc.percent', { p: i18n.number(percent, 0) })}
                    </span>
                  </div>
                  <div class="bar" aria-hidden="true">
                    <div class={a.final ? 'bar-fill bar-final' : 'bar-fill'} style={{ width: `${percent}%` }} />
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
