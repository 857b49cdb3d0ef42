import { useState } from 'preact/hooks';
import { CheckboxField, Dialog, EditButton, ErrorMessage, Field, FormActions, PageHeader, SelectField, TableWrap, useFormSubmit, useNotify } from '../components/ui';
import { useI18n } from '../i18n/index';
import { api } from '../lib/api';
import { centsInput, parseCents } from '../lib/money';
import { legalFormLabel, vatLabel } from '../lib/labels';
import { useSession } from '../lib/session';
import { LEGAL_FORMS, VAT_STATUSES, type LegalForm, type Member, type VatStatus } from '../lib/types';
import { isValidIban, normaliseCode, vatNumberOf } from '../lib/vat';
import { HistoryPanel } from '../components/HistoryPanel';

/** Member structures: identity (SIREN/SIRET), address, VAT status and 261 B eligibility, payment and legal details, weight, dates. */
export function MembersPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const notify = useNotify();
  const [editing, setEditing] = useState<Member | 'new' | null>(null);
  const [history, setHistory] = useState<Member | null>(null);
  const list = [...session.members].sort((a, b) => a.name.localeCompare(b.name));

  return (
    <section>
      <PageHeader title={t('members.title')}>
        <button type="button" class="button button-primary" onClick={() => setEditing('new')}>
          {t('members.new')}
        </button>
      </PageHeader>
      <GroupingSetting />
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
                  {m.id === session.pole.groupingMemberId && <span class="muted"> · {t('members.grouping')}</span>}
                  {!m.billingMandateSince && !m.publicBody && <span class="muted"> · {t('members.noMandate')}</span>}
                </td>
                <td data-label={t('members.legalForm')}>
                  {legalFormLabel(i18n, m.legalForm)}
                  {m.publicBody && <span class="muted"> · {t('members.publicBodyShort')}</span>}
                </td>
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
                  <EditButton onClick={() => setEditing(m)} label={t('members.edit', { name: m.name })} />{' '}
                  <button type="button" class="button button-small" onClick={() => setHistory(m)} aria-label={t('members.history', { name: m.name })}>
                    {t('audit.history')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {history && (
        <Dialog title={t('members.history', { name: history.name })} open onClose={() => setHistory(null)} wide>
          <HistoryPanel objectType="member" objectId={history.id} />
        </Dialog>
      )}
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

/** The pole's groupement de moyens (CGI 261 B): only its exact-share invoices to eligible members are exempt. */
function GroupingSetting() {
  const { t } = useI18n();
  const session = useSession();
  const notify = useNotify();
  const [value, setValue] = useState(String(session.pole.groupingMemberId ?? ''));
  const { error, busy, onSubmit } = useFormSubmit(async () => {
    const updated = await api.patch<{ groupingMemberId: number | null }>('/api/pole', { groupingMemberId: value ? Number(value) : null });
    session.pole.groupingMemberId = updated.groupingMemberId;
    notify(t('common.saved'));
    session.reloadMembers();
  });
  return (
    <form class="card section filters" onSubmit={onSubmit}>
      <ErrorMessage error={error} />
      <SelectField
        label={t('members.groupingSetting')}
        value={value}
        onChange={setValue}
        options={[{ value: '', label: t('members.noGrouping') }, ...session.members.map((m) => ({ value: String(m.id), label: m.name }))]}
      />
      <p class="hint">{t('members.groupingHelp')}</p>
      <button type="submit" class="button" disabled={busy}>
        {t('common.save')}
      </button>
    </form>
  );
}

const COMPANY_FORMS: LegalForm[] = ['scop', 'scic', 'company'];
const orNull = (v: string) => (v.trim() ? v.trim() : null);

function MemberDialog(props: { member: Member | null; onClose(): void; onSaved(created: boolean): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const m = props.member;
  const [form, setForm] = useState({
    name: m?.name ?? '',
    legalForm: (m?.legalForm ?? 'association') as LegalForm,
    siret: m?.siret ?? '',
    address: m?.address ?? '',
    postalCode: m?.postalCode ?? '',
    city: m?.city ?? '',
    deliveryAddress: m?.deliveryAddress ?? '',
    billingEmail: m?.billingEmail ?? '',
    vatStatus: (m?.vatStatus ?? 'non_assujetti') as VatStatus,
    eligible261B: m?.eligible261B ?? false,
    eligible261BSince: m?.eligible261BSince ?? '',
    vatOnDebits: m?.vatOnDebits ?? false,
    vatNumber: m?.vatNumber ?? '',
    publicBody: m?.publicBody ?? false,
    chorusServiceCode: m?.chorusServiceCode ?? '',
    chorusEngagement: m?.chorusEngagement ?? '',
    shareCapital: m?.shareCapitalCents == null ? '' : centsInput(m.shareCapitalCents),
    rcsCity: m?.rcsCity ?? '',
    iban: m?.iban ?? '',
    bic: m?.bic ?? '',
    billingMandateSince: m?.billingMandateSince ?? '',
    weight: String(m?.weight ?? 1),
    joinedOn: m?.joinedOn ?? '',
    leftOn: m?.leftOn ?? '',
    invoicePrefix: m?.invoicePrefix ?? '',
  });
  // A new structure's prefix follows its name until someone types one; the server keeps it unique.
  const prefix = form.invoicePrefix || (m ? '' : suggestPrefix(form.name));
  const set = (key: keyof typeof form) => (e: Event) => setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value });
  const flag = (key: keyof typeof form) => (checked: boolean) => setForm({ ...form, [key]: checked });

  // Inline checks, as the server makes them: the VAT key comes from the SIREN, an IBAN has mod-97 check digits.
  const siren = form.siret.replace(/\s/g, '').slice(0, 9);
  const expectedVat = vatNumberOf(siren);
  const vatProblem = form.vatNumber.trim() && expectedVat && normaliseCode(form.vatNumber) !== expectedVat ? t('members.vatNumberMismatch', { expected: expectedVat }) : '';
  const ibanProblem = form.iban.trim() && !isValidIban(form.iban) ? t('members.ibanInvalid') : '';
  const company = COMPANY_FORMS.includes(form.legalForm);

  const { error, busy, onSubmit } = useFormSubmit(async () => {
    const capital = form.shareCapital.trim() ? parseCents(form.shareCapital) : null;
    if (company && form.shareCapital.trim() && capital === null) throw new Error(t('money.unreadable'));
    const body: Record<string, unknown> = {
      name: form.name.trim(),
      legalForm: form.legalForm,
      siret: form.siret.replace(/\s/g, ''),
      address: form.address.trim(),
      postalCode: orNull(form.postalCode),
      city: orNull(form.city),
      deliveryAddress: orNull(form.deliveryAddress),
      billingEmail: form.billingEmail.trim(),
      vatStatus: form.vatStatus,
      eligible261B: form.eligible261B,
      eligible261BSince: form.eligible261B ? form.eligible261BSince || null : null,
      vatOnDebits: form.vatOnDebits,
      vatNumber: form.vatNumber.trim() ? normaliseCode(form.vatNumber) : null,
      publicBody: form.publicBody,
      chorusServiceCode: form.publicBody ? orNull(form.chorusServiceCode) : null,
      chorusEngagement: form.publicBody ? orNull(form.chorusEngagement) : null,
      shareCapitalCents: company ? capital : null,
      rcsCity: company ? orNull(form.rcsCity) : null,
      iban: form.iban.trim() ? normaliseCode(form.iban) : null,
      bic: form.bic.trim() ? normaliseCode(form.bic) : null,
      billingMandateSince: form.billingMandateSince || null,
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
          <Field id="member-postal" label={t('members.postalCode')} inputMode="numeric" maxLength={10} value={form.postalCode} onInput={set('postalCode')} />
          <Field id="member-city" label={t('members.city')} maxLength={120} value={form.city} onInput={set('city')} />
        </div>
        <Field id="member-delivery" label={`${t('members.deliveryAddress')} ${t('common.optional')}`} maxLength={500} value={form.deliveryAddress} onInput={set('deliveryAddress')} />
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
        <fieldset class="fieldset">
          <legend>{t('members.vatSection')}</legend>
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
            <Field
              id="member-vatnumber"
              label={`${t('members.vatNumber')} ${t('common.optional')}`}
              value={form.vatNumber}
              onInput={set('vatNumber')}
              aria-invalid={vatProblem ? 'true' : undefined}
              hint={vatProblem || (expectedVat ? t('members.vatNumberExpected', { expected: expectedVat }) : undefined)}
            />
          </div>
          <CheckboxField id="member-eligible" label={t('members.eligible261B')} checked={form.eligible261B} onChange={flag('eligible261B')} />
          {form.eligible261B && <Field id="member-eligible-since" type="date" label={t('members.eligible261BSince')} value={form.eligible261BSince} onInput={set('eligible261BSince')} />}
          <CheckboxField id="member-debits" label={t('members.vatOnDebits')} checked={form.vatOnDebits} onChange={flag('vatOnDebits')} />
        </fieldset>
        {company && (
          <div class="form-row">
            <Field id="member-capital" label={t('members.shareCapital')} inputMode="decimal" required value={form.shareCapital} onInput={set('shareCapital')} />
            <Field id="member-rcs" label={t('members.rcsCity')} required maxLength={120} value={form.rcsCity} onInput={set('rcsCity')} />
          </div>
        )}
        <CheckboxField id="member-public" label={t('members.publicBody')} checked={form.publicBody} onChange={flag('publicBody')} />
        {form.publicBody && (
          <div class="form-row">
            <Field id="member-chorus" label={t('members.chorusServiceCode')} maxLength={100} value={form.chorusServiceCode} onInput={set('chorusServiceCode')} />
            <Field id="member-engagement" label={t('members.chorusEngagement')} maxLength={50} value={form.chorusEngagement} onInput={set('chorusEngagement')} />
          </div>
        )}
        <div class="form-row">
          <Field
            id="member-iban"
            label={`${t('members.iban')} ${t('common.optional')}`}
            value={form.iban}
            onInput={set('iban')}
            aria-invalid={ibanProblem ? 'true' : undefined}
            hint={ibanProblem || undefined}
          />
          <Field id="member-bic" label={`${t('members.bic')} ${t('common.optional')}`} maxLength={14} value={form.bic} onInput={set('bic')} />
        </div>
        <Field id="member-mandate" type="date" label={t('members.billingMandateSince')} hint={t('members.mandateHelp')} value={form.billingMandateSince} onInput={set('billingMandateSince')} />
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
