import type { ComponentType } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ConfirmProvider, focusNextHeading, Loading, NoticeArea, NoticeContext, type NoticeItem, type NoticeKind } from './components/ui';
import { Layout } from './components/Layout';
import { createI18n, I18nContext, initialLang, storeLang, useI18n, type Lang, type MessageKey } from './i18n/index';
import { api, ApiError, prefetch, setUnauthenticatedHandler, withQuery } from './lib/api';
import { calendarRequests, initialRange, NARROW_CALENDAR } from './lib/calendar-range';
import { defaultDuration } from './components/FreeSlots';
import { LocationContext, match, navigate, onLinkClick, useLocationState } from './lib/router';
import { allowed, homePath, SessionContext, type Access, type Session } from './lib/session';
import type { Items, Me, Member, Pole, Resource } from './lib/types';
import { AccountPage } from './pages/Account';
import { LoginPage } from './pages/Login';
import { SetPasswordPage } from './pages/SetPassword';
import { ForgotPasswordPage } from './pages/ForgotPassword';
import { CataloguePage } from './pages/Catalogue';
import { BookingsPage } from './pages/Bookings';
import { InvoicesPage } from './pages/Invoices';
import { FeedsPage } from './pages/Feeds';
import { NotificationsPage } from './pages/Notifications';
import { AllocationsPage } from './pages/Allocations';
import { AccountingPage } from './pages/Accounting';

const SIGNED_IN_KEY = 'mutualise.signedIn';
/** '1' for a signed-in browser, 'staff' for an employee's account (which reads neither the pole nor its members). */
function rememberedSignedIn(): boolean {
  try {
    return localStorage.getItem(SIGNED_IN_KEY) !== null;
  } catch {
    return true;
  }
}
function rememberedStaff(): boolean {
  try {
    return localStorage.getItem(SIGNED_IN_KEY) === 'staff';
  } catch {
    return false;
  }
}
function rememberSignedIn(yes: boolean, staff = false, zone?: string) {
  try {
    if (yes) localStorage.setItem(SIGNED_IN_KEY, staff ? 'staff' : '1');
    else localStorage.removeItem(SIGNED_IN_KEY);
    if (yes && zone) localStorage.setItem(ZONE_KEY, zone);
    else localStorage.removeItem(ZONE_KEY);
  } catch {
    // storage disabled: /api/me is asked at every start
  }
}
/** The pole's time zone as last seen: a calendar link can ask for its dates before the pole has loaded. */
const ZONE_KEY = 'mutualise.zone';
function rememberedZone(): string | null {
  try {
    return localStorage.getItem(ZONE_KEY);
  } catch {
    return null;
  }
}

/** Loads a page's code on first use (the calendar brings FullCalendar: kept out of the first download). */
function lazyPage<P>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  return function LazyPage(props: P) {
    const [Component, setComponent] = useState<ComponentType<P> | null>(() => loaded);
    const [error, setError] = useState<unknown>(null);
    useEffect(() => {
      if (!Component) load().then((c) => setComponent(() => (loaded = c)), setError);
    }, []);
    if (error) throw error;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return Component ? <Component {...(props as any)} /> : <Loading />;
  };
}

const loadCalendar = () => import('./pages/Calendar');
const CalendarPage = lazyPage(() => loadCalendar().then((m) => m.CalendarPage));

/**
 * At boot, everything the first page needs is asked at once rather than one after another: the session, the
 * pole and its structures, and for a calendar link its code and its resource.
 */
