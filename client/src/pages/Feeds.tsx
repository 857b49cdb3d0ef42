import { useState } from 'preact/hooks';
import { ErrorMessage, Loading, PageHeader, useConfirm, useNotify } from '../components/ui';
import { useI18n, type MessageKey } from '../i18n/index';
import { api } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { useSession } from '../lib/session';
import type { CreatedFeed, Feed, FeedScope, Items, Resource } from '../lib/types';

/** Secret iCal links: create (the URL is shown once), copy, revoke. */
export function FeedsPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const notify = useNotify();
  const confirm = useConfirm();
  const feeds = useLoad(() => api.get<Items<Feed>>('/api/feeds'), []);
  const resources = useLoad(() => api.get<Items<Resource>>('/api/resources'), []);
  const [scope, setScope] = useState<FeedScope>(session.me.memberId ? 'member' : 'resource');
  const [resourceId, setResourceId] = useState<number | null>(null);
  const [memberId, setMemberId] = useState<number | null>(session.me.memberId ?? session.members[0]?.id ?? null);
  const [error, setError] = useState<unknown>(null);
  // The secret URL of each feed created in this visit: the server never shows it again.
  const [urls, setUrls] = useState<Record<number, string>>({});

  const resourceList = (resources.data?.items ?? []).filter((r) => r.active !== false);
  const chosenResource = resourceId ?? resourceList[0]?.id ?? null;

  const create = async (event: Event) => {
    event.preventDefault();
    setError(null);
    const body: Record<string, unknown> = { scope };
    if (scope === 'resource') body.resourceId = chosenResource;
    if (scope === 'member') body.memberId = memberId;
    try {
      const feed = await api.post<CreatedFeed>('/api/feeds', body);
      setUrls((u) => ({ ...u, [feed.id]: feed.url }));
      notify(t('feeds.created'));
      feeds.reload();
    } catch (err) {
      setError(err);
    }
  };

  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      notify(t('feeds.copied'));
    } catch {
      // Clipboard refused (insecure context): the field is selected so the user can copy by hand.
      const field = document.querySelector<HTMLInputElement>(`input[value="${CSS.escape(url)}"]`);
      field?.select();
    }
  };

  const revoke = async (feed: Feed) => {
    if (!(await confirm(t('feeds.revokeConfirm'), t('feeds.revoke')))) return;
    try {
      await api.del(`/api/feeds/${feed.id}`);
      notify(t('feeds.revoked'));
      feeds.reload();
    } catch (err) {
      setError(err);
    }
  };

  const target = (feed: Feed) => {
    if (feed.scope === 'resource') return resources.data?.items.find((r) => r.id === feed.resourceId)?.name ?? `#${feed.resourceId}`;
    if (feed.scope === 'member') return session.memberName(feed.memberId);
    return session.me.name;
  };

  const list = feeds.data?.items ?? [];
  return (
    <section>
      <PageHeader title={t('feeds.title')} />
      <p class="muted">{t('feeds.intro')}</p>
      <form class="card form form-inline" onSubmit={create}>
        <div class="field">
          <label for="feed-scope">{t('feeds.scope')}</label>
          <select id="feed-scope" value={scope} onChange={(e) => setScope(e.currentTarget.value as FeedScope)}>
            {(['member', 'resource', 'user'] as const).map((s) => (
              <option key={s} value={s}>
                {t(`feeds.scope.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        {scope === 'resource' && (
          <div class="field">
            <label for="feed-resource">{t('common.resource')}</label>
            <select id="feed-resource" value={chosenResource ?? ''} onChange={(e) => setResourceId(Number(e.currentTarget.value))}>
              {resourceList.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </div>
        )}
        {scope === 'member' && session.isCoordinator && (
          <div class="field">
            <label for="feed-member">{t('common.member')}</label>
            <select id="feed-member" value={memberId ?? ''} onChange={(e) => setMemberId(Number(e.currentTarget.value))}>
              {session.members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <button type="submit" class="button button-primary">
          {t('feeds.create')}
        </button>
      </form>
      <ErrorMessage error={error ?? feeds.error} />
      {feeds.loading && !feeds.data ? (
        <Loading />
      ) : list.length === 0 ? (
        <p class="muted">{t('feeds.none')}</p>
      ) : (
        <ul class="feed-list">
          {list.map((feed, index) => {
            const url = urls[feed.id];
            const fieldId = `feed-url-${feed.id}`;
            return (
              <li key={feed.id} class="card feed">
                <div class="feed-head">
                  <strong>{t(`feeds.scope.${feed.scope}` as MessageKey)}</strong> · {target(feed)}
                  {feed.createdAt && <span class="muted"> · {t('feeds.createdOn', { date: i18n.date(feed.createdAt) })}</span>}
                </div>
                {url ? (
                  <div class="feed-url">
                    <label for={fieldId} class="visually-hidden">
                      {t('feeds.url', { n: index + 1 })}
                    </label>
                    <input id={fieldId} type="text" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
                    <button type="button" class="button button-small" onClick={() => copy(url)}>
                      {t('feeds.copy')}
                    </button>
                  </div>
                ) : (
                  <p class="muted small">{t('feeds.hiddenUrl')}</p>
                )}
                <button type="button" class="button button-small button-danger" onClick={() => revoke(feed)}>
                  {t('feeds.revoke')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
