import { useState } from 'preact/hooks';
import { DataTable, type Column } from '../components/DataTable';
import { Dialog, EditButton, ErrorMessage, FormActions, PageHeader, StatusBadge, useConfirm, useFormSubmit, useNotify } from '../components/ui';
import { useI18n } from '../i18n/index';
import { api } from '../lib/api';
import { useLoad } from '../lib/hooks';
import { roleLabel } from '../lib/labels';
import { useSession } from '../lib/session';
import { ROLES, type Items, type Role, type User } from '../lib/types';
import { HistoryButton } from '../components/HistoryPanel';

/** Accounts: coordinators manage everyone, a member_admin its own structure's users. */
export function UsersPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const notify = useNotify();
  const confirm = useConfirm();
  const users = useLoad(() => api.get<Items<User>>('/api/users'), []);
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [error, setError] = useState<unknown>(null);

  const toggle = async (user: User) => {
    // Deactivating ends the person's sessions at once: ask first.
    if (user.active && !(await confirm(t('users.disableConfirm', { name: user.name }), t('users.disable')))) return;
    setError(null);
    try {
      await api.patch(`/api/users/${user.id}`, { active: !user.active });
      notify(user.active ? t('users.disabled') : t('users.enabled'));
      users.reload();
    } catch (err) {
      setError(err);
    }
  };

  const [invitation, setInvitation] = useState<{ user: User; url: string; expiresAt: string } | null>(null);
  const invite = async (user: User) => {
    setError(null);
    try {
      const link = await api.post<{ url: string; expiresAt: string }>(`/api/users/${user.id}/invitation`);
      setInvitation({ user, ...link });
    } catch (err) {
      setError(err);
    }
  };

  const list = [...(users.data?.items ?? [])].sort((a, b) => session.memberName(a.memberId).localeCompare(session.memberName(b.memberId)) || a.name.localeCompare(b.name));
  const columns: Column<User>[] = [
    { label: t('common.name'), cell: (u) => u.name },
    { label: t('common.email'), cell: (u) => u.email },
    { label: t('users.role'), cell: (u) => roleLabel(i18n, u.role) },
    { label: t('common.member'), cell: (u) => (u.memberId ? session.memberName(u.memberId) : '—') },
    {
      label: t('common.status'),
      cell: (u) => <StatusBadge kind={u.active ? 'confirmed' : 'cancelled'}>{u.active ? t('common.active') : t('common.inactive')}</StatusBadge>,
    },
    {
      label: t('common.actions'),
      class: 'actions',
      cell: (u) => (
        <>
          <EditButton onClick={() => setEditing(u)} label={t('users.edit', { name: u.name })} />
          {u.active && (
            <button type="button" class="button button-small" aria-label={t('users.inviteFor', { name: u.name })} onClick={() => void invite(u)}>
              {t('users.invite')}
            </button>
          )}
          {u.id !== session.me.id && (
            <button type="button" class={u.active ? 'button button-small button-danger' : 'button button-small'} onClick={() => toggle(u)}>
              {u.active ? t('users.disable') : t('users.enable')}
            </button>
          )}
          <HistoryButton objectType="user" objectId={u.id} name={u.name} />
        </>
      ),
    },
  ];
  return (
    <section>
      <PageHeader title={t('users.title')}>
        <button type="button" class="button button-primary" onClick={() => setEditing('new')}>
          {t('users.new')}
        </button>
      </PageHeader>
      <DataTable label={t('users.title')} stack columns={columns} rows={users.data && list} rowKey={(u) => u.id} loading={users.loading} error={error ?? users.error} />
      {invitation && (
        <Dialog title={t('users.inviteFor', { name: invitation.user.name })} open onClose={() => setInvitation(null)}>
          <p>{t('users.inviteIntro', { name: invitation.user.name, date: i18n.dateTime(invitation.expiresAt) })}</p>
          <div class="field">
            <label for="invitation-link">{t('users.invite')}</label>
            <input id="invitation-link" readOnly value={invitation.url} onFocus={(e) => e.currentTarget.select()} />
          </div>
          <p class="form-actions">
            <button
              type="button"
              class="button button-primary"
              onClick={() => {
                void navigator.clipboard?.writeText(invitation.url).then(() => notify(t('users.copied')));
              }}
            >
              {t('users.copy')}
            </button>
          </p>
        </Dialog>
      )}
      {editing && (
        <UserDialog
          user={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(created) => {
            setEditing(null);
            notify(created ? t('users.created') : t('common.saved'));
            users.reload();
          }}
        />
      )}
    </section>
  );
}

function UserDialog(props: { user: User | null; onClose(): void; onSaved(created: boolean): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const u = props.user;
  const [name, setName] = useState(u?.name ?? '');
  const [email, setEmail] = useState(u?.email ?? '');
  const [role, setRole] = useState<Role>(u?.role ?? 'member');
  const [memberId, setMemberId] = useState<number | null>(u?.memberId ?? session.me.memberId ?? session.members[0]?.id ?? null);
  const [password, setPassword] = useState('');
  const [currentPassword, setCurrentPassword] = useState('');
  // Changing one's own password asks for the current one (the server refuses it otherwise).
  const self = u !== null && u.id === session.me.id;
  // Coordinators open coordinators' and employees' (staff) accounts; a structure's admin, its own users'.
  const roles = session.isCoordinator ? ROLES : ROLES.filter((r) => r !== 'coordinator' && r !== 'staff');

  const { error, busy, onSubmit } = useFormSubmit(async () => {
    if (u) {
      const patch: Record<string, unknown> = {};
      if (name !== u.name) patch.name = name;
      if (email !== u.email) patch.email = email;
      if (role !== u.role) patch.role = role;
      if (password) patch.password = password;
      if (password && self) patch.currentPassword = currentPassword;
      if (Object.keys(patch).length) await api.patch(`/api/users/${u.id}`, patch);
      props.onSaved(false);
    } else {
      const body: Record<string, unknown> = { name, email, role, password };
      if (role !== 'coordinator') body.memberId = memberId;
      await api.post('/api/users', body);
      props.onSaved(true);
    }
  });

  return (
    <Dialog title={u ? t('users.edit', { name: u.name }) : t('users.new')} open onClose={props.onClose}>
      <form class="form" onSubmit={onSubmit}>
        <ErrorMessage error={error} />
        <div class="field">
          <label for="user-name">{t('common.name')}</label>
          <input id="user-name" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="user-email">{t('common.email')}</label>
          <input id="user-email" type="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="user-role">{t('users.role')}</label>
          <select id="user-role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {roleLabel(i18n, r)}
              </option>
            ))}
          </select>
        </div>
        {!u && role !== 'coordinator' && session.isCoordinator && (
          <div class="field">
            <label for="user-member">{t('common.member')}</label>
            <select id="user-member" value={memberId ?? ''} onChange={(e) => setMemberId(Number(e.currentTarget.value))}>
              {session.members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="field">
          <label for="user-password">{u ? t('users.newPassword') : t('users.password')}</label>
          <input
            id="user-password"
            type="password"
            autoComplete="new-password"
            minLength={10}
            required={!u}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </div>
        {self && password && (
          <div class="field">
            <label for="user-current-password">{t('users.currentPassword')}</label>
            <input
              id="user-current-password"
              type="password"
              autoComplete="current-password"
              required
              value={currentPassword}
              onInput={(e) => setCurrentPassword(e.currentTarget.value)}
            />
          </div>
        )}
        <FormActions onCancel={props.onClose} busy={busy} submitLabel={u ? t('common.save') : t('common.create')} />
      </form>
    </Dialog>
  );
}