function bootPrefetch() {
  if (!rememberedSignedIn()) return;
  prefetch('/api/me');
  if (rememberedStaff()) return;
  for (const path of ['/api/pole', '/api/members']) prefetch(path);
  const calendar = /^\/resources\/(\d+)\/?$/.exec(window.location.pathname);
  if (calendar) {
    const id = Number(calendar[1]);
    // The free slots need the resource's durations; the bookings need only the dates the calendar opens on.
    prefetch<Resource>(`/api/resources/${id}`).then(
      (r) => prefetch(withQuery('/api/availability/next', { resourceIds: String(id), durationMinutes: defaultDuration(r), limit: 5 })),
      () => undefined,
    );
    const zone = rememberedZone();
    if (zone) {
      const urls = calendarRequests(id, initialRange(zone, window.matchMedia(NARROW_CALENDAR).matches));
      prefetch(urls.bookings);
      prefetch(urls.availability);
    }
    void loadCalendar().catch(() => undefined);
  }
}
bootPrefetch();
const coordination = () => import('./pages/coordination');
const UsersPage = lazyPage(() => coordination().then((m) => m.UsersPage));
const MembersPage = lazyPage(() => coordination().then((m) => m.MembersPage));
const ApprovalsPage = lazyPage(() => coordination().then((m) => m.ApprovalsPage));
const ResourcesAdminPage = lazyPage(() => coordination().then((m) => m.ResourcesAdminPage));
const CostsPage = lazyPage(() => coordination().then((m) => m.CostsPage));
const ClosingPage = lazyPage(() => coordination().then((m) => m.ClosingPage));
const IntegrityPage = lazyPage(() => coordination().then((m) => m.IntegrityPage));
const SettlementsPage = lazyPage(() => coordination().then((m) => m.SettlementsPage));
const PoleSettingsPage = lazyPage(() => coordination().then((m) => m.PoleSettingsPage));
const OutboxPage = lazyPage(() => coordination().then((m) => m.OutboxPage));
const AuditPage = lazyPage(() => coordination().then((m) => m.AuditPage));
const EmployeesPage = lazyPage(() => coordination().then((m) => m.EmployeesPage));
const AgreementsPage = lazyPage(() => coordination().then((m) => m.AgreementsPage));
const timesheets = () => import('./pages/timesheets');
const OwnTimesheetPage = lazyPage(() => timesheets().then((m) => m.OwnTimesheetPage));
const EmployeeTimesheetPage = lazyPage(() => timesheets().then((m) => m.EmployeeTimesheetPage));
const TimesheetApprovalsPage = lazyPage(() => timesheets().then((m) => m.TimesheetApprovalsPage));

interface RouteDef {
  pattern: string;
  title: MessageKey;
  access: Access;
  render(params: Record<string, string>): preact.JSX.Element;
}

export const ROUTES: RouteDef[] = [
  { pattern: '/resources', title: 'nav.resources', access: 'user', render: () => <CataloguePage /> },
  { pattern: '/resources/:id', title: 'nav.resources', access: 'user', render: (p) => <CalendarPage id={Number(p.id)} /> },
  { pattern: '/bookings', title: 'nav.bookings', access: 'user', render: () => <BookingsPage /> },
  { pattern: '/invoices', title: 'nav.invoices', access: 'user', render: () => <InvoicesPage /> },
  { pattern: '/feeds', title: 'nav.feeds', access: 'user', render: () => <FeedsPage /> },
  { pattern: '/notifications', title: 'nav.notifications', access: 'user', render: () => <NotificationsPage /> },
  { pattern: '/audit', title: 'nav.audit', access: 'admin', render: () => <AuditPage /> },
  { pattern: '/outbox', title: 'nav.outbox', access: 'coordinator', render: () => <OutboxPage /> },
  { pattern: '/allocations', title: 'nav.allocations', access: 'user', render: () => <AllocationsPage /> },
  { pattern: '/accounting', title: 'nav.accounting', access: 'user', render: () => <AccountingPage /> },
  { pattern: '/users', title: 'nav.users', access: 'admin', render: () => <UsersPage /> },
  { pattern: '/account', title: 'myAccount.title', access: 'user', render: () => <AccountPage /> },
  { pattern: '/approvals', title: 'nav.approvals', access: 'coordinator', render: () => <ApprovalsPage /> },
  { pattern: '/members', title: 'nav.members', access: 'coordinator', render: () => <MembersPage /> },
  { pattern: '/admin/resources', title: 'nav.adminResources', access: 'coordinator', render: () => <ResourcesAdminPage /> },
  { pattern: '/costs', title: 'nav.costs', access: 'coordinator', render: () => <CostsPage /> },
  { pattern: '/closing', title: 'nav.closing', access: 'coordinator', render: () => <ClosingPage /> },
  { pattern: '/integrity', title: 'nav.integrity', access: 'coordinator', render: () => <IntegrityPage /> },
  { pattern: '/settlements', title: 'nav.settlements', access: 'coordinator', render: () => <SettlementsPage /> },
  { pattern: '/settings', title: 'nav.settings', access: 'coordinator', render: () => <PoleSettingsPage /> },
  { pattern: '/timesheet', title: 'nav.ownTimesheet', access: 'staff', render: () => <OwnTimesheetPage /> },
  { pattern: '/employees', title: 'nav.employees', access: 'coordinator', render: () => <EmployeesPage /> },
  { pattern: '/employees/:id/timesheet', title: 'timesheet.title', access: 'coordinator', render: (p) => <EmployeeTimesheetPage id={Number(p.id)} /> },
  { pattern: '/lending-agreements', title: 'nav.agreements', access: 'coordinator', render: () => <AgreementsPage /> },
  { pattern: '/timesheet-approvals', title: 'nav.timesheetApprovals', access: 'admin', render: () => <TimesheetApprovalsPage /> },
];

