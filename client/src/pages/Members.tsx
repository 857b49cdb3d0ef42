import { useState } from 'preact/hooks';
import { Dialog, EditButton, ErrorMessage, FormActions, PageHeader, TableWrap, useFormSubmit, useNotify } from '../components/ui';
import { useI18n } from '../i18n/index';
import { api } from '../lib/api';
import { legalFormLabel, vatLabel } from '../lib/labels';
import { useSession } from '../lib/session';
import { LEGAL_FORMS, VAT_STATUSES, type LegalForm, type Member, type VatStatus } from '../lib/types';

/** Member structures: identity (SIREN/SIRET), billing, VAT regime, allocation weight, joining and leaving dates. */
export function MembersPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const notify = useNotify();
  const [editing, setEditing] = useState<Member | 'new' | null>(null);
  const list = [...session.members].sort((a, b) => a.name.localeCompare(b.name));

  return (
    <section>
      <PageHeader title={t('members.title')}>
        <button type="button" class="button button-primary" onClick={() => setEditing('new')}>
          {t('members.new')}
        </button>
      </PageHeader>
      <TableWrap label={t('members.title')}>
        <table class="table table-stack">
          <thead>
            <tr>
              <th scope="col">{t('common.name')}</th>
              <th scope="col">{t('members.legalForm')}</th>
              <th scope="col">{t('members.siret')}</th>
              <th scope="col">{t('members.vatRegime')}</th>
              <th scope="col" class="num">
                {t('members.weight')}
              </th>
              <th scope="col">{t('members.joinedOn')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((m) => (
              <tr key={m.id} class={m.leftOn ? 'row-muted' : undefined}>
                <td data-label={t('common.name')}>
                  <strong>{m.name}</strong>
                  {m.id === session.pole.carrierMemberId && <span class="muted"> · {t('members.carrier')}</span>}
                </td>
                <td data-label={t('members.legalForm')}>{legalFormLabel(i18n, m.legalForm)}</td>
                <td data-label={t('members.siret')} class="mono">
                  {m.siret}
                </td>
                <td data-label={t('members.vatRegime')}>
                  {vatLabel(i18n, m.vatStatus)}
                  {m.eligible261B && <span class="muted"> · {t('members.eligible261BShort')}</span>}
                </td>
                <td data-label={t('members.weight')} class="num">
                  {m.weight}
                </td>
                <td data-label={t('members.joinedOn')}>
                  {i18n.day(m.joinedOn)}
                  {m.leftOn ? ` → ${i18n.day(m.leftOn)}` : ''}
                </td>
                <td data-label={t('common.actions')} class="actions">
                  <EditButton onClick={() => setEditing(m)} label={t('members.edit', { name: m.name })} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {editing && (
        <MemberDialog
          member={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(created) => {
            setEditing(null);
            notify(created ? t('members.created') : t('common.saved'));
            session.reloadMembers();
          }}
        />
      )}
    </section>
  );
}

function MemberDialog(props: { member: Member | null; onClose(): void; onSaved(created: boolean): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const m = props.member;
  const [form, setForm] = useState({
    name: m?.name ?? '',
    legalForm: (m?.legalForm ?? 'association') as LegalForm,
    siret: m?.siret ?? '',
    address: m?.address ?? '',
    billingEmail: m?.billingEmail ?? '',
    vatStatus: (m?.vatStatus ?? 'non_assujetti') as VatStatus,
    eligible261B: m?.eligible261B ?? false,
    vatNumber: m?.vatNumber ?? '',
    weight: String(m?.weight ?? 1),
    joinedOn: m?.joinedOn ?? '',
    leftOn: m?.leftOn ?? '',
    invoicePrefix: m?.invoicePrefix ?? '',
  });
  // A new structure's prefix follows its name until someone types one; the server keeps it unique.
  const prefix = form.invoicePrefix || (m ? '' : suggestPrefix(form.name));
  const set = (key: keyof typeof form) => (e: Event) => setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value });
  const toggle = (key: keyof typeof form) => (e: Event) => setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).checked });

  const { error, busy, onSubmit } = useFormSubmit(async () => {
    const body: Record<string, unknown> = {
      name: form.name.trim(),
      legalForm: form.legalForm,
      siret: form.siret.replace(/\s/g, ''),
      address: form.address.trim(),
      billingEmail: form.billingEmail.trim(),
      vatStatus: form.vatStatus,
      eligible261B: form.eligible261B,
      vatNumber: form.vatNumber.trim() ? form.vatNumber.trim().toUpperCase() : null,
      weight: Number(form.weight),
    };
    if (prefix && prefix !== m?.invoicePrefix) body.invoicePrefix = prefix;
    if (form.joinedOn) body.joinedOn = form.joinedOn;
    if (m || form.leftOn) body.leftOn = form.leftOn || null;
    if (m) {
      body.siren = body.siret && String(body.siret).slice(0, 9);
      await api.patch(`/api/members/${m.id}`, body);
    } else {
      await api.post('/api/members', body);
    }
    props.onSaved(!m);
  });

  return (
    <Dialog title={m ? t('members.edit', { name: m.name }) : t('members.new')} open onClose={props.onClose} wide>
      <form class="form" onSubmit={onSubmit}>
        <ErrorMessage error={error} />
        <div class="field">
          <label for="member-name">{t('common.name')}</label>
          <input id="member-name" required maxLength={200} value={form.name} onInput={set('name')} />
        </div>
        <div class="form-row">
          <div class="field">
            <label for="member-form">{t('members.legalForm')}</label>
            <select id="member-form" value={form.legalForm} onChange={set('legalForm')}>
              {LEGAL_FORMS.map((f) => (
                <option key={f} value={f}>
                  {legalFormLabel(i18n, f)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="member-siret">{t('members.siret')}</label>
            <input id="member-siret" required inputMode="numeric" pattern="[0-9 ]{14,17}" value={form.siret} onInput={set('siret')} />
          </div>
        </div>
        <div class="field">
          <label for="member-address">{t('members.address')}</label>
          <input id="member-address" required maxLength={500} value={form.address} onInput={set('address')} />
        </div>
        <div class="field">
          <label for="member-prefix">{t('members.invoicePrefix')}</label>
          <input
            id="member-prefix"
            pattern="[A-Z0-9]{2,12}"
            maxLength={12}
            value={prefix}
            onInput={(e) => setForm({ ...form, invoicePrefix: e.currentTarget.value.toUpperCase() })}
            aria-describedby="member-prefix-hint"
          />
          <small id="member-prefix-hint" class="hint">
            {t('members.invoicePrefixHint')}
          </small>
        </div>
        <div class="form-row">
          <div class="field">
            <label for="member-email">{t('members.billingEmail')}</label>
            <input id="member-email" type="email" required value={form.billingEmail} onInput={set('billingEmail')} />
          </div>
          <div class="field">
            <label for="member-weight">{t('members.weight')}</label>
            <input id="member-weight" type="number" min={0} step={1} required value={form.weight} onInput={set('weight')} />
          </div>
        </div>
        <div class="form-row">
          <div class="field">
            <label for="member-vat">{t('members.vatRegime')}</label>
            <select id="member-vat" value={form.vatStatus} onChange={set('vatStatus')}>
              {VAT_STATUSES.map((v) => (
                <option key={v} value={v}>
                  {vatLabel(i18n, v)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="member-vatnumber">
              {t('members.vatNumber')} <span class="muted">{t('common.optional')}</span>
            </label>
            <input id="member-vatnumber" pattern="[A-Za-z]{2}[0-9A-Za-z]{2,13}" value={form.vatNumber} onInput={set('vatNumber')} />
          </div>
        </div>
        <div class="field field-check">
          <label>
            <input type="checkbox" checked={form.eligible261B} onChange={toggle('eligible261B')} /> {t('members.eligible261B')}
          </label>
        </div>
        <div class="form-row">
          <div class="field">
            <label for="member-joined">{t('members.joinedOn')}</label>
            <input id="member-joined" type="date" value={form.joinedOn} onInput={set('joinedOn')} />
          </div>
          <div class="field">
            <label for="member-left">
              {t('members.leftOn')} <span class="muted">{t('common.optional')}</span>
            </label>
            <input id="member-left" type="date" value={form.leftOn} onInput={set('leftOn')} />
          </div>
        </div>
        <FormActions onCancel={props.onClose} busy={busy} submitLabel={m ? t('common.save') : t('common.create')} />
      </form>
    </Dialog>
  );
}

/** Letters of the name, without accents or small words, in capitals: « Le Ferrailleur » → FERRAI. */
export function suggestPrefix(name: string): string {
  const words = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((w) => w && !['LE', 'LA', 'LES', 'L', 'DE', 'DU', 'DES', 'D', 'ET', 'A', 'AU', 'AUX'].includes(w));
  return words.join('').slice(0, 6);
}
