import { Calendar, type EventInput, type EventSourceFuncArg } from '@fullcalendar/core';
import enGbLocale from '@fullcalendar/core/locales/en-gb';
import frLocale from '@fullcalendar/core/locales/fr';
import interactionPlugin from '@fullcalendar/interaction';
import timeGridPlugin from '@fullcalendar/timegrid';
import { useEffect, useRef, useState } from 'preact/hooks';
import { AllowanceMeter } from '../components/AllowanceMeter';
import { BookingDialog, type BookingDraft } from '../components/BookingDialog';
import { defaultDuration, freeSlots, NextFreeSlots } from '../components/FreeSlots';
import { SlotGrid, type GridData } from '../components/SlotGrid';
import { ErrorMessage, Loading, PageHeader, StatusBadge } from '../components/ui';
import { useI18n, type I18n } from '../i18n/index';
import { api } from '../lib/api';
import { calendarRequests, NARROW_CALENDAR } from '../lib/calendar-range';
import { useLoad } from '../lib/hooks';
import { kindLabel, weekdayLabel } from '../lib/labels';
import { onLinkClick } from '../lib/router';
import { useSession, type Session } from '../lib/session';
import { instantOf, wallFromUtcFields, wallString, zonedIso } from '../lib/time';
import { hoursOfDay, type AllowanceStanding, type Availability, type Booking, type FreeSlot, type Items, type Resource, type Slot } from '../lib/types';

const HOUR = 3_600_000;

/** FullCalendar runs in UTC mode and is fed the pole's wall times, so it shows the pole's hours in any browser. */
function toWall(iso: string, zone: string): string {
  return wallString(Date.parse(iso), zone);
}

function calendarDateToMs(date: Date, zone: string): number {
  return instantOf(wallFromUtcFields(date), zone);
}

function hoursSpan(resource: Resource): { min: string; max: string } {
  const ranges = resource.openingHours ? Object.values(resource.openingHours).flat() : [];
  if (!ranges.length) return { min: '00:00', max: '24:00' };
  let min = '24:00';
  let max = '00:00';
  for (const range of ranges) {
    const [from, to] = range as [string, string];
    if (from < min) min = from;
    const end = to === '00:00' ? '24:00' : to;
    if (end > max) max = end;
  }
  // Whole hours around the opening hours, so that the grid reads well.
  const floor = `${min.slice(0, 2)}:00`;
  const ceil = max.endsWith(':00') ? max : `${String(Number(max.slice(0, 2)) + 1).padStart(2, '0')}:00`;
  return { min: floor, max: ceil };
}

function businessHours(resource: Resource) {
  if (!resource.openingHours) return false;
  return Object.entries(resource.openingHours).flatMap(([day, ranges]) =>
    (ranges as [string, string][]).map(([startTime, endTime]) => ({ daysOfWeek: [Number(day) % 7], startTime, endTime: endTime === '00:00' ? '24:00' : endTime })),
  );
}

