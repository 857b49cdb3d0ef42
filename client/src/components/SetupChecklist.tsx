import { useI18n, type MessageKey } from '../i18n/index';
import { api } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { onLinkClick } from '../lib/router';
import { useSession } from '../lib/session';
import type { CostEntry, Items, Resource, User } from '../lib/types';

/** The name a pole has before anyone chose one. */
export const DEFAULT_POLE_NAME = 'Pôle territorial';

interface Step {
  key: MessageKey;
  href: string;
  done: boolean;
}

/**
 * What a coordinator does first on an empty pole, in order, each step a link to where it is done; the list goes
 * away once every step is done.
 */
export function SetupChecklist() {
  const { t } = useI18n();
  const session = useSession();
  const state = useLoad(
    () =>
      Promise.all([
        api.get<Items<Resource>>('/api/resources'),
        api.get<Items<User>>('/api/users'),
        api.get<Items<CostEntry>>('/api/costs'),
      ]),
    [],
  );
  if (!session.isCoordinator || !state.data) return null;
  const [resources, users, costs] = state.data;
  const steps: Step[] = [
    { key: 'setup.name', href: '/settings', done: session.pole.name !== DEFAULT_POLE_NAME },
    { key: 'setup.carrier', href: '/settings', done: session.pole.carrierMemberId !== null },
    { key: 'setup.members', href: '/members', done: session.members.length > 0 },
    { key: 'setup.resource', href: '/admin/resources', done: resources.items.length > 0 },
    { key: 'setup.users', href: '/users', done: users.items.some((u) => u.role !== 'coordinator') },
    { key: 'setup.costs', href: '/costs', done: costs.items.length > 0 },
  ];
  const left = steps.filter((s) => !s.done).length;
  if (left === 0) return null;
  const next = steps.find((s) => !s.done)!;
  return (
    <section class="card section setup" aria-labelledby="setup-title" data-testid="setup-checklist">
      <h2 id="setup-title">{t('setup.title')}</h2>
      <p class="muted">{t('setup.progress', { done: steps.length - left, total: steps.length })}</p>
      <ol class="setup-steps">
        {steps.map((s) => (
          <li key={s.key} class={s.done ? 'done' : s === next ? 'next' : undefined}>
            <span class="setup-mark" aria-hidden="true">
              {s.done ? '✓' : '○'}
            </span>
            <a href={s.href} onClick={onLinkClick}>
              {t(s.key)}
            </a>
            <span class="visually-hidden"> — {s.done ? t('setup.done') : t('setup.todo')}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
