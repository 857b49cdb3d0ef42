import { DateTime } from 'luxon';
import type { BookingPayload, ClosePayload, CostsMissingPayload, MailKind, NotificationKind, OverduePayload, PasswordResetPayload } from './kinds';

/** A message's words, before it becomes text and HTML: a greeting-free subject, paragraphs, and the link into the app. */
export interface MessageText {
  subject: string;
  paragraphs: string[];
  /** Bulleted lines (occurrences, invoices, resources). */
  items: string[];
  link: { label: string; path: string };
  /** Mails one asked for (a password link) end with what to do if one did not, not with notification settings. */
  unasked?: string;
}

type Lang = 'fr' | 'en';

/**
 * « de » before a name or a month, as the client's French grammar writes it (client/src/i18n/french.ts): du,
 * des, de la, de l’, d’ before a vowel.
 */
export function de(name: string): string {
  const m = /^(le|les|la) (.+)$/i.exec(name);
  if (m) return `${m[1]!.toLowerCase() === 'le' ? 'du' : m[1]!.toLowerCase() === 'les' ? 'des' : 'de la'} ${m[2]}`;
  const l = /^l[’'](.+)$/i.exec(name);
  if (l) return `de l’${l[1]}`;
  return /^[aeiouyàâäéèêëîïôöùûüœæ]/i.test(name) ? `d’${name}` : `de ${name}`;
}

const when = (lang: Lang, zone: string, start: number, end: number) => {
  const s = DateTime.fromMillis(start, { zone }).setLocale(lang === 'fr' ? 'fr-FR' : 'en-GB');
  const e = DateTime.fromMillis(end, { zone }).setLocale(lang === 'fr' ? 'fr-FR' : 'en-GB');
  const sameDay = s.toISODate() === e.toISODate();
  return `${s.toFormat(lang === 'fr' ? "cccc d LLLL yyyy, HH'h'mm" : 'cccc d LLLL yyyy, HH:mm')} – ${e.toFormat(sameDay ? (lang === 'fr' ? "HH'h'mm" : 'HH:mm') : lang === 'fr' ? "d LLLL yyyy, HH'h'mm" : 'd LLLL yyyy, HH:mm')}`;
};

export function money(cents: number, lang: Lang): string {
  const abs = Math.abs(cents);
  const units = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'fr' ? '\u202f' : ',');
  const sign = cents < 0 ? '-' : '';
  return lang === 'fr' ? `${sign}${units},${String(abs % 100).padStart(2, '0')}\u00a0€` : `${sign}€${units}.${String(abs % 100).padStart(2, '0')}`;
}

const monthName = (month: string, lang: Lang) => DateTime.fromISO(`${month}-01`).setLocale(lang === 'fr' ? 'fr-FR' : 'en-GB').toFormat('LLLL yyyy');

const BOOKING_SUBJECT: Record<string, Record<Lang, string>> = {
  'booking.confirmed': { fr: 'Réservation confirmée', en: 'Booking confirmed' },
  'booking.pending': { fr: 'Réservation en attente de validation', en: 'Booking awaiting approval' },
  'booking.approved': { fr: 'Réservation validée', en: 'Booking approved' },
  'booking.rejected': { fr: 'Réservation refusée', en: 'Booking rejected' },
  'booking.cancelled': { fr: 'Réservation annulée', en: 'Booking cancelled' },
  'approval.requested': { fr: 'Réservation à valider', en: 'Booking to approve' },
};

