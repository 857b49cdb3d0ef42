import { useEffect, useState } from 'preact/hooks';
import { CheckboxField, ErrorMessage, Field, Loading, PageHeader, SelectField, useFormSubmit, useNotify } from '../components/ui';
import { useI18n, type MessageKey } from '../i18n/index';
import { api } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { useSession } from '../lib/session';
import type { MailSettings, NotificationKind, NotificationPreferences } from '../lib/types';

/** Everyone's mail settings (language, which notifications, immediate or daily digest); a structure's admin also sets its accountant's copy. */
export function NotificationsPage() {
  const { t } = useI18n();
  const session = useSession();
  const prefs = useLoad(() => api.get<NotificationPreferences>(`/api/users/${session.me.id}/notifications`), []);
  return (
    <section>
      <PageHeader title={t('notifications.title')} />
      <p class="muted">{t('notifications.intro')}</p>
      <ErrorMessage error={prefs.error} />
      {prefs.data ? <PreferencesForm userId={session.me.id} initial={prefs.data} /> : prefs.loading && <Loading />}
      {session.me.role === 'member_admin' && session.me.memberId !== null && <AccountantForm memberId={session.me.memberId} />}
    </section>
  );
}

function PreferencesForm({ userId, initial }: { userId: number; initial: NotificationPreferences }) {
  const { t } = useI18n();
  const notify = useNotify();
  const [lang, setLang] = useState(initial.lang);
  const [mode, setMode] = useState(initial.mode);
  const [disabled, setDisabled] = useState<NotificationKind[]>(initial.disabled);
  const { error, busy, onSubmit } = useFormSubmit(async () => {
    await api.put(`/api/users/${userId}/notifications`, { lang, mode, disabled });
    notify(t('common.saved'));
  });
  return (
    <form class="card form" onSubmit={onSubmit} data-testid="notification-preferences">
      <ErrorMessage error={error} />
      <SelectField label={t('notifications.lang')} value={lang} onChange={(v) => setLang(v as 'fr' | 'en')} options={[{ value: 'fr', label: 'Français' }, { value: 'en', label: 'English' }]} />
      <SelectField
        label={t('notifications.mode')}
        value={mode}
        onChange={(v) => setMode(v as 'immediate' | 'digest')}
        options={[
          { value: 'immediate', label: t('notifications.immediate') },
          { value: 'digest', label: t('notifications.digest') },
        ]}
      />
      <fieldset>
        <legend>{t('notifications.kinds')}</legend>
        {initial.kinds.map((kind) => (
          <CheckboxField
            key={kind}
            label={t(`notifications.kind.${kind}` as MessageKey)}
            checked={!disabled.includes(kind)}
            onChange={(on) => setDisabled((list) => (on ? list.filter((k) => k !== kind) : [...list, kind]))}
          />
        ))}
      </fieldset>
      <button type="submit" class="button button-primary" disabled={busy}>
        {t('common.save')}
      </button>
    </form>
  );
}

function AccountantForm({ memberId }: { memberId: number }) {
  const { t } = useI18n();
  const notify = useNotify();
  const settings = useLoad(() => api.get<MailSettings>(`/api/members/${memberId}/mail-settings`), [memberId]);
  const [email, setEmail] = useState('');
  useEffect(() => setEmail(settings.data?.accountantEmail ?? ''), [settings.data]);
  const { error, busy, onSubmit } = useFormSubmit(async () => {
    await api.put(`/api/members/${memberId}/mail-settings`, { accountantEmail: email.trim() || null });
    notify(t('common.saved'));
  });
  return (
    <form class="card form section" onSubmit={onSubmit}>
      <h2>{t('notifications.billing')}</h2>
      <ErrorMessage error={error ?? settings.error} />
      <p class="muted">{t('notifications.billingEmail', { email: settings.data?.billingEmail ?? '—' })}</p>
      <Field label={t('notifications.accountant')} type="email" value={email} onInput={(e) => setEmail((e.currentTarget as HTMLInputElement).value)} />
      <button type="submit" class="button button-primary" disabled={busy}>
        {t('common.save')}
      </button>
    </form>
  );
}
