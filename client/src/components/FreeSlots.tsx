import { useI18n } from '../i18n/index';
import { api } from '../lib/api';
import { useLoad } from '../lib/hooks';
import type { FreeSlot, Items, Resource } from '../lib/types';
import { zonedIso } from '../lib/time';
import { ErrorMessage, Loading } from './ui';

export const freeSlots = (resourceIds: number[], durationMinutes: number, options: { from?: number; limit?: number; zone: string }) =>
  api
    .get<Items<FreeSlot>>('/api/availability/next', {
      resourceIds: resourceIds.join(','),
      durationMinutes,
      limit: options.limit ?? 5,
      from: options.from === undefined ? undefined : zonedIso(options.from, options.zone),
    })
    .then((r) => r.items);

/** The three free slots nearest to `around` (before or after it), in time order. */
export async function nearestFreeSlots(resourceId: number, durationMinutes: number, around: number, zone: string): Promise<FreeSlot[]> {
  const slots = await freeSlots([resourceId], durationMinutes, { from: Math.max(Date.now(), around - 12 * 3_600_000), limit: 15, zone });
  return slots
    .sort((a, b) => Math.abs(Date.parse(a.start) - around) - Math.abs(Date.parse(b.start) - around))
    .slice(0, 3)
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}

/** A list of slots as buttons: one click (or Enter) takes one. */
export function SlotButtons(props: { slots: FreeSlot[]; onPick(slot: FreeSlot): void; label: string; resources?: Resource[]; testId?: string }) {
  const i18n = useI18n();
  const nameOf = (id: number) => props.resources?.find((r) => r.id === id)?.name;
  return (
    <ul class="free-slots" aria-label={props.label} data-testid={props.testId}>
      {props.slots.map((slot) => {
        const name = props.resources && props.resources.length > 1 ? nameOf(slot.resourceId) : undefined;
        return (
          <li key={`${slot.resourceId}-${slot.start}`}>
            <button type="button" class="button button-small slot-button" onClick={() => props.onPick(slot)}>
              {name ? `${name} — ` : ''}
              {i18n.range(slot.start, slot.end)}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

/** Durations offered for a resource: multiples of its step within its minimum and maximum. */
export function durationChoices(resource: Resource): number[] {
  const step = Math.max(1, resource.granularityMinutes || 15);
  const min = resource.minMinutes ?? step;
  const max = resource.maxMinutes ?? 24 * 60;
  const wanted = [30, 60, 90, 120, 180, 240, 480];
  const out = wanted.filter((m) => m % step === 0 && m >= min && m <= max);
  if (!out.length) out.push(Math.ceil(min / step) * step);
  return out;
}

/** The duration a new booking starts with: an hour when the resource allows it. */
export function defaultDuration(resource: Resource): number {
  const choices = durationChoices(resource);
  return choices.includes(60) ? 60 : choices[0]!;
}

/** « Prochains créneaux libres »: the keyboard way to book, and a quick look ahead. */
export function NextFreeSlots(props: { resource: Resource; duration: number; setDuration(minutes: number): void; onPick(slot: FreeSlot): void; version: number }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { resource } = props;
  const slots = useLoad(() => freeSlots([resource.id], props.duration, { zone: i18n.zone, limit: 5 }), [resource.id, props.duration, props.version]);
  return (
    <section class="next-slots" aria-labelledby="next-slots-title">
      <h2 id="next-slots-title">{t('slots.title')}</h2>
      <div class="field">
        <label for="next-slots-duration">{t('slots.duration')}</label>
        <select id="next-slots-duration" value={props.duration} onChange={(e) => props.setDuration(Number(e.currentTarget.value))}>
          {durationChoices(resource).map((m) => (
            <option key={m} value={m}>
              {i18n.duration(m)}
            </option>
          ))}
        </select>
      </div>
      <ErrorMessage error={slots.error} />
      {slots.data === undefined ? (
        <Loading />
      ) : slots.data.length === 0 ? (
        <p class="muted">{t('slots.none')}</p>
      ) : (
        <SlotButtons slots={slots.data} onPick={props.onPick} label={t('slots.title')} testId="next-slots" />
      )}
    </section>
  );
}
