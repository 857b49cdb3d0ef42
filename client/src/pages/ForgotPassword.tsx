import { useState } from 'preact/hooks';
import { PublicPage } from '../components/PublicPage';
import { ErrorMessage } from '../components/ui';
import { useI18n, type Lang } from '../i18n/index';
import { api } from '../lib/api';
import { onLinkClick } from '../lib/router';

/**
 * « Mot de passe oublié » (`/forgot-password`): one e-mail field, then the same neutral confirmation whether the
 * address has an account or not, as the server answers.
 */
export function ForgotPasswordPage(props: { lang: Lang; setLang(lang: Lang): void }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/auth/password-reset', { email: email.trim() });
      setSentTo(email.trim());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <PublicPage lang={props.lang} setLang={props.setLang} onSubmit={submit}>
      <h1 id="page-title">{t('forgot.title')}</h1>
      {sentTo ? (
        <p class="alert alert-info" role="status">
          {t('forgot.sent', { email: sentTo })}
        </p>
      ) : (
        <>
          <p class="muted">{t('forgot.intro')}</p>
          <ErrorMessage error={error} />
          <div class="field">
            <label for="forgot-email">{t('auth.email')}</label>
            <input id="forgot-email" name="email" type="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          </div>
          <button type="submit" class="button button-primary button-block" disabled={busy}>
            {t('forgot.submit')}
          </button>
        </>
      )}
      <p class="login-aside">
        <a href="/login" onClick={onLinkClick}>
          {t('forgot.back')}
        </a>
      </p>
    </PublicPage>
  );
}
