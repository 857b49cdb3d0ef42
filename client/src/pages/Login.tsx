import { useState } from 'preact/hooks';
import { PublicPage } from '../components/PublicPage';
import { ErrorMessage } from '../components/ui';
import { useI18n, type Lang } from '../i18n/index';
import { api } from '../lib/api';
import { onLinkClick } from '../lib/router';
import type { Me } from '../lib/types';

export function LoginPage(props: { lang: Lang; setLang(lang: Lang): void; expired: boolean; onSignedIn(me: Me): Promise<void> }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await api.post<Me>('/api/auth/login', { email: email.trim(), password });
      await props.onSignedIn(me);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <PublicPage lang={props.lang} setLang={props.setLang} onSubmit={submit}>
        <h1 id="page-title">{t('auth.title')}</h1>
        <p class="muted">{t('auth.intro')}</p>
        {props.expired && !error && (
          <p class="alert alert-info" role="status">
            {t('auth.sessionEnded')}
          </p>
        )}
        <ErrorMessage error={error} />
        <div class="field">
          <label for="login-email">{t('auth.email')}</label>
          <input id="login-email" name="email" type="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="login-password">{t('auth.password')}</label>
          <input
            id="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </div>
        <button type="submit" class="button button-primary button-block" disabled={busy}>
          {busy ? t('auth.submitting') : t('auth.submit')}
        </button>
        <p class="login-aside">
          <a href="/forgot-password" onClick={onLinkClick}>
            {t('auth.forgot')}
          </a>
        </p>
    </PublicPage>
  );
}
