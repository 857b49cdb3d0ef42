import type { SendMailOptions } from 'nodemailer';
import type { AppContext } from '../context';
import { invoicePdf } from '../documents/service';
import { currentStatementPdf } from '../documents/versions';
import type { Actor } from '../shared/actor';
import { bookingInvitation } from './ics';
import type { BookingPayload, ClosePayload, MailKind, PasswordResetPayload } from './kinds';
import { mailHostOf } from './enqueue';
import { messageText, textAndHtml } from './messages';
import type { OutboxRow } from './repository';

/** The sender reads documents as the pole itself: a coordinator's view, no session. */
const SYSTEM: Actor = { userId: 0, role: 'coordinator', memberId: null, email: '', name: 'Mutualise', sessionId: '' };

const INVITES: Partial<Record<MailKind, 'REQUEST' | 'CANCEL'>> = {
  'booking.confirmed': 'REQUEST',
  'booking.approved': 'REQUEST',
  'booking.cancelled': 'CANCEL',
};

const common = (ctx: AppContext, row: Pick<OutboxRow, 'messageId' | 'toAddress' | 'ccAddress' | 'kind'>) => ({
  messageId: row.messageId,
  from: ctx.config.mailFrom,
  to: row.toAddress,
  ...(row.ccAddress ? { cc: row.ccAddress } : {}),
  headers: { 'Auto-Submitted': 'auto-generated', 'X-Mutualise-Kind': row.kind },
});

/** One outbox row as a mail: its words in the recipient's language, text + HTML, and its attachments. */
export async function composeMail(ctx: AppContext, row: OutboxRow): Promise<SendMailOptions> {
  const kind = row.kind as MailKind;
  const payload = JSON.parse(row.payload) as unknown;
  // Erased once delivered or dead: a link-less copy is never sent (its row is a dead letter, not a mail).
  if (kind === 'account.password_reset' && !(payload as PasswordResetPayload).secret) throw new Error('the password link was erased: ask for a new one');
  const words = messageText(kind, payload, row.lang);
  const base = ctx.config.publicUrl;
  const mail: SendMailOptions = { ...common(ctx, row), subject: words.subject, ...textAndHtml(words, base, row.lang) };
  const method = INVITES[kind];
  if (method) {
    mail.icalEvent = {
      method,
      filename: method === 'REQUEST' ? 'invitation.ics' : 'annulation.ics',
      content: bookingInvitation(payload as BookingPayload, {
        method,
        uidHost: mailHostOf(base),
        organizer: ctx.config.mailFrom,
        attendee: row.toAddress,
        summary: words.subject,
        url: `${base}/bookings`,
      }),
    };
  }
  if (kind === 'close.done') {
    const p = payload as ClosePayload;
    const files = [...(await Promise.all(p.invoices.map((i) => invoicePdf(ctx, SYSTEM, i.id)))), await currentStatementPdf(ctx, SYSTEM, p.month, p.memberId)];
    mail.attachments = files.map((f) => ({ filename: f.filename, content: f.body, contentType: f.contentType }));
  }
  return mail;
}

/** A recipient's held rows as one daily mail (no attachments: the links lead to them). */
export function composeDigest(ctx: AppContext, rows: readonly OutboxRow[]): SendMailOptions {
  const first = rows[0]!;
  const lang = first.lang;
  const fr = lang === 'fr';
  const sections = rows.map((r) => messageText(r.kind as MailKind, JSON.parse(r.payload), lang));
  const words = {
    subject: fr ? `Mutualise : ${rows.length} notification(s) du jour`.replace(' :', '\u00a0:') : `Mutualise: ${rows.length} notification(s) today`,
    paragraphs: sections.map((s) => `${s.subject}. ${s.paragraphs.join(' ')}`),
    items: sections.flatMap((s) => s.items),
    link: { label: fr ? 'Ouvrir Mutualise' : 'Open Mutualise', path: '/' },
  };
  const messageId = `<digest.${rows.map((r) => r.id).join('-').slice(0, 60)}${first.messageId.slice(first.messageId.lastIndexOf('.u'))}`;
  return { ...common(ctx, { ...first, messageId, kind: 'digest' as never }), subject: words.subject, ...textAndHtml(words, ctx.config.publicUrl, lang) };
}
