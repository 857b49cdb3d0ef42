import { useMemo, useState } from 'preact/hooks';
import { DocumentVersions } from '../components/DocumentVersions';
import { DownloadLink, ErrorMessage, Loading, MonthPicker, PageHeader, StatusBadge, TableWrap } from '../components/ui';
import { CostChart, UtilisationChart } from '../components/Charts';
import { useI18n, type I18n } from '../i18n/index';
import { api } from '../lib/api';
import { openCapacityMinutes } from '../lib/capacity';
import { useLoad } from '../lib/hooks';
import { useSession } from '../lib/session';
import { addMonths, monthOf } from '../lib/time';
import type { AllocationRow, Allocations, Basis, Items, Resource } from '../lib/types';

/** What decided a share, in a few words printed under it. */
export function basisText(i18n: I18n, basis: Basis | undefined): string {
  if (!basis) return '';
  const { t } = i18n;
  const p = basis.percent === undefined ? '' : ` (${i18n.number(basis.percent, 2)} %)`;
  switch (basis.method) {
    case 'usage':
      return t('basis.usage', { h: i18n.hours(basis.minutes ?? 0), total: i18n.hours(basis.totalMinutes ?? 0) }) + p;
    case 'weights':
      return t('basis.weights', { w: i18n.number(basis.weight ?? 0), total: i18n.number(basis.totalWeight ?? 0) }) + p;
    case 'equal':
      return t('basis.equal') + p;
    case 'rate':
      return t('basis.rate', { h: i18n.hours(basis.minutes ?? 0) });
    case 'mixed':
      return t('basis.mixed') + p;
    case 'bearer':
      return t('basis.bearer');
    default:
      return basis.text ?? '';
  }
}

/**
 * A month's cost split: for coordinators resources × structures with the resource column and the totals always
 * in view (cards on a phone); for a member its own shares as a list, « mon mois en cours » while the month is
 * open. Then the utilisation of each resource by structure and each structure's cost over twelve months.
 */