function bookingText(kind: NotificationKind, p: BookingPayload, lang: Lang): MessageText {
  const fr = lang === 'fr';
  const subject = `${BOOKING_SUBJECT[kind]![lang]} : ${p.resourceName}`.replace(' :', fr ? '\u00a0:' : ':');
  const by = p.actorName;
  const lead: Record<string, Record<Lang, string>> = {
    'booking.confirmed': { fr: `Votre réservation de « ${p.resourceName} » pour ${p.memberName} est confirmée.`, en: `Your booking of “${p.resourceName}” for ${p.memberName} is confirmed.` },
    'booking.pending': { fr: `Votre réservation de « ${p.resourceName} » pour ${p.memberName} attend la validation d’un coordinateur.`, en: `Your booking of “${p.resourceName}” for ${p.memberName} awaits a coordinator’s approval.` },
    'booking.approved': { fr: `${by} a validé votre réservation de « ${p.resourceName} ».`, en: `${by} approved your booking of “${p.resourceName}”.` },
    'booking.rejected': { fr: `${by} a refusé votre réservation de « ${p.resourceName} ».`, en: `${by} rejected your booking of “${p.resourceName}”.` },
    'booking.cancelled': { fr: `${by} a annulé votre réservation de « ${p.resourceName} ».`, en: `${by} cancelled your booking of “${p.resourceName}”.` },
    'approval.requested': { fr: `${by} (${p.memberName}) demande à réserver « ${p.resourceName} ».`, en: `${by} (${p.memberName}) asks to book “${p.resourceName}”.` },
  };
  const approval = kind === 'approval.requested';
  return {
    subject,
    paragraphs: [lead[kind]![lang]],
    items: p.bookings.map((b) => `${when(lang, p.zone, b.startMs, b.endMs)}${b.quantity > 1 ? ` (× ${b.quantity})` : ''}${b.note ? ` — ${b.note}` : ''}`),
    link: approval ? { label: fr ? 'Valider ou refuser' : 'Approve or reject', path: '/approvals' } : { label: fr ? 'Mes réservations' : 'My bookings', path: '/bookings' },
  };
}

function closeText(p: ClosePayload, lang: Lang): MessageText {
  const fr = lang === 'fr';
  const m = monthName(p.month, lang);
  if (p.adjustment) return adjustmentText(p, m, lang);
  return {
    subject: fr ? `Clôture ${de(m)}\u00a0: factures ${de(p.memberName)}` : `${m} closed: invoices of ${p.memberName}`,
    paragraphs: [
      fr
        ? `Le mois ${de(m)} est clôturé. Vous trouverez en pièces jointes les factures émises et reçues par ${p.memberName} et son relevé de répartition.`
        : `${m} is closed. Attached are the invoices ${p.memberName} issued and received, and its cost-split statement.`,
    ],
    items: p.invoices.map((i) => `${i.number} — ${i.role === 'seller' ? (fr ? 'émise' : 'issued') : fr ? 'reçue' : 'received'} — ${money(i.totalInclVatCents, lang)} ${fr ? 'TTC' : 'incl. VAT'}`),
    link: { label: fr ? 'Voir les factures' : 'See the invoices', path: '/invoices' },
  };
}

/** Documents of an adjustment to a closed month: the same mail as the close's, worded as a correction. */
function adjustmentText(p: ClosePayload, m: string, lang: Lang): MessageText {
  const fr = lang === 'fr';
  return {
    subject: fr ? `Régularisation ${de(m)}\u00a0: documents ${de(p.memberName)}` : `${m} adjusted: documents of ${p.memberName}`,
    paragraphs: [
      fr
        ? `Le mois ${de(m)}, déjà clôturé, a été régularisé. Vous trouverez en pièces jointes les factures complémentaires et avoirs émis et reçus par ${p.memberName} et son relevé de répartition mis à jour.`
        : `${m}, already closed, was adjusted. Attached are the supplementary invoices and credit notes ${p.memberName} issued and received, and its updated cost-split statement.`,
    ],
    items: p.invoices.map((i) => `${i.number} — ${i.role === 'seller' ? (fr ? 'émis' : 'issued') : fr ? 'reçu' : 'received'} — ${money(i.totalInclVatCents, lang)} ${fr ? 'TTC' : 'incl. VAT'}`),
    link: { label: fr ? 'Voir les factures' : 'See the invoices', path: '/invoices' },
  };
}

function overdueText(p: OverduePayload, lang: Lang): MessageText {
  const fr = lang === 'fr';
  const due = DateTime.fromISO(p.dueDate).setLocale(fr ? 'fr-FR' : 'en-GB').toFormat('d LLLL yyyy');
  return {
    subject: fr ? `Facture ${p.number} échue : ${money(p.openCents, lang)} restent dus`.replace(' :', '\u00a0:') : `Invoice ${p.number} overdue: ${money(p.openCents, lang)} still due`,
    paragraphs: [
      fr
        ? `La facture ${p.number} ${de(p.sellerName)} était payable le ${due}. Il reste ${money(p.openCents, lang)} à régler.`
        : `Invoice ${p.number} from ${p.sellerName} was due on ${due}. ${money(p.openCents, lang)} remain to be paid.`,
    ],
    items: [],
    link: { label: fr ? 'Voir la facture' : 'See the invoice', path: '/invoices' },
  };
}

