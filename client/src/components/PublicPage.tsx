import type { ComponentChildren } from 'preact';
import { useI18n, type Lang } from '../i18n/index';
import { LangSwitch } from './Layout';

/** The frame of the pages seen without a session (sign-in, password links): the language switch and one card. */
export function PublicPage(props: { lang: Lang; setLang(lang: Lang): void; onSubmit(event: Event): void; children: ComponentChildren }) {
  const { t } = useI18n();
  return (
    <main id="main" class="login">
      <div class="login-lang">
        <LangSwitch lang={props.lang} setLang={props.setLang} />
      </div>
      <form class="card login-card" onSubmit={props.onSubmit} aria-labelledby="page-title">
        <p class="brand-name login-brand">{t('app.name')}</p>
        {props.children}
      </form>
    </main>
  );
}