export function AllocationsPage() {
  const i18n = useI18n();
  const { t, zone } = i18n;
  const session = useSession();
  const current = monthOf(Date.now(), zone);
  const [month, setMonth] = useState(current);
  const allocations = useLoad(() => api.get<Allocations>('/api/allocations', { month }), [month]);
  const resources = useLoad(() => api.get<Items<Resource>>('/api/resources'), []);
  const a = allocations.data;
  const mine = session.me.memberId;

  const resourceById = useMemo(() => new Map((resources.data?.items ?? []).map((r) => [r.id, r])), [resources.data]);
  const resourceIds = useMemo(() => {
    const ids = new Set<number>([...(a?.totals?.resources ?? []).map((r) => r.resourceId), ...(a?.rows ?? []).map((r) => r.resourceId)]);
    return [...ids].sort((x, y) => (resourceById.get(x)?.name ?? '').localeCompare(resourceById.get(y)?.name ?? ''));
  }, [a, resourceById]);
  const memberIds = useMemo(() => [...new Set((a?.rows ?? []).map((r) => r.memberId))].sort((x, y) => session.memberName(x).localeCompare(session.memberName(y))), [a, session]);
  const cell = useMemo(() => {
    const map = new Map<string, AllocationRow>();
    for (const row of a?.rows ?? []) map.set(`${row.resourceId}:${row.memberId}`, row);
    return map;
  }, [a]);
  const resourceTotals = new Map((a?.totals?.resources ?? []).map((r) => [r.resourceId, r]));
  const name = (id: number) => resourceById.get(id)?.name ?? `#${id}`;
  const memberTotal = (memberId: number) => (a?.rows ?? []).filter((r) => r.memberId === memberId).reduce((s, r) => s + r.shareCents, 0);

  const title = !session.isCoordinator && month === current ? t('alloc.myMonth', { month: i18n.month(month) }) : t('alloc.title');
  return (
    <section>
      <PageHeader title={title}>
        {(['csv', 'xlsx'] as const).map((format) => (
          <DownloadLink key={format} href={`/api/allocations.${format}?month=${month}`}>
            {t(`export.${format}`)}
          </DownloadLink>
        ))}
        {a?.final && session.isCoordinator && <DownloadLink href={`/api/closings/${month}/pdf`}>{t('closing.polePdf')}</DownloadLink>}
        {mine && (
          <DownloadLink href={`/api/statements/${month}/${mine}/pdf`} context={i18n.month(month)}>
            {t('alloc.statementPdf')}
          </DownloadLink>
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
      ) : !a || resourceIds.length === 0 ? (
        <p class="muted empty-state">{session.isCoordinator ? t('alloc.noneCoordinator') : t('alloc.none')}</p>
      ) : !session.isCoordinator && mine ? (
        <MemberList allocations={a} memberId={mine} resourceName={name} estimate={!a.final} />
      ) : (
        <>
          <h2>{t('alloc.matrix')}</h2>
          <p class="muted">{t('alloc.matrixCaption')}</p>
          <div class="allocation-table">
          <TableWrap label={t('alloc.matrix')}>
            <table class="table matrix" data-testid="allocation-matrix">
              <thead>
                <tr>
                  <th scope="col">{t('common.resource')}</th>
                  {memberIds.map((id) => (
                    <th scope="col" key={id} class="num">
                      {session.memberName(id)}
                    </th>
                  ))}
                  <th scope="col" class="num total-col">
                    {t('common.total')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {resourceIds.map((resourceId) => (
                  <tr key={resourceId}>
                    <th scope="row">{name(resourceId)}</th>
                    {memberIds.map((memberId) => {
                      const row = cell.get(`${resourceId}:${memberId}`);
                      return (
                        <td key={memberId} class="num">
                          {row ? (
                            <>
                              {i18n.money(row.shareCents)}
                              <small class="muted block basis">{basisText(i18n, row.basis)}</small>
                            </>
                          ) : (
                            <span class="muted">—</span>
                          )}
                        </td>
                      );
                    })}
                    <td class="num total-col">
                      <strong>{i18n.money(resourceTotals.get(resourceId)?.costCents ?? 0)}</strong>
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('alloc.memberTotal')}</th>
                  {memberIds.map((id) => (
                    <td key={id} class="num">
                      <strong>{i18n.money(memberTotal(id))}</strong>
                    </td>
                  ))}
                  <td class="num total-col">
                    <strong>{i18n.money(a.totals?.costCents ?? 0)}</strong>
                  </td>
                </tr>
              </tfoot>
            </table>
          </TableWrap>
          </div>
          <ul class="matrix-cards" aria-label={t('alloc.matrix')}>
            {resourceIds.map((resourceId) => (
              <li key={resourceId} class="card">
                <h3>
                  {name(resourceId)} <span class="num">{i18n.money(resourceTotals.get(resourceId)?.costCents ?? 0)}</span>
                </h3>
                <dl>
                  {memberIds
                    .filter((m) => cell.has(`${resourceId}:${m}`))
                    .map((memberId) => {
                      const row = cell.get(`${resourceId}:${memberId}`)!;
                      return (
                        <div key={memberId}>
                          <dt>{session.memberName(memberId)}</dt>
                          <dd>
                            {i18n.money(row.shareCents)} <small class="muted">{basisText(i18n, row.basis)}</small>
                          </dd>
                        </div>
                      );
                    })}
                </dl>
              </li>
            ))}
          </ul>
          <MemberStatement allocations={a} month={month} memberIds={memberIds} resourceName={name} />
        </>
      )}
      {a && resourceIds.length > 0 && (
        <>
          <h2>{t('alloc.utilisation')}</h2>
          <p class="muted">{t('alloc.utilisationHelp')}</p>
          <UtilisationChart
            items={resourceIds.map((id) => {
              const resource = resourceById.get(id);
              return {
                label: name(id),
                openMinutes: resource ? openCapacityMinutes(resource, month) : 0,
                parts: memberIds
                  .map((m) => ({ label: session.memberName(m), minutes: cell.get(`${id}:${m}`)?.usageMinutes ?? 0, mine: m === mine }))
                  .filter((p) => p.minutes > 0),
              };
            })}
          />
        </>
      )}
      {a?.final && a.month === month && <DocumentVersions month={month} />}
      <YearOfCosts month={month} />
    </section>
  );
}

/**
 * A coordinator's view of one structure's statement for the month: what its users see as « mon mois en cours »
 * (the estimate so far, each resource's share and its basis) and its statement PDF.
 */
function MemberStatement(props: { allocations: Allocations; month: string; memberIds: number[]; resourceName(id: number): string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const [chosen, setChosen] = useState<number | null>(null);
  const memberId = chosen !== null && props.memberIds.includes(chosen) ? chosen : (props.memberIds[0] ?? null);
  if (memberId === null) return null;
  const name = session.memberName(memberId);
  return (
    <section class="card section member-statement" aria-labelledby="member-statement-title" data-testid="member-statement">
      <h2 id="member-statement-title">{t('alloc.statementOf', { name, month: i18n.month(props.month) })}</h2>
      <div class="filters">
        <div class="field field-inline">
          <label for="statement-member">{t('common.member')}</label>
          <select id="statement-member" value={memberId} onChange={(e) => setChosen(Number(e.currentTarget.value))}>
            {props.memberIds.map((id) => (
              <option key={id} value={id}>
                {session.memberName(id)}
              </option>
            ))}
          </select>
        </div>
        <DownloadLink href={`/api/statements/${props.month}/${memberId}/pdf`} context={`${name}, ${i18n.month(props.month)}`}>
          {t('alloc.statementPdf')}
        </DownloadLink>
      </div>
      <MemberList allocations={props.allocations} memberId={memberId} resourceName={props.resourceName} estimate={!props.allocations.final} coordinator />
    </section>
  );
}

/** A member's shares of the month as a list: resource, hours, share and its basis; the total first. */
function MemberList(props: { allocations: Allocations; memberId: number; resourceName(id: number): string; estimate: boolean; coordinator?: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const rows = props.allocations.rows.filter((r) => r.memberId === props.memberId && (r.shareCents !== 0 || r.usageMinutes > 0));
  const total = rows.reduce((s, r) => s + r.shareCents, 0);
  return (
    <div data-testid="member-allocation">
      <p class="big-figure">
        {props.estimate ? t('alloc.estimateSoFar') : props.coordinator ? t('alloc.theirShare') : t('alloc.yourShare')} <strong class="num">{i18n.money(total)}</strong> <span class="muted">{t('alloc.exclVat')}</span>
      </p>
      {rows.length === 0 ? (
        <p class="muted">{props.coordinator ? t('alloc.nothingUsedBy') : t('alloc.nothingUsed')}</p>
      ) : (
        <ul class="share-list">
          {rows.map((r) => (
            <li key={r.resourceId}>
              <span class="share-name">{props.resourceName(r.resourceId)}</span>
              <span class="num share-amount">{i18n.money(r.shareCents)}</span>
              <small class="muted share-basis">
                {r.usageMinutes > 0 ? `${t('alloc.booked', { h: i18n.hours(r.usageMinutes) })} · ` : ''}
                {basisText(i18n, r.basis)}
              </small>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Each structure's cost over the twelve months ending with `month` (a member sees its own). */
function YearOfCosts({ month }: { month: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const months = useMemo(() => Array.from({ length: 12 }, (_, i) => addMonths(month, i - 11)), [month]);
  const year = useLoad(() => Promise.all(months.map((m) => api.get<Allocations>('/api/allocations', { month: m }).catch(() => null))), [months]);
  const [memberId, setMemberId] = useState<number | null>(session.me.memberId ?? session.members[0]?.id ?? null);
  if (!year.data || memberId === null) return null;
  const values = year.data.map((a, i) => ({
    month: months[i]!,
    cents: (a?.rows ?? []).filter((r) => r.memberId === memberId).reduce((s, r) => s + r.shareCents, 0),
    final: a?.final ?? false,
  }));
  return (
    <section aria-labelledby="year-costs-title">
      <h2 id="year-costs-title">{t('alloc.year', { name: session.memberName(memberId) })}</h2>
      {session.isCoordinator && (
        <div class="field field-inline">
          <label for="year-member">{t('common.member')}</label>
          <select id="year-member" value={memberId} onChange={(e) => setMemberId(Number(e.currentTarget.value))}>
            {session.members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <CostChart values={values} />
    </section>
  );
}
