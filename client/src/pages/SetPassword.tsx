import { useEffect, useState } from 'preact/hooks';
import { PublicPage } from '../components/PublicPage';
import { ErrorMessage, Loading } from '../components/ui';
import { useI18n, type Lang } from '../i18n/index';
import { api } from '../lib/api';

interface LinkInfo {
  purpose: 'invitation' | 'reset';
  email: string;
  name: string;
  expiresAt: string;
}

/**
 * The page an invitation or a reset link opens (`/set-password#<token>`): the token stays in the fragment, which
 * browsers never send, and travels to the server only in request bodies.
 */
export function SetPasswordPage(props: { lang: Lang; setLang(lang: Lang): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const token = decodeURIComponent(window.location.hash.slice(1));
  const [info, setInfo] = useState<LinkInfo | null>(null);
  const [linkError, setLinkError] = useState<unknown>(null);
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  useEffect(() => {
    api.post<LinkInfo>('/api/auth/account-link', { token }).then(setInfo, setLinkError);
  }, [token]);

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    if (password !== repeat) {
      setError(new Error(t('account.mismatch')));
      return;
    }
    setBusy(true);
    try {
      await api.post('/api/auth/set-password', { token, password });
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <PublicPage lang={props.lang} setLang={props.setLang} onSubmit={submit}>
        <h1 id="page-title">{t(info?.purpose === 'reset' ? 'account.resetTitle' : 'account.inviteTitle')}</h1>
        {linkError ? (
          <ErrorMessage error={linkError} />
        ) : !info ? (
          <Loading />
        ) : done ? (
          <p class="alert alert-info" role="status">
            {t('account.done')} <a href="/login">{t('account.toLogin')}</a>
          </p>
        ) : (
          <>
            <p class="muted">{t('account.intro', { name: info.name, email: info.email, date: i18n.dateTime(info.expiresAt) })}</p>
            <ErrorMessage error={error} />
            <input type="email" name="email" autoComplete="username" value={info.email} hidden readOnly />
            <div class="field">
              <label for="set-password">{t('account.newPassword')}</label>
              <input id="set-password" type="password" autoComplete="new-password" minLength={10} required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
            </div>
            <div class="field">
              <label for="set-password-repeat">{t('account.repeatPassword')}</label>
              <input id="set-password-repeat" type="password" autoComplete="new-password" minLength={10} required value={repeat} onInput={(e) => setRepeat(e.currentTarget.value)} />
            </div>
            <button type="submit" class="button button-primary button-block" disabled={busy}>
              {t('account.submit')}
            </button>
          </>
        )}
    </PublicPage>
  );
}
