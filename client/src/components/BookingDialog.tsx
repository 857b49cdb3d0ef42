import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n/index';
import { api, ApiError } from '../lib/api';
import { useSession } from '../lib/session';
import { inputValue, wallToIso } from '../lib/time';
import type { AllowanceStanding, Booking, FreeSlot, Items, Recurrence, Resource, SkippedOccurrence } from '../lib/types';
import { AllowanceMeter } from './AllowanceMeter';
import { nearestFreeSlots, SlotButtons } from './FreeSlots';
import { Refusal } from './Refusal';
import { Dialog, FormActions, useNotify } from './ui';

export interface BookingDraft {
  start: number;
  end: number;
}

type Freq = 'none' | 'workdays' | Recurrence['freq'];
type End = 'until' | 'count';

/** What the calendar knows of a refused slot: the bookings really in the way, and the nearest free slots. */
interface RefusalHelp {
  taken: { start: string; end: string }[];
  slots: FreeSlot[];
}

/**
 * What a booking will cost where the resource's rule says it in advance (an hourly rate): minutes × quantity ×
 * rate, rounded half up to the cent as the close does. Other rules share a cost known only at the month's end.
 */
export function estimatedCost(resource: Resource, startIso: string | null, endIso: string | null, quantity: number): { cents: number; minutes: number; rateCents: number } | null {
  const rate = resource.allocation?.rule === 'rate' ? resource.allocation.rateCents : null;
  if (!rate || !startIso || !endIso) return null;
  const minutes = ((Date.parse(endIso) - Date.parse(startIso)) / 60_000) * quantity;
  if (!(minutes > 0)) return null;
  return { cents: Math.floor((rate * minutes * 2 + 60) / 120), minutes, rateCents: rate };
}

