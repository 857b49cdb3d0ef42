import { useEffect, useState } from 'preact/hooks';
import { useI18n, type MessageKey } from '../i18n/index';
import { api } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { onLinkClick } from '../lib/router';
import { useSession } from '../lib/session';
import { monthBounds, zonedIso } from '../lib/time';
import type { Booking, CostEntry, Items, Member, Resource } from '../lib/types';

interface Category {
  key: string;
  title: MessageKey;
  confirm: MessageKey;
  href: string;
  items: string[];
}

/** What a structure still lacks before its invoices can be right. */
function incomplete(m: Member): boolean {
  return (
    !m.address?.trim() ||
    !m.billingEmail?.trim() ||
    !m.siret ||
    (m.vatStatus === 'assujetti' && !m.vatNumber) ||
    (!m.publicBody && !m.billingMandateSince)
  );
}

/**
 * The checks before a close: resources booked this month without any cost entered, structures with incomplete
 * data, bookings still waiting for approval. Each category found must be confirmed explicitly; `onReady` tells
 * whether the close may go on.
 */
export function ClosePreflight({ month, onReady }: { month: string; onReady(ready: boolean): void }) {
  const i18n = useI18n();
  const { t, zone } = i18n;
  const session = useSession();
  const data = useLoad(() => {
    const { start, end } = monthBounds(month, zone);
    return Promise.all([
      api.get<Items<Booking>>('/api/bookings', { from: zonedIso(start, zone), to: zonedIso(end, zone) }),
      api.get<Items<CostEntry>>('/api/costs', { month }),
      api.get<Items<Resource>>('/api/resources'),
    ]);
  }, [month, zone]);
  const [confirmed, setConfirmed] = useState<Record<string, boolean>>({});

  let categories: Category[] = [];
  if (data.data) {
    const [bookings, costs, resources] = data.data;
    const name = (id: number) => resources.items.find((r) => r.id === id)?.name ?? `#${id}`;
    const costed = new Set(costs.items.map((c) => c.resourceId));
    const used = [...new Set(bookings.items.filter((b) => b.status === 'confirmed').map((b) => b.resourceId))].filter((id) => !costed.has(id));
    const pending = bookings.items.filter((b) => b.status === 'pending');
    categories = [
      { key: 'noCost', title: 'preflight.noCost', confirm: 'preflight.noCostConfirm', href: '/costs', items: used.map(name).sort() },
      {
        key: 'members',
        title: 'preflight.members',
        confirm: 'preflight.membersConfirm',
        href: '/members',
        items: session.members.filter(incomplete).map((m) => m.name),
      },
      {
        key: 'pending',
        title: 'preflight.pending',
        confirm: 'preflight.pendingConfirm',
        href: '/approvals',
        items: pending.map((b) => `${name(b.resourceId)}, ${i18n.range(b.start, b.end)}`),
      },
    ].filter((c) => c.items.length > 0) as Category[];
  }
  const ready = data.data !== undefined && categories.every((c) => confirmed[c.key]);
  useEffect(() => onReady(ready), [ready]);
  useEffect(() => setConfirmed({}), [month]);

  if (!data.data) return null;
  if (categories.length === 0) {
    return (
      <p class="alert alert-success" data-testid="preflight">
        {t('preflight.allClear')}
      </p>
    );
  }
  return (
    <div class="alert alert-warning preflight" data-testid="preflight">
      <strong>{t('preflight.title')}</strong>
      {categories.map((c) => (
        <fieldset key={c.key} class="preflight-category" data-category={c.key}>
          <legend>
            {t(c.title, { n: c.items.length })}{' '}
            <a href={c.href} onClick={onLinkClick}>
              {t('preflight.fix')}
            </a>
          </legend>
          <ul>
            {c.items.slice(0, 10).map((item) => (
              <li key={item}>{item}</li>
            ))}
            {c.items.length > 10 && <li>…</li>}
          </ul>
          <div class="field field-check">
            <input
              id={`preflight-${c.key}`}
              type="checkbox"
              checked={confirmed[c.key] ?? false}
              onChange={(e) => setConfirmed({ ...confirmed, [c.key]: e.currentTarget.checked })}
            />
            <label for={`preflight-${c.key}`}>{t(c.confirm)}</label>
          </div>
        </fieldset>
      ))}
    </div>
  );
}
