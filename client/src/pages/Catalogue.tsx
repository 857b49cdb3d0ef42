import { useEffect, useMemo, useState } from 'preact/hooks';
import { ErrorMessage, Loading, PageHeader, StatusBadge } from '../components/ui';
import { SetupChecklist } from '../components/SetupChecklist';
import { AllowanceMeter } from '../components/AllowanceMeter';
import { useI18n } from '../i18n/index';
import { api } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { kindLabel } from '../lib/labels';
import { navigate, onLinkClick, useLocation } from '../lib/router';
import { useSession } from '../lib/session';
import { RESOURCE_KINDS, type Items, type MemberAllowance, type Resource, type ResourceKind } from '../lib/types';

/** The catalogue of shared resources, filtered by kind; each card leads to the resource's calendar. */
export function CataloguePage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { memberName, members, isCoordinator, me } = useSession();
  const location = useLocation();
  const kind = (location.query.get('kind') ?? '') as ResourceKind | '';
  const [search, setSearch] = useState('');
  const resources = useLoad(() => api.get<Items<Resource>>('/api/resources'), []);
  // What the user's structure has left this month of each resource's allowance (coordinators book for anyone).
  const allowances = useLoad(
    () => (me.memberId !== null && !isCoordinator ? api.get<Items<MemberAllowance>>(`/api/members/${me.memberId}/allowances`) : Promise.resolve({ items: [] as MemberAllowance[] })),
    [me.memberId],
  );
  const allowanceOf = (id: number) => allowances.data?.items.find((a) => a.resourceId === id);
  // The next page is most likely a calendar: fetch its code while the user reads the list.
  useEffect(() => {
    const idle = window.setTimeout(() => void import('./Calendar').catch(() => undefined), 300);
    return () => window.clearTimeout(idle);
  }, []);

  const visible = useMemo(() => {
    const needle = search.trim().toLocaleLowerCase();
    return (resources.data?.items ?? [])
      .filter((r) => r.active !== false)
      .filter((r) => !kind || r.kind === kind)
      .filter((r) => !needle || `${r.name} ${r.category ?? ''}`.toLocaleLowerCase().includes(needle));
  }, [resources.data, kind, search]);

  const setKind = (next: string) => navigate(next ? `/resources?kind=${next}` : '/resources', { replace: true });
  const knownMember = (id: number) => members.some((m) => m.id === id);

  return (
    <section>
      <PageHeader title={t('catalogue.title')} />
      <SetupChecklist />
      <div class="filters" role="group" aria-label={t('catalogue.filter')}>
        <fieldset class="chips">
          <legend class="visually-hidden">{t('catalogue.filter')}</legend>
          {(['', ...RESOURCE_KINDS] as const).map((k) => (
            <label key={k || 'all'} class={kind === k ? 'chip chip-on' : 'chip'}>
              <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
              {k ? kindLabel(i18n, k) : t('common.all')}
            </label>
          ))}
        </fieldset>
        <div class="field field-inline">
          <label for="catalogue-search">{t('catalogue.search')}</label>
          <input id="catalogue-search" type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        </div>
      </div>
      <ErrorMessage error={resources.error} />
      {resources.loading && !resources.data ? (
        <Loading />
      ) : visible.length === 0 ? (
        <p class="muted empty-state">
          {(resources.data?.items.length ?? 0) > 0 ? (
            t('catalogue.none')
          ) : isCoordinator ? (
            <>
              {t('catalogue.emptyCoordinator')}{' '}
              <a href="/admin/resources" onClick={onLinkClick}>
                {t('catalogue.createFirst')}
              </a>
            </>
          ) : (
            t('catalogue.emptyMember')
          )}
        </p>
      ) : (
        <ul class="cards">
          {visible.map((r) => (
            <li key={r.id} class="card resource-card">
              <p class="card-kicker">
                <span class={`kind-dot kind-${r.kind}`} aria-hidden="true" />
                {kindLabel(i18n, r.kind)}
                {r.category ? ` · ${r.category}` : ''}
              </p>
              <h2 class="card-title">
                <a href={`/resources/${r.id}`} onClick={onLinkClick}>
                  {r.name}
                </a>
              </h2>
              <p class="card-meta">
                {t('catalogue.capacity', { n: r.capacity })}
                {r.granularityMinutes ? ` · ${t('catalogue.granularity', { n: r.granularityMinutes })}` : ''}
              </p>
              {knownMember(r.bearerMemberId) && <p class="card-meta">{t('catalogue.bearer', { name: memberName(r.bearerMemberId) })}</p>}
              {allowanceOf(r.id) && <AllowanceMeter standing={allowanceOf(r.id)!} testId="allowance" />}
              {r.requiresApproval && <StatusBadge kind="pending">{t('catalogue.approval')}</StatusBadge>}
              <a class="button button-primary card-action" href={`/resources/${r.id}`} onClick={onLinkClick}>
                {t('catalogue.open')}
                <span class="visually-hidden"> — {r.name}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