/** Booking form for a selected slot: times, quantity, note, repeat rule; says why the server refuses and what is free. */
export function BookingDialog(props: { resource: Resource; draft: BookingDraft; allowance?: AllowanceStanding | null; onClose(): void; onBooked(): void; onChanged?(): void }) {
  const i18n = useI18n();
  const { t, zone } = i18n;
  const session = useSession();
  const notify = useNotify();
  const { resource } = props;
  const [start, setStart] = useState(inputValue(props.draft.start, zone));
  const [end, setEnd] = useState(inputValue(props.draft.end, zone));
  const [quantity, setQuantity] = useState(1);
  const [note, setNote] = useState('');
  const defaultMember = session.me.memberId ?? session.pole.carrierMemberId ?? session.members[0]?.id ?? null;
  const [memberId, setMemberId] = useState<number | null>(defaultMember);
  const [freq, setFreq] = useState<Freq>('none');
  const [interval, setInterval] = useState(1);
  const [endKind, setEndKind] = useState<End>('until');
  const [until, setUntil] = useState('');
  const [count, setCount] = useState(4);
  const [onlyFree, setOnlyFree] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [help, setHelp] = useState<RefusalHelp | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const [skipped, setSkipped] = useState<{ booked: number; skipped: SkippedOccurrence[] } | null>(null);

  useEffect(() => setHelp(null), [start, end]);

  /** After a refusal of one slot: the bookings it runs into and the three nearest free slots of the same length. */
  const explain = async (startIso: string, endIso: string) => {
    const s = Date.parse(startIso);
    const e = Date.parse(endIso);
    const [taken, slots] = await Promise.all([
      api.get<Items<Booking>>('/api/bookings', { resourceId: resource.id, from: startIso, to: endIso }),
      nearestFreeSlots(resource.id, Math.round((e - s) / 60_000), s, zone).catch(() => [] as FreeSlot[]),
    ]);
    const active = taken.items.filter((b) => b.status === 'pending' || b.status === 'confirmed');
    setHelp({ taken: active.map((b) => ({ start: b.start, end: b.end })), slots });
  };

  const book = async (startIso: string, endIso: string) => {
    setError(null);
    setLocalError(null);
    setHelp(null);
    const body: Record<string, unknown> = { resourceId: resource.id, start: startIso, end: endIso };
    if (resource.capacity > 1) body.quantity = quantity;
    if (note.trim()) body.note = note.trim();
    if (session.isCoordinator && memberId) body.memberId = memberId;
    if (freq !== 'none') {
      const rule: Recurrence = freq === 'workdays' ? { freq: 'daily', weekdays: [1, 2, 3, 4, 5] } : { freq, interval };
      if (endKind === 'until') rule.until = until;
      else rule.count = count;
      body.recurrence = rule;
      if (onlyFree) body.skipConflicts = true;
    }
    setBusy(true);
    try {
      const answer = await api.post<Booking>('/api/bookings', body);
      const when = i18n.range(startIso, endIso);
      if (answer.skipped && answer.skipped.length > 0) {
        setSkipped({ booked: answer.occurrences?.length ?? 1, skipped: answer.skipped });
        setBusy(false);
        props.onChanged?.();
        return;
      }
      if (answer.occurrences && answer.occurrences.length > 1) notify(t('booking.createdSeries', { n: answer.occurrences.length }));
      else if (answer.status === 'pending') notify(t('booking.createdPending', { resource: resource.name, when }));
      else notify(t('booking.created', { resource: resource.name, when }));
      props.onBooked();
    } catch (err) {
      setError(err);
      setBusy(false);
      if (!body.recurrence && err instanceof ApiError && (err.code === 'booking.conflict' || err.code.startsWith('booking.'))) void explain(startIso, endIso).catch(() => undefined);
    }
  };

  const submit = (event: Event) => {
    event.preventDefault();
    const startIso = wallToIso(start, zone);
    const endIso = wallToIso(end, zone);
    if (!startIso || !endIso || Date.parse(endIso) <= Date.parse(startIso)) {
      setLocalError(t('booking.invalidRange'));
      return;
    }
    void book(startIso, endIso);
  };

  /** One click on a proposed slot books it. */
  const take = (slot: FreeSlot) => {
    setStart(inputValue(Date.parse(slot.start), zone));
    setEnd(inputValue(Date.parse(slot.end), zone));
    void book(slot.start, slot.end);
  };

  const stepSeconds = Math.max(60, (resource.granularityMinutes || 15) * 60);
  const estimate = estimatedCost(resource, wallToIso(start, zone), wallToIso(end, zone), resource.capacity > 1 ? quantity : 1);
  const title = `${t('booking.title')} — ${resource.name}`;
  if (skipped) {
    return (
      <Dialog title={title} open onClose={props.onBooked}>
        <div class="alert alert-info" role="status" data-testid="booking-skipped">
          <p>
            <strong>{t('booking.partialSeries', { n: skipped.booked })}</strong>
          </p>
          <p>{t('booking.skippedDates', { n: skipped.skipped.length })}</p>
          <ul>
            {skipped.skipped.map((s) => (
              <li key={s.start}>
                {i18n.range(s.start, s.end)} — {i18n.codeText(`reason.${s.reason}`) ?? s.reason}
              </li>
            ))}
          </ul>
        </div>
        <div class="form-actions">
          <button type="button" class="button button-primary" onClick={props.onBooked}>
            {t('common.close')}
          </button>
        </div>
      </Dialog>
    );
  }
  return (
    <Dialog title={title} open onClose={props.onClose}>
      <form onSubmit={submit} class="form" data-testid="booking-form">
        {localError && (
          <p class="alert alert-error" role="alert">
            {localError}
          </p>
        )}
        <Refusal error={error} />
        {help && (
          <div class="refusal-help" data-testid="refusal-help">
            {help.taken.length > 0 && (
              <p>
                {t('booking.takenBy')}{' '}
                {help.taken.map((b, i) => (
                  <span key={b.start}>
                    {i > 0 ? ', ' : ''}
                    <strong>{i18n.range(b.start, b.end)}</strong>
                  </span>
                ))}
              </p>
            )}
            {help.slots.length > 0 ? (
              <>
                <p id="nearest-slots-title">{t('booking.nearestSlots')}</p>
                <SlotButtons slots={help.slots} onPick={take} label={t('booking.nearestSlots')} testId="nearest-slots" />
              </>
            ) : (
              <p>{t('slots.none')}</p>
            )}
          </div>
        )}
        <div class="form-row">
          <div class="field">
            <label for="booking-start">{t('booking.start')}</label>
            <input id="booking-start" type="datetime-local" required step={stepSeconds} value={start} onInput={(e) => setStart(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="booking-end">{t('booking.end')}</label>
            <input id="booking-end" type="datetime-local" required step={stepSeconds} value={end} onInput={(e) => setEnd(e.currentTarget.value)} />
          </div>
        </div>
        <p class="hint">{t('booking.granularity', { n: resource.granularityMinutes })}</p>
        {props.allowance && <AllowanceMeter standing={props.allowance} testId="booking-allowance" />}
        {estimate !== null && (
          <p class="estimate" data-testid="booking-estimate">
            {t('booking.estimate', { amount: i18n.money(estimate.cents), h: i18n.hours(estimate.minutes), rate: i18n.money(estimate.rateCents) })}
          </p>
        )}
        {resource.capacity > 1 && (
          <div class="field">
            <label for="booking-quantity">{t('booking.quantity', { capacity: resource.capacity })}</label>
            <input
              id="booking-quantity"
              type="number"
              min={1}
              max={resource.capacity}
              required
              value={quantity}
              onInput={(e) => setQuantity(Number(e.currentTarget.value) || 1)}
            />
          </div>
        )}
        {session.isCoordinator && (
          <div class="field">
            <label for="booking-member">{t('booking.member')}</label>
            <select id="booking-member" value={memberId ?? ''} onChange={(e) => setMemberId(Number(e.currentTarget.value))}>
              {session.members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <fieldset class="fieldset">
          <legend>{t('booking.recurrence')}</legend>
          <div class="form-row">
            <div class="field">
              <label for="booking-freq">{t('booking.recurrence.kind')}</label>
              <select id="booking-freq" value={freq} onChange={(e) => setFreq(e.currentTarget.value as Freq)}>
                <option value="none">{t('booking.recurrence.none')}</option>
                <option value="daily">{t('booking.recurrence.daily')}</option>
                <option value="workdays">{t('booking.recurrence.workdays')}</option>
                <option value="weekly">{t('booking.recurrence.weekly')}</option>
                <option value="monthly">{t('booking.recurrence.monthly')}</option>
              </select>
            </div>
            {(freq === 'daily' || freq === 'weekly' || freq === 'monthly') && (
              <div class="field">
                <label for="booking-interval">{t(`booking.interval.${freq}`)}</label>
                <input id="booking-interval" type="number" min={1} max={52} required value={interval} onInput={(e) => setInterval(Number(e.currentTarget.value) || 1)} />
              </div>
            )}
          </div>
          {freq !== 'none' && (
            <>
              <div class="form-row">
                <div class="field">
                  <label for="booking-end-kind">{t('booking.endKind')}</label>
                  <select id="booking-end-kind" value={endKind} onChange={(e) => setEndKind(e.currentTarget.value as End)}>
                    <option value="until">{t('booking.endKind.until')}</option>
                    <option value="count">{t('booking.endKind.count')}</option>
                  </select>
                </div>
                {endKind === 'until' ? (
                  <div class="field">
                    <label for="booking-until">{t('booking.until')}</label>
                    <input id="booking-until" type="date" required min={start.slice(0, 10)} value={until} onInput={(e) => setUntil(e.currentTarget.value)} />
                  </div>
                ) : (
                  <div class="field">
                    <label for="booking-count">{t('booking.count')}</label>
                    <input id="booking-count" type="number" min={1} max={366} required value={count} onInput={(e) => setCount(Number(e.currentTarget.value) || 1)} />
                  </div>
                )}
              </div>
              <div class="field field-check">
                <input id="booking-only-free" type="checkbox" checked={onlyFree} onChange={(e) => setOnlyFree(e.currentTarget.checked)} aria-describedby="booking-only-free-hint" />
                <label for="booking-only-free">{t('booking.onlyFree')}</label>
              </div>
              <p class="hint" id="booking-only-free-hint">
                {onlyFree ? t('booking.onlyFreeHint') : t('booking.allOrNothingHint')}
              </p>
            </>
          )}
        </fieldset>
        <div class="field">
          <label for="booking-note">
            {t('booking.note')} <span class="muted">{t('common.optional')}</span>
          </label>
          <textarea id="booking-note" rows={2} maxLength={1000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        </div>
        {resource.requiresApproval && <p class="hint">{t('booking.approvalNote')}</p>}
        <FormActions onCancel={props.onClose} busy={busy} submitLabel={busy ? t('booking.submitting') : t('booking.submit')} />
      </form>
    </Dialog>
  );
}
