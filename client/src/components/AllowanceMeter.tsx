import { useI18n } from '../i18n/index';
import type { AllowanceStanding } from '../lib/types';

/**
 * What the structure has left of a resource's monthly allowance: « Reste 9 h 30 sur 10 h en novembre 2026 », a
 * meter, and what happens past it (refused, or sent for approval).
 */
export function AllowanceMeter({ standing, testId }: { standing: AllowanceStanding; testId?: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const left = t('allowance.left', { left: i18n.duration(standing.remainingMinutes), total: i18n.duration(standing.allowanceMinutes), month: i18n.month(standing.month) });
  return (
    <span class="allowance-meter" data-testid={testId}>
      <span>{left}</span>
      <meter min={0} max={Math.max(1, standing.allowanceMinutes)} low={standing.allowanceMinutes * 0.2} optimum={standing.allowanceMinutes} value={standing.remainingMinutes} aria-label={left} />
      <span class="muted small">{t(standing.limit === 'hard' ? 'allowance.hard' : 'allowance.soft')}</span>
    </span>
  );
}
