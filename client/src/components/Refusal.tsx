import { useI18n } from '../i18n/index';
import { ApiError } from '../lib/api';

interface ConflictDetail {
  start?: string;
  end?: string;
  /** Why this slot or occurrence is refused: capacity, month_closed, in_blackout… */
  reason?: string;
  free?: number;
}

/** The conflicting slots a refusal names: `details.conflicts` of `booking.conflict` (one per clashing occurrence). */
export function conflictsOf(error: unknown): ConflictDetail[] {
  if (!(error instanceof ApiError)) return [];
  const details = error.details as { conflicts?: unknown } | undefined;
  return Array.isArray(details?.conflicts) ? (details.conflicts as ConflictDetail[]) : [];
}

/** Why the server refused a booking, in the user's language, with every conflicting slot listed. */
export function Refusal({ error }: { error: unknown }) {
  const i18n = useI18n();
  const { t } = i18n;
  if (!error) return null;
  const conflicts = conflictsOf(error);
  const shown = conflicts.slice(0, 20);
  // A refused series says how many of its occurrences clash (details.occurrences is the series' size).
  const total = error instanceof ApiError ? (error.details as { occurrences?: unknown } | undefined)?.occurrences : undefined;
  return (
    <div class="alert alert-error refusal" role="alert" data-testid="booking-refusal">
      <strong>{t('booking.refused')}</strong>
      <p>{typeof total === 'number' ? t('booking.seriesConflict', { n: conflicts.length, total }) : i18n.errorText(error)}</p>
      {conflicts.length > 0 && (
        <>
          <p>{t('booking.conflicts')}</p>
          <ul>
            {shown.map((c, index) => {
              const when = c.start && c.end ? i18n.range(c.start, c.end) : `#${index + 1}`;
              const reason = c.reason ? (i18n.codeText(`reason.${c.reason}`) ?? c.reason) : null;
              return (
                <li key={index}>
                  {typeof c.free === 'number' ? t('booking.conflictItem', { when, free: c.free }) : when}
                  {reason && c.reason !== 'capacity' ? ` — ${reason}` : ''}
                </li>
              );
            })}
            {conflicts.length > shown.length && <li>…</li>}
          </ul>
        </>
      )}
    </div>
  );
}