function costsText(p: CostsMissingPayload, lang: Lang): MessageText {
  const fr = lang === 'fr';
  const m = monthName(p.month, lang);
  return {
    subject: fr ? `Coûts manquants pour ${m}` : `Costs missing for ${m}`,
    paragraphs: [fr ? `Ces ressources ont été utilisées en ${m} mais aucun coût n’est saisi : le mois ne peut pas être réparti.` : `These resources were used in ${m} but have no cost entered: the month cannot be split.`],
    items: p.resources.map((r) => r.name),
    link: { label: fr ? 'Saisir les coûts' : 'Enter the costs', path: '/costs' },
  };
}

/** The link is in the mail only while its secret is in the payload: once sent, the outbox keeps a harmless version. */
function resetText(p: PasswordResetPayload, lang: Lang): MessageText {
  const fr = lang === 'fr';
  const until = DateTime.fromMillis(p.expiresAtMs, { zone: p.zone })
    .setLocale(fr ? 'fr-FR' : 'en-GB')
    .toFormat(fr ? "d LLLL yyyy 'à' HH'h'mm" : 'd LLLL yyyy, HH:mm');
  return {
    subject: fr ? 'Choisir un nouveau mot de passe' : 'Choose a new password',
    paragraphs: [
      fr ? `Un nouveau mot de passe a été demandé pour votre compte Mutualise (${p.email}).` : `A new password was asked for your Mutualise account (${p.email}).`,
      fr ? `Le lien ci-dessous sert une seule fois, jusqu’au ${until}.` : `The link below works once, until ${until}.`,
    ],
    items: [],
    link: {
      label: fr ? 'Choisir un nouveau mot de passe' : 'Choose a new password',
      path: p.secret ? `/set-password#${p.tokenId}.${p.secret}` : '/forgot-password',
    },
    unasked: fr ? 'Si vous n’avez rien demandé, ignorez ce message\u00a0: votre mot de passe ne change pas.' : 'If you did not ask, ignore this message: your password does not change.',
  };
}

export function messageText(kind: MailKind, payload: unknown, lang: Lang): MessageText {
  switch (kind) {
    case 'account.password_reset':
      return resetText(payload as PasswordResetPayload, lang);
    case 'close.done':
      return closeText(payload as ClosePayload, lang);
    case 'invoice.overdue':
      return overdueText(payload as OverduePayload, lang);
    case 'costs.missing':
      return costsText(payload as CostsMissingPayload, lang);
    default:
      return bookingText(kind as NotificationKind, payload as BookingPayload, lang);
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Plain text and HTML of the same words; every value is escaped in the HTML. */
export function textAndHtml(m: MessageText, baseUrl: string, lang: Lang): { text: string; html: string } {
  const url = `${baseUrl}${m.link.path}`;
  const footer = lang === 'fr' ? 'Vous recevez ce message de Mutualise. Réglez vos notifications dans l’application : ' : 'You receive this message from Mutualise. Change your notifications in the app: ';
  const settings = `${baseUrl}/notifications`;
  const text = [
    ...m.paragraphs,
    ...(m.items.length ? [m.items.map((i) => `- ${i}`).join('\n')] : []),
    `${m.link.label} : ${url}`.replace(' :', lang === 'fr' ? '\u00a0:' : ':'),
    `--\n${m.unasked ?? `${footer}${settings}`}`,
  ].join('\n\n');
  const footerHtml = m.unasked ? escapeHtml(m.unasked) : `${escapeHtml(footer)}<a href="${escapeHtml(settings)}">${escapeHtml(settings)}</a>`;
  const html = `<!doctype html><html lang="${lang}"><body style="font-family:sans-serif">${m.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}${
    m.items.length ? `<ul>${m.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>` : ''
  }<p><a href="${escapeHtml(url)}">${escapeHtml(m.link.label)}</a></p><hr><p style="color:#666;font-size:small">${footerHtml}</p></body></html>`;
  return { text, html };
}