/** An employee's account reads neither the pole nor its structures: the defaults stand in (French pole, euros). */
const STAFF_POLE: Pole = { name: '', carrierMemberId: null, groupingMemberId: null, timeZone: 'Europe/Paris', currency: 'EUR', paymentTermsDays: 30, latePenaltyRateBp: 1200 };


type Auth = { state: 'loading' } | { state: 'anonymous'; reason?: 'expired' } | { state: 'signed-in'; me: Me; pole: Pole; members: Member[] };

export function App() {
  const location = useLocationState();
  const [lang, setLangState] = useState<Lang>(initialLang);
  const [auth, setAuth] = useState<Auth>({ state: 'loading' });
  const [notices, setNotices] = useState<NoticeItem[]>([]);
  const [bootError, setBootError] = useState<unknown>(null);
  const firstRender = useRef(true);

  const setLang = useCallback((next: Lang) => {
    storeLang(next);
    setLangState(next);
  }, []);

  const zone = auth.state === 'signed-in' ? auth.pole.timeZone : 'Europe/Paris';
  const currency = auth.state === 'signed-in' ? auth.pole.currency : 'EUR';
  const i18n = useMemo(() => createI18n(lang, zone, currency), [lang, zone, currency]);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const notify = useCallback((text: string, kind: NoticeKind = 'success') => {
    const id = Date.now() + Math.random();
    // One message at a time: a new one replaces the last.
    setNotices([{ id, kind, text }]);
    window.setTimeout(() => setNotices((list) => list.filter((n) => n.id !== id)), kind === 'error' ? 10_000 : 6_000);
  }, []);

  const signIn = useCallback(async (me: Me) => {
    if (me.role === 'staff') {
      rememberSignedIn(true, true);
      setAuth({ state: 'signed-in', me, pole: STAFF_POLE, members: [] });
      return;
    }
    const [pole, members] = await Promise.all([api.get<Pole>('/api/pole'), api.get<Items<Member>>('/api/members')]);
    rememberSignedIn(true, false, pole.timeZone);
    setAuth({ state: 'signed-in', me, pole, members: members.items });
  }, []);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      rememberSignedIn(false);
      setAuth({ state: 'anonymous', reason: 'expired' });
    });
    // Without a sign-in remembered in this browser, go straight to the login form: asking /api/me would only
    // answer 401 (and print a network error in the console).
    if (!rememberedSignedIn()) {
      setAuth({ state: 'anonymous' });
      return () => setUnauthenticatedHandler(null);
    }
    api
      .get<Me>('/api/me')
      .then(signIn)
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 401) {
          rememberSignedIn(false);
          setAuth({ state: 'anonymous' });
        }
        else setBootError(error);
      });
    return () => setUnauthenticatedHandler(null);
  }, [signIn]);

  const reloadPole = useCallback(() => {
    api.get<Pole>('/api/pole').then((pole) => setAuth((a) => (a.state === 'signed-in' ? { ...a, pole } : a)));
  }, []);

  const reloadMembers = useCallback(() => {
    api.get<Items<Member>>('/api/members').then((list) => setAuth((a) => (a.state === 'signed-in' ? { ...a, members: list.items } : a)));
  }, []);

  const session = useMemo<Session | null>(() => {
    if (auth.state !== 'signed-in') return null;
    const byId = new Map(auth.members.map((m) => [m.id, m.name]));
    return {
      me: auth.me,
      pole: auth.pole,
      members: auth.members,
      memberName: (id) => (id == null ? '—' : (byId.get(id) ?? `#${id}`)),
      isCoordinator: auth.me.role === 'coordinator',
      isAdmin: auth.me.role === 'coordinator' || auth.me.role === 'member_admin',
      isStaff: auth.me.role === 'staff',
      reloadMembers,
      reloadPole,
    };
  }, [auth, reloadMembers, reloadPole]);

  const logout = useCallback(async () => {
    try {
      rememberSignedIn(false);
      await api.post('/api/auth/logout');
    } finally {
      setAuth({ state: 'anonymous' });
      navigate('/login', { replace: true });
    }
  }, []);

  // The page: its route, its title, and focus moved to its heading after an in-app navigation.
  let page: preact.JSX.Element | null = null;
  let title = i18n.t('app.name');
  if (session) {
    if (location.path === '/' || location.path === '/login') {
      page = null;
    } else {
      for (const route of ROUTES) {
        const params = match(route.pattern, location.path);
        if (params && allowed(route.access, session.me)) {
          page = route.render(params);
          title = `${i18n.t(route.title)} · ${session.pole.name || i18n.t('app.name')}`;
          break;
        }
      }
      if (!page) page = <NotFound home={homePath(session.me)} />;
    }
  }

  useEffect(() => {
    if (session && (location.path === '/' || location.path === '/login')) {
      const next = location.query.get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : homePath(session.me), { replace: true });
    }
  }, [session, location.path]);

  useEffect(() => {
    document.title = auth.state === 'signed-in' ? title : `${i18n.t('auth.title')} · ${i18n.t('app.name')}`;
  }, [title, auth.state, i18n]);

  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    // A message belongs to the page that showed it.
    setNotices([]);
    window.scrollTo(0, 0);
    focusNextHeading();
  }, [location.path]);

  let body: preact.JSX.Element;
  if (bootError) {
    body = (
      <main class="boot-error" id="main">
        <p role="alert">{i18n.t('app.error', { message: i18n.errorText(bootError) })}</p>
      </main>
    );
  } else if (location.path === '/set-password') {
    // A password link works whoever is signed in on this browser.
    body = <SetPasswordPage lang={lang} setLang={setLang} />;
  } else if (location.path === '/forgot-password' && auth.state !== 'signed-in') {
    body = <ForgotPasswordPage lang={lang} setLang={setLang} />;
  } else if (auth.state === 'loading') {
    body = (
      <main id="main">
        <Loading />
      </main>
    );
  } else if (auth.state === 'anonymous') {
    body = <LoginPage lang={lang} setLang={setLang} expired={auth.reason === 'expired'} onSignedIn={signIn} />;
  } else {
    body = (
      <SessionContext.Provider value={session}>
        <Layout lang={lang} setLang={setLang} onLogout={logout} path={location.path}>
          {page ?? <Loading />}
        </Layout>
      </SessionContext.Provider>
    );
  }

  return (
    <I18nContext.Provider value={i18n}>
      <LocationContext.Provider value={location}>
        <NoticeContext.Provider value={notify}>
          <ConfirmProvider>
            {body}
            <NoticeArea items={notices} onDismiss={(id) => setNotices((list) => list.filter((n) => n.id !== id))} />
          </ConfirmProvider>
        </NoticeContext.Provider>
      </LocationContext.Provider>
    </I18nContext.Provider>
  );
}

function NotFound({ home }: { home: string }) {
  const { t } = useI18n();
  return (
    <section>
      <h1 id="page-title" tabIndex={-1}>
        {t('app.notFound')}
      </h1>
      <p>
        <a href={home} onClick={onLinkClick}>
          {t(home === '/resources' ? 'app.backHome' : 'app.backTimesheet')}
        </a>
      </p>
    </section>
  );
}

