import { useMemo, useState } from 'preact/hooks';
import { Refusal } from '../components/Refusal';
import { DataTable, type Column } from '../components/DataTable';
import { Dialog, FormActions, PageHeader, StatusBadge, useConfirm, useFormSubmit, useNotify } from '../components/ui';
import { useI18n } from '../i18n/index';
import { api } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { statusLabel } from '../lib/labels';
import { onLinkClick } from '../lib/router';
import { useSession } from '../lib/session';
import { inputValue, wallToIso, zonedIso } from '../lib/time';
import type { Booking, Items, Resource, User } from '../lib/types';
import { ShowMore, usePaged } from '../components/ShowMore';

const DAY = 86_400_000;
type Period = 'upcoming' | 'past';

/** The structure's bookings (all of them for coordinators): move or cancel one occurrence, or cancel a series. */
export function BookingsPage() {
  const i18n = useI18n();
  const { t, zone } = i18n;
  const session = useSession();
  const notify = useNotify();
  const confirm = useConfirm();
  const [period, setPeriod] = useState<Period>('upcoming');
  const [memberFilter, setMemberFilter] = useState<number | ''>(session.me.memberId ?? '');
  const [moving, setMoving] = useState<Booking | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [search, setSearch] = useState('');

  const range = useMemo(() => {
    const now = Date.now();
    return period === 'upcoming' ? { from: now - DAY, to: now + 120 * DAY } : { from: now - 120 * DAY, to: now };
  }, [period]);
  const resources = useLoad(() => api.get<Items<Resource>>('/api/resources'), []);
  // Who booked: admins see their structure's users (coordinators everyone's); a member knows only itself.
  const users = useLoad(() => (session.isAdmin ? api.get<Items<User>>('/api/users') : Promise.resolve({ items: [session.me as unknown as User] })), [session.isAdmin]);
  const bookedBy = (id: number | null | undefined) => (id === session.me.id ? t('bookings.you') : (users.data?.items.find((u) => u.id === id)?.name ?? '—'));
  const bookings = useLoad(
    () =>
      api.get<Items<Booking>>('/api/bookings', {
        from: zonedIso(range.from, zone),
        to: zonedIso(range.to, zone),
        memberId: memberFilter === '' ? undefined : memberFilter,
      }),
    [range, memberFilter, zone],
  );

  const resourceName = (id: number) => resources.data?.items.find((r) => r.id === id)?.name ?? `#${id}`;
  const rows = useMemo(() => {
    const now = Date.now();
    const words = search.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
    // « À venir » is what has not ended yet; « Passées » what has ended (the query overlaps a day either way).
    const list = (bookings.data?.items ?? [])
      .filter((b) => !b.busy)
      .filter((b) => (period === 'upcoming' ? Date.parse(b.end) > now : Date.parse(b.end) <= now))
      .filter((b) => {
        if (!words.length) return true;
        const text = `${resourceName(b.resourceId)} ${b.note ?? ''} ${session.memberName(b.memberId)} ${bookedBy(b.userId)} ${i18n.range(b.start, b.end)}`.toLocaleLowerCase();
        return words.every((w) => text.includes(w));
      });
    list.sort((a, b) => (period === 'upcoming' ? a.start.localeCompare(b.start) : b.start.localeCompare(a.start)));
    return list;
  }, [bookings.data, period, search, resources.data, users.data, i18n]);
  const paged = usePaged(rows, 25, [period, search, memberFilter]);

  const active = (b: Booking) => (b.status === 'pending' || b.status === 'confirmed') && (session.isCoordinator || Date.parse(b.start) > Date.now());

  const cancel = async (b: Booking, scope: 'occurrence' | 'series') => {
    const when = i18n.range(b.start, b.end);
    const ok = await confirm(
      scope === 'series' ? t('bookings.cancelSeriesConfirm') : t('bookings.cancelConfirm', { when }),
      scope === 'series' ? t('bookings.cancelSeries') : t('bookings.cancelThis'),
      t('bookings.keep'),
    );
    if (!ok) return;
    setActionError(null);
    try {
      await api.del(`/api/bookings/${b.id}`, scope === 'series' ? { scope: 'series' } : undefined);
      notify(scope === 'series' ? t('bookings.seriesCancelled') : t('bookings.cancelled'));
      bookings.reload();
    } catch (err) {
      setActionError(err);
    }
  };

  const columns: Column<Booking>[] = [
    {
      label: t('common.resource'),
      cell: (b) => (
        <>
          <a href={`/resources/${b.resourceId}`} onClick={onLinkClick}>
            {resourceName(b.resourceId)}
          </a>
          {b.seriesId ? <span class="muted"> · {t('bookings.series')}</span> : null}
        </>
      ),
    },
    { label: t('bookings.when'), cell: (b) => i18n.range(b.start, b.end) },
    ...(session.isCoordinator ? [{ label: t('common.member'), cell: (b: Booking) => session.memberName(b.memberId) }] : []),
    { label: t('bookings.bookedBy'), cell: (b) => bookedBy(b.userId) },
    { label: t('bookings.quantity'), cell: (b) => b.quantity },
    { label: t('common.status'), cell: (b) => <StatusBadge kind={b.status}>{statusLabel(i18n, b.status)}</StatusBadge> },
    { label: t('bookings.note'), cell: (b) => b.note ?? '' },
    {
      label: t('common.actions'),
      class: 'actions',
      cell: (b) =>
        active(b) && (
          <>
            <button type="button" class="button button-small" onClick={() => setMoving(b)}>
              {t('bookings.move')}
            </button>
            <button type="button" class="button button-small button-danger" onClick={() => cancel(b, 'occurrence')}>
              {t('bookings.cancel')}
            </button>
            {b.seriesId ? (
              <button type="button" class="button button-small button-danger" onClick={() => cancel(b, 'series')}>
                {t('bookings.cancelSeries')}
              </button>
            ) : null}
          </>
        ),
    },
  ];

  const title = session.me.memberId ? t('bookings.title', { member: session.memberName(session.me.memberId) }) : t('bookings.titleAll');
  return (
    <section>
      <PageHeader title={title} />
      <div class="filters">
        <div class="segmented" role="group" aria-label={t('bookings.period')}>
          {(['upcoming', 'past'] as const).map((p) => (
            <button key={p} type="button" class={period === p ? 'button button-on' : 'button'} aria-pressed={period === p} onClick={() => setPeriod(p)}>
              {t(p === 'upcoming' ? 'bookings.upcoming' : 'bookings.past')}
            </button>
          ))}
        </div>
        {session.isCoordinator && (
          <div class="field field-inline">
            <label for="bookings-member">{t('common.member')}</label>
            <select id="bookings-member" value={String(memberFilter)} onChange={(e) => setMemberFilter(e.currentTarget.value ? Number(e.currentTarget.value) : '')}>
              <option value="">{t('common.all')}</option>
              {session.members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="field field-inline">
          <label for="bookings-search">{t('common.search')}</label>
          <input id="bookings-search" type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} placeholder={t('bookings.searchHint')} />
        </div>
      </div>
      <Refusal error={actionError} />
      <DataTable
        label={title}
        testId="bookings"
        stack
        columns={columns}
        rows={bookings.data && paged.shown}
        rowKey={(b) => b.id}
        loading={bookings.loading}
        error={bookings.error ?? resources.error}
        empty={
          <>
            {search ? t('common.noMatch') : t('bookings.none')}{' '}
            {!search && (
              <a href="/resources" onClick={onLinkClick}>
                {t('bookings.bookSomething')}
              </a>
            )}
          </>
        }
      />
      <ShowMore paged={paged} />
      {moving && (
        <MoveDialog
          booking={moving}
          resource={resources.data?.items.find((r) => r.id === moving.resourceId)}
          onClose={() => setMoving(null)}
          onMoved={() => {
            setMoving(null);
            notify(t('bookings.moved'));
            bookings.reload();
          }}
        />
      )}
    </section>
  );
}

function MoveDialog(props: { booking: Booking; resource: Resource | undefined; onClose(): void; onMoved(): void }) {
  const { t, zone } = useI18n();
  const [start, setStart] = useState(inputValue(Date.parse(props.booking.start), zone));
  const [end, setEnd] = useState(inputValue(Date.parse(props.booking.end), zone));
  const step = Math.max(60, (props.resource?.granularityMinutes ?? 15) * 60);

  const { error, busy, onSubmit } = useFormSubmit(async () => {
    const startIso = wallToIso(start, zone);
    const endIso = wallToIso(end, zone);
    if (!startIso || !endIso || Date.parse(endIso) <= Date.parse(startIso)) throw new Error(t('booking.invalidRange'));
    await api.patch(`/api/bookings/${props.booking.id}`, { start: startIso, end: endIso });
    props.onMoved();
  });

  return (
    <Dialog title={`${t('bookings.moveTitle')}${props.resource ? ` — ${props.resource.name}` : ''}`} open onClose={props.onClose}>
      <form class="form" onSubmit={onSubmit}>
        <Refusal error={error} />
        <div class="form-row">
          <div class="field">
            <label for="move-start">{t('booking.start')}</label>
            <input id="move-start" type="datetime-local" required step={step} value={start} onInput={(e) => setStart(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="move-end">{t('booking.end')}</label>
            <input id="move-end" type="datetime-local" required step={step} value={end} onInput={(e) => setEnd(e.currentTarget.value)} />
          </div>
        </div>
        {props.booking.seriesId ? <p class="hint">{t('bookings.scopeOne')}</p> : null}
        <FormActions onCancel={props.onClose} busy={busy} submitLabel={t('bookings.moveSubmit')} />
      </form>
    </Dialog>
  );
}
