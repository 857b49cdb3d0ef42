import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/index';
import { api } from '../lib/api';
import { useSession } from '../lib/session';
import { inputValue, wallToIso } from '../lib/time';
import type { Booking, Recurrence, Resource } from '../lib/types';
import { Refusal } from './Refusal';
import { Dialog, FormActions, useNotify } from './ui';

export interface BookingDraft {
  start: number;
  end: number;
}

type Freq = 'none' | Recurrence['freq'];

/** Booking form for a selected slot: times, quantity, note, repeat rule; shows why the server refuses. */
export function BookingDialog(props: { resource: Resource; draft: BookingDraft; onClose(): void; onBooked(): void }) {
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
  const [until, setUntil] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [localError, setLocalError] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setLocalError(null);
    const startIso = wallToIso(start, zone);
    const endIso = wallToIso(end, zone);
    if (!startIso || !endIso || Date.parse(endIso) <= Date.parse(startIso)) {
      setLocalError(t('booking.invalidRange'));
      return;
    }
    const body: Record<string, unknown> = { resourceId: resource.id, start: startIso, end: endIso };
    if (resource.capacity > 1) body.quantity = quantity;
    if (note.trim()) body.note = note.trim();
    if (session.isCoordinator && memberId) body.memberId = memberId;
    if (freq !== 'none') body.recurrence = { freq, interval: 1, until } satisfies Recurrence;
    setBusy(true);
    try {
      const answer = await api.post<Booking>('/api/bookings', body);
      const when = i18n.range(startIso, endIso);
      if (answer.occurrences && answer.occurrences.length > 1) notify(t('booking.createdSeries', { n: answer.occurrences.length }));
      else if (answer.status === 'pending') notify(t('booking.createdPending', { resource: resource.name, when }));
      else notify(t('booking.created', { resource: resource.name, when }));
      props.onBooked();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const stepSeconds = Math.max(60, (resource.granularityMinutes || 15) * 60);
  return (
    <Dialog title={`${t('booking.title')} — ${resource.name}`} open onClose={props.onClose}>
      <form onSubmit={submit} class="form" data-testid="booking-form">
        {localError && (
          <p class="alert alert-error" role="alert">
            {localError}
          </p>
        )}
        <Refusal error={error} />
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
        <div class="form-row">
          <div class="field">
            <label for="booking-freq">{t('booking.recurrence')}</label>
            <select id="booking-freq" value={freq} onChange={(e) => setFreq(e.currentTarget.value as Freq)}>
              <option value="none">{t('booking.recurrence.none')}</option>
              <option value="daily">{t('booking.recurrence.daily')}</option>
              <option value="weekly">{t('booking.recurrence.weekly')}</option>
              <option value="monthly">{t('booking.recurrence.monthly')}</option>
            </select>
          </div>
          {freq !== 'none' && (
            <div class="field">
              <label for="booking-until">{t('booking.until')}</label>
              <input id="booking-until" type="date" required min={start.slice(0, 10)} value={until} onInput={(e) => setUntil(e.currentTarget.value)} />
            </div>
          )}
        </div>
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
