import { useState } from 'preact/hooks';
import { ErrorMessage, Field, Loading, PageHeader, TableWrap, useFormSubmit, useNotify } from '../components/ui';
import { useI18n } from '../i18n/index';
import { api } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { useSession } from '../lib/session';
import type { Items } from '../lib/types';

interface SessionInfo {
  current: boolean;
  createdAt: string;
  lastUsedAt: string;
}

/** « Mon compte »: one's name, password (with the current one) and the browsers signed in to the account. */
export function AccountPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const notify = useNotify();
  const me = session.me;
  const [name, setName] = useState(me.name);
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const sessions = useLoad(() => api.get<Items<SessionInfo>>('/api/me/sessions'), []);

  const saveName = useFormSubmit(async () => {
    await api.patch(`/api/users/${me.id}`, { name: name.trim() });
    notify(t('common.saved'));
  });
  const savePassword = useFormSubmit(async () => {
    await api.patch(`/api/users/${me.id}`, { password, currentPassword: current });
    setCurrent('');
    setPassword('');
    notify(t('myAccount.passwordChanged'));
    sessions.reload();
  });
  const signOutElsewhere = useFormSubmit(async () => {
    await api.del('/api/me/sessions');
    notify(t('myAccount.signedOutElsewhere'));
    sessions.reload();
  });
  const others = (sessions.data?.items ?? []).filter((s) => !s.current).length;

  return (
    <section>
      <PageHeader title={t('myAccount.title')} />
      <p class="muted">{me.email}</p>
      <form class="form card section" onSubmit={saveName.onSubmit}>
        <h2>{t('myAccount.identity')}</h2>
        <ErrorMessage error={saveName.error} />
        <Field label={t('common.name')} required maxLength={200} value={name} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
        <p class="form-actions">
          <button type="submit" class="button button-primary" disabled={saveName.busy}>
            {t('common.save')}
          </button>
        </p>
      </form>
      <form class="form card section" onSubmit={savePassword.onSubmit}>
        <h2>{t('myAccount.password')}</h2>
        <ErrorMessage error={savePassword.error} />
        <input type="email" name="email" autoComplete="username" value={me.email} hidden readOnly />
        <Field label={t('users.currentPassword')} type="password" autoComplete="current-password" required value={current} onInput={(e) => setCurrent((e.currentTarget as HTMLInputElement).value)} />
        <Field
          label={t('account.newPassword')}
          type="password"
          autoComplete="new-password"
          minLength={10}
          required
          value={password}
          onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)}
        />
        <p class="form-actions">
          <button type="submit" class="button button-primary" disabled={savePassword.busy}>
            {t('myAccount.changePassword')}
          </button>
        </p>
      </form>
      <div class="card section">
        <h2>{t('myAccount.sessions')}</h2>
        <ErrorMessage error={sessions.error ?? signOutElsewhere.error} />
        {sessions.loading && !sessions.data ? (
          <Loading />
        ) : (
          <TableWrap label={t('myAccount.sessions')}>
            <table class="table" data-testid="my-sessions">
              <thead>
                <tr>
                  <th scope="col">{t('myAccount.signedInAt')}</th>
                  <th scope="col">{t('myAccount.lastUsed')}</th>
                  <th scope="col">{t('common.status')}</th>
                </tr>
              </thead>
              <tbody>
                {(sessions.data?.items ?? []).map((s) => (
                  <tr key={s.createdAt + s.lastUsedAt}>
                    <td>{i18n.dateTime(s.createdAt)}</td>
                    <td>{i18n.dateTime(s.lastUsedAt)}</td>
                    <td>{s.current ? t('myAccount.thisBrowser') : t('myAccount.otherBrowser')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        <form onSubmit={signOutElsewhere.onSubmit}>
          <button type="submit" class="button" disabled={others === 0 || signOutElsewhere.busy}>
            {t('myAccount.signOutElsewhere')}
          </button>
        </form>
      </div>
    </section>
  );
}
