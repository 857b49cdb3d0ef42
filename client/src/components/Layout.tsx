import { Component, type ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useI18n, type Lang, type MessageKey } from '../i18n/index';
import { ErrorMessage } from './ui';
import { onLinkClick } from '../lib/router';
import { allowed, homePath, useSession, type Access } from '../lib/session';

interface NavItem {
  href: string;
  label: MessageKey;
  access: Access;
}

const BOOKING_NAV: NavItem[] = [
  { href: '/resources', label: 'nav.resources', access: 'user' },
  { href: '/bookings', label: 'nav.bookings', access: 'user' },
  { href: '/invoices', label: 'nav.invoices', access: 'user' },
  { href: '/allocations', label: 'nav.allocations', access: 'user' },
  { href: '/accounting', label: 'nav.accounting', access: 'user' },
  { href: '/feeds', label: 'nav.feeds', access: 'user' },
  { href: '/notifications', label: 'nav.notifications', access: 'user' },
  { href: '/timesheet-approvals', label: 'nav.timesheetApprovals', access: 'admin' },
  { href: '/users', label: 'nav.users', access: 'admin' },
  { href: '/audit', label: 'nav.audit', access: 'admin' },
];

/** An employee's account: its own timesheet and schedule, nothing else. */
const STAFF_NAV: NavItem[] = [{ href: '/timesheet', label: 'nav.ownTimesheet', access: 'staff' }];

const COORDINATION_NAV: NavItem[] = [
  { href: '/approvals', label: 'nav.approvals', access: 'coordinator' },
  { href: '/members', label: 'nav.members', access: 'coordinator' },
  { href: '/admin/resources', label: 'nav.adminResources', access: 'coordinator' },
  { href: '/employees', label: 'nav.employees', access: 'coordinator' },
  { href: '/lending-agreements', label: 'nav.agreements', access: 'coordinator' },
  { href: '/costs', label: 'nav.costs', access: 'coordinator' },
  { href: '/closing', label: 'nav.closing', access: 'coordinator' },
  { href: '/settlements', label: 'nav.settlements', access: 'coordinator' },
  { href: '/integrity', label: 'nav.integrity', access: 'coordinator' },
  { href: '/outbox', label: 'nav.outbox', access: 'coordinator' },
  { href: '/settings', label: 'nav.settings', access: 'coordinator' },
];

export function LangSwitch({ lang, setLang }: { lang: Lang; setLang(lang: Lang): void }) {
  const { t } = useI18n();
  const other: Lang = lang === 'fr' ? 'en' : 'fr';
  return (
    <button type="button" class="button button-ghost lang-switch" lang={other} aria-label={t('lang.switchLabel')} onClick={() => setLang(other)} data-testid="lang-switch">
      {t('lang.switch')}
    </button>
  );
}

export function Layout(props: { lang: Lang; setLang(lang: Lang): void; onLogout(): void; path: string; children: ComponentChildren }) {
  const { t } = useI18n();
  const { me, pole, memberName, isStaff } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [props.path]);

  const current = (href: string) => props.path === href || props.path.startsWith(`${href}/`);
  const renderItems = (items: NavItem[]) =>
    items
      .filter((item) => allowed(item.access, me))
      .map((item) => (
        <li key={item.href}>
          <a href={item.href} onClick={onLinkClick} aria-current={current(item.href) ? 'page' : undefined}>
            {t(item.label)}
          </a>
        </li>
      ));

  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header class="topbar">
        <button type="button" class="button button-ghost menu-toggle" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen(!menuOpen)}>
          <span aria-hidden="true">☰</span> {t('app.menu')}
        </button>
        <a class="brand" href={homePath(me)} onClick={onLinkClick}>
          <span class="brand-name">{t('app.name')}</span>
          {pole.name && <span class="brand-pole">{pole.name}</span>}
        </a>
        <div class="topbar-end">
          <LangSwitch lang={props.lang} setLang={props.setLang} />
          <span class="who" title={me.email}>
            {isStaff ? (
              me.name
            ) : (
              <a href="/account" onClick={onLinkClick} title={t('myAccount.title')}>
                {me.name}
              </a>
            )}
            <small>{me.memberId && !isStaff ? memberName(me.memberId) : t(`role.${me.role}` as MessageKey)}</small>
          </span>
          <button type="button" class="button button-ghost logout-top" onClick={props.onLogout}>
            {t('auth.logout')}
          </button>
        </div>
      </header>
      <div class="body">
        <nav id="main-nav" class={menuOpen ? 'sidebar open' : 'sidebar'} aria-label={t('nav.main')}>
          <ul>{renderItems(isStaff ? STAFF_NAV : BOOKING_NAV)}</ul>
          {me.role === 'coordinator' && (
            <>
              <h2 class="nav-group">{t('nav.groupCoordination')}</h2>
              <ul>{renderItems(COORDINATION_NAV)}</ul>
            </>
          )}
          <div class="nav-account">
            <p class="muted small">
              {!isStaff && (
                <>
                  <a href="/account" onClick={onLinkClick}>
                    {t('myAccount.title')}
                  </a>{' '}
                  ·{' '}
                </>
              )}
              {me.email}
            </p>
            <button type="button" class="button button-block" onClick={props.onLogout}>
              {t('auth.logout')}
            </button>
          </div>
        </nav>
        <main id="main" tabIndex={-1}>
          <PageErrorBoundary key={props.path}>{props.children}</PageErrorBoundary>
        </main>
      </div>
    </div>
  );
}

/** A page that fails to render shows its error instead of blanking the whole app; another page starts afresh. */
class PageErrorBoundary extends Component<{ children: ComponentChildren }, { error: unknown }> {
  override state = { error: null as unknown };
  override componentDidCatch(error: unknown) {
    this.setState({ error });
  }
  override render() {
    if (this.state.error) return <ErrorMessage error={this.state.error} />;
    return this.props.children;
  }
}
