import { useState } from 'preact/hooks';
import { ErrorMessage, FormActions, PageHeader, useFormSubmit, useNotify } from '../components/ui';
import { useI18n } from '../i18n/index';
import { api } from '../lib/api';
import { useSession } from '../lib/session';
import type { Pole } from '../lib/types';

/** Time zones a French pole may live in: metropolitan France and the overseas departments and territories. */
const ZONES = [
  'Europe/Paris',
  'America/Guadeloupe',
  'America/Martinique',
  'America/Cayenne',
  'America/Miquelon',
  'Indian/Reunion',
  'Indian/Mayotte',
  'Pacific/Noumea',
  'Pacific/Tahiti',
  'Pacific/Wallis',
];

/** The pole's own settings: its name, time zone, carrying structure, payment terms. */
export function PoleSettingsPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const notify = useNotify();
  const pole = session.pole;
  const [name, setName] = useState(pole.name);
  const [timeZone, setTimeZone] = useState(pole.timeZone);
  const [carrier, setCarrier] = useState<number | ''>(pole.carrierMemberId ?? '');
  const [terms, setTerms] = useState(pole.paymentTermsDays ?? 30);
  const [penalty, setPenalty] = useState(((pole.latePenaltyRateBp ?? 0) / 100).toString());
  const zones = ZONES.includes(pole.timeZone) ? ZONES : [pole.timeZone, ...ZONES];

  const { error, busy, onSubmit } = useFormSubmit(async () => {
    const rate = Number(penalty.replace(',', '.'));
    if (!Number.isFinite(rate) || rate < 0 || rate > 100) throw new Error(t('settings.badPenalty'));
    await api.patch<Pole>('/api/pole', {
      name: name.trim(),
      timeZone,
      carrierMemberId: carrier === '' ? null : carrier,
      paymentTermsDays: terms,
      latePenaltyRateBp: Math.round(rate * 100),
    });
    session.reloadPole();
    notify(t('common.saved'));
  });

  return (
    <section>
      <PageHeader title={t('settings.title')} />
      <form class="form card section narrow-form" onSubmit={onSubmit} data-testid="pole-settings">
        <ErrorMessage error={error} />
        <div class="field">
          <label for="pole-name">{t('settings.name')}</label>
          <input id="pole-name" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="pole-zone">{t('settings.timeZone')}</label>
          <select id="pole-zone" value={timeZone} onChange={(e) => setTimeZone(e.currentTarget.value)} aria-describedby="pole-zone-hint">
            {zones.map((z) => (
              <option key={z} value={z}>
                {z.replace('_', ' ')}
              </option>
            ))}
          </select>
          <small id="pole-zone-hint" class="hint">
            {t('settings.timeZoneHint')}
          </small>
        </div>
        <div class="field">
          <label for="pole-carrier">{t('settings.carrier')}</label>
          <select id="pole-carrier" value={String(carrier)} onChange={(e) => setCarrier(e.currentTarget.value ? Number(e.currentTarget.value) : '')} aria-describedby="pole-carrier-hint">
            <option value="">{t('settings.noCarrier')}</option>
            {session.members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
          <small id="pole-carrier-hint" class="hint">
            {t('settings.carrierHint')}
          </small>
        </div>
        <div class="form-row">
          <div class="field">
            <label for="pole-terms">{t('settings.terms')}</label>
            <input id="pole-terms" type="number" min={0} max={60} required value={terms} onInput={(e) => setTerms(Number(e.currentTarget.value))} />
          </div>
          <div class="field">
            <label for="pole-penalty">{t('settings.penalty')}</label>
            <input id="pole-penalty" inputMode="decimal" required value={penalty} onInput={(e) => setPenalty(e.currentTarget.value)} />
          </div>
        </div>
        <FormActions onCancel={() => history.back()} busy={busy} submitLabel={t('common.save')} />
      </form>
    </section>
  );
}