const durationText = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00`;

/** A booking whose details the user may see: its own structure's (a coordinator's: all); others' are « Occupé ». */
function isMine(booking: Booking, session: Session): boolean {
  return booking.busy === false || (booking.busy === undefined && (session.isCoordinator || booking.memberId === session.me.memberId));
}

function eventsFor(bookings: Booking[], slots: Slot[], resource: Resource, session: Session, i18n: I18n): EventInput[] {
  const { zone, t } = i18n;
  const events: EventInput[] = [];
  const now = Date.now();
  const active = bookings.filter((b) => b.status === 'pending' || b.status === 'confirmed');
  for (const slot of slots) {
    // The past is not bookable (for members) and needs no colour; nor do closed hours, shaded by businessHours.
    const start = Math.max(Date.parse(slot.start), session.isCoordinator ? -Infinity : now);
    const end = Date.parse(slot.end);
    if (end <= start) continue;
    const full = slot.free <= 0;
    if (full && !active.some((b) => Date.parse(b.start) < end && Date.parse(b.end) > start)) continue;
    events.push({
      start: wallString(start, zone),
      end: wallString(end, zone),
      display: 'background',
      title: full ? t('calendar.full') : resource.capacity > 1 ? t('calendar.free', { n: slot.free }) : '',
      classNames: [full ? 'bg-full' : 'bg-free'],
    });
  }
  for (const blackout of resource.blackouts ?? []) {
    events.push({
      start: toWall(blackout.start, zone),
      end: toWall(blackout.end, zone),
      display: 'background',
      title: blackout.reason ? t('calendar.blackout', { reason: blackout.reason }) : t('calendar.blackoutNoReason'),
      classNames: ['bg-blackout'],
    });
  }
  for (const booking of bookings) {
    if (booking.status === 'cancelled' || booking.status === 'rejected') continue;
    const mine = isMine(booking, session);
    const quantity = resource.capacity > 1 ? ` ×${booking.quantity}` : '';
    const title = mine ? `${session.memberName(booking.memberId)}${quantity}${booking.note ? ` — ${booking.note}` : ''}` : `${t('calendar.busy')}${quantity}`;
    const shown = booking.status === 'pending' ? `${title} (${t('status.pending')})` : title;
    const when = i18n.range(booking.start, booking.end);
    events.push({
      id: String(booking.id),
      start: toWall(booking.start, zone),
      end: toWall(booking.end, zone),
      title: shown,
      classNames: [mine ? 'ev-mine' : 'ev-busy', booking.status === 'pending' ? 'ev-pending' : ''],
      // What a keyboard or screen reader user hears on the block (eventDidMount makes it focusable).
      extendedProps: { label: mine ? t('calendar.eventBooked', { title: shown, when }) : t('calendar.eventBusy', { quantity, when }) },
    });
  }
  return events;
}

/** The week and day calendar of one resource: bookings, free capacity and blackouts; select a slot to book it. */
export function CalendarPage({ id }: { id: number }) {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const resource = useLoad(() => api.get<Resource>(`/api/resources/${id}`), [id]);
  const host = useRef<HTMLDivElement>(null);
  const calendar = useRef<Calendar | null>(null);
  const [draft, setDraft] = useState<BookingDraft | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [duration, setDuration] = useState<number | null>(null);
  const [version, setVersion] = useState(0);
  // What the user's structure has left this month of the resource's allowance, as the availability answers it.
  const [allowance, setAllowance] = useState<AllowanceStanding | null>(null);
  // The keyboard grid over the calendar: what was loaded for the shown dates, and a counter of FullCalendar redraws.
  const [gridData, setGridData] = useState<GridData | null>(null);
  const [layout, setLayout] = useState(0);
  const redrawn = () => setLayout((n) => n + 1);
  // The event source reads the latest language and session through refs: FullCalendar keeps the first closure.
  const latest = useRef({ i18n, session });
  latest.current = { i18n, session };

  const r = resource.data;

  useEffect(() => {
    if (!r || !host.current) return;
    const zone = i18n.zone;
    const step = Math.max(5, r.granularityMinutes || 15);
    const span = hoursSpan(r);
    const narrow = window.matchMedia(NARROW_CALENDAR).matches;
    const cal = new Calendar(host.current, {
      plugins: [timeGridPlugin, interactionPlugin],
      timeZone: 'UTC',
      locales: [frLocale, enGbLocale],
      locale: latest.current.i18n.lang === 'fr' ? 'fr' : 'en-gb',
      initialView: narrow ? 'timeGridDay' : 'timeGridWeek',
      now: () => wallString(Date.now(), zone),
      headerToolbar: { left: 'prev,next today', center: 'title', right: 'timeGridWeek,timeGridDay' },
      height: 'auto',
      allDaySlot: false,
      nowIndicator: true,
      slotMinTime: span.min,
      slotMaxTime: span.max,
      scrollTime: '08:00:00',
      slotDuration: durationText(Math.max(step, 30)),
      snapDuration: durationText(step),
      slotLabelFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
      eventTimeFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
      businessHours: businessHours(r),
      selectable: true,
      selectMirror: true,
      unselectAuto: false,
      longPressDelay: 300,
      selectLongPressDelay: 300,
      eventDisplay: 'auto',
      events: (info: EventSourceFuncArg, success, failure) => {
        const from = zonedIso(calendarDateToMs(info.start, zone), zone);
        const to = zonedIso(calendarDateToMs(info.end, zone), zone);
        // The same URLs as the boot's prefetch of a calendar link (lib/calendar-range): the first range is taken from it.
        const urls = calendarRequests(r.id, { from, to });
        Promise.all([api.get<Items<Booking>>(urls.bookings), api.get<Availability>(urls.availability)]).then(
          ([bookings, slots]) => {
            setLoadError(null);
            setAllowance(slots.allowance ?? null);
            setGridData({ slots: slots.items, bookings: bookings.items, blackouts: r.blackouts ?? [] });
            const { i18n: now, session: s } = latest.current;
            success(eventsFor(bookings.items, slots.items, r, s, now));
          },
          (error: Error) => {
            setLoadError(error);
            failure(error);
          },
        );
      },
      // FullCalendar's chevrons are role="img" without a name inside buttons that have one: hide them from assistive tech.
      datesSet: () => {
        host.current?.querySelectorAll('.fc-icon').forEach((icon) => icon.setAttribute('aria-hidden', 'true'));
        redrawn();
      },
      eventsSet: redrawn,
      windowResize: redrawn,
      // A booked block is reachable with Tab and says what is taken, and when.
      eventDidMount: (info) => {
        if (info.event.display === 'background') return;
        info.el.tabIndex = 0;
        info.el.setAttribute('role', 'note');
        info.el.setAttribute('aria-label', String(info.event.extendedProps.label ?? info.event.title));
      },
      select: (info) => {
        setDraft({ start: calendarDateToMs(info.start, zone), end: calendarDateToMs(info.end, zone) });
      },
    });
    cal.render();
    calendar.current = cal;
    return () => {
      cal.destroy();
      calendar.current = null;
    };
  }, [r, i18n.zone]);

  useEffect(() => {
    const cal = calendar.current;
    if (!cal) return;
    cal.setOption('locale', i18n.lang === 'fr' ? 'fr' : 'en-gb');
    cal.refetchEvents();
  }, [i18n.lang]);

  /** A new booking starts on the next free slot of the chosen length (the next hour when nothing is free). */
  const newBooking = async () => {
    const minutes = duration ?? (r ? defaultDuration(r) : 60);
    const slot = r ? await freeSlots([r.id], minutes, { zone: i18n.zone, limit: 1 }).then((s) => s[0], () => undefined) : undefined;
    if (slot) return setDraft({ start: Date.parse(slot.start), end: Date.parse(slot.end) });
    const next = Math.ceil(Date.now() / HOUR) * HOUR;
    setDraft({ start: next, end: next + minutes * 60_000 });
  };
  const pick = (slot: FreeSlot) => setDraft({ start: Date.parse(slot.start), end: Date.parse(slot.end) });
  /** Enter on a slot of the keyboard grid: the booking form from there, for the length chosen beside the calendar. */
  const openAt = (start: number) => setDraft({ start, end: start + (duration ?? (r ? defaultDuration(r) : 60)) * 60_000 });
  const shift = (direction: 1 | -1, week: boolean) => {
    const cal = calendar.current;
    if (!cal) return;
    if (week) cal.incrementDate({ weeks: direction });
    else if (direction > 0) cal.next();
    else cal.prev();
  };
  const refresh = () => {
    calendar.current?.refetchEvents();
    setVersion((v) => v + 1);
  };

  if (resource.error) return <ErrorMessage error={resource.error} />;
  if (!r) return <Loading />;

  return (
    <section class="calendar-page">
      <p class="breadcrumb">
        <a href="/resources" onClick={onLinkClick}>
          ← {t('calendar.back')}
        </a>
      </p>
      <PageHeader title={r.name}>
        <button type="button" class="button button-primary" onClick={() => void newBooking()}>
          {t('calendar.newBooking')}
        </button>
      </PageHeader>
      <p class="muted">{t('calendar.help')}</p>
      {r.requiresApproval && <p class="alert alert-info">{t('booking.approvalNote')}</p>}
      <ErrorMessage error={loadError} />
      <div class="calendar-layout">
        <div class="calendar-stage">
          <div class="calendar-host" ref={host} aria-label={t('calendar.label', { name: r.name })} role="region" data-testid="calendar" />
          <SlotGrid
            host={host.current}
            layout={layout}
            data={gridData}
            slotMinutes={Math.max(5, r.granularityMinutes || 15, 30)}
            capacity={r.capacity}
            mine={(b) => isMine(b, session)}
            past={(end) => !session.isCoordinator && end <= Date.now()}
            onOpen={openAt}
            onShift={shift}
          />
        </div>
        <aside class="calendar-side">
          {allowance && (
            <>
              <h2>{t('allowance.title')}</h2>
              <AllowanceMeter standing={allowance} testId="calendar-allowance" />
            </>
          )}
          <NextFreeSlots resource={r} duration={duration ?? defaultDuration(r)} setDuration={setDuration} onPick={pick} version={version} />
          <h2>{t('calendar.legend')}</h2>
          <ul class="legend">
            <li>
              <span class="swatch swatch-mine" aria-hidden="true" />
              {t('calendar.legendMine')}
            </li>
            <li>
              <span class="swatch swatch-pending" aria-hidden="true" />
              {t('calendar.legendPending')}
            </li>
            <li>
              <span class="swatch swatch-busy" aria-hidden="true" />
              {t('calendar.legendBusy')}
            </li>
            <li>
              <span class="swatch swatch-free" aria-hidden="true" />
              {t('calendar.legendFree')}
            </li>
            <li>
              <span class="swatch swatch-full" aria-hidden="true" />
              {t('calendar.legendFull')}
            </li>
            <li>
              <span class="swatch swatch-blackout" aria-hidden="true" />
              {t('calendar.legendBlackout')}
            </li>
          </ul>
          <h2>{t('calendar.details')}</h2>
          <dl class="details">
            <dt>{t('resources.kind')}</dt>
            <dd>{kindLabel(i18n, r.kind)}</dd>
            <dt>{t('resources.capacity')}</dt>
            <dd>{r.capacity}</dd>
            <dt>{t('resources.granularity')}</dt>
            <dd>{r.granularityMinutes}</dd>
            {r.requiresApproval && (
              <>
                <dt>{t('common.status')}</dt>
                <dd>
                  <StatusBadge kind="pending">{t('catalogue.approval')}</StatusBadge>
                </dd>
              </>
            )}
          </dl>
          <h2>{t('calendar.openingHours')}</h2>
          {r.openingHours ? (
            <ul class="hours">
              {[1, 2, 3, 4, 5, 6, 7].map((day) => {
                const ranges = hoursOfDay(r.openingHours, day);
                return (
                  <li key={day}>
                    <span>{weekdayLabel(i18n, day)}</span>
                    <span>{ranges.length ? ranges.map(([a, b]) => `${a}–${b}`).join(', ') : t('calendar.closed')}</span>
                  </li>
                );
              })}
            </ul>
          ) : (
            <p>{t('calendar.alwaysOpen')}</p>
          )}
        </aside>
      </div>
      {draft && (
        <BookingDialog
          resource={r}
          draft={draft}
          allowance={allowance}
          onClose={() => {
            setDraft(null);
            calendar.current?.unselect();
          }}
          onBooked={() => {
            setDraft(null);
            calendar.current?.unselect();
            refresh();
          }}
          onChanged={refresh}
        />
      )}
    </section>
  );
}
