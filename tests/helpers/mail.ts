import type { AddressObject, ParsedMail } from 'mailparser';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { FastifyInstance } from 'fastify';
import { createSender, type Sender } from '../../server/notifications/sender';
import { smtpTransport } from '../../server/notifications/transport';

export interface Received {
  mail: ParsedMail;
  /** The envelope's recipients (RCPT TO), which is who really gets it. */
  rcpt: string[];
}

/** A real SMTP server in the test process (smtp-server), every message parsed with mailparser. */
export interface MailServer {
  port: number;
  url: string;
  received: Received[];
  /** Stops listening: the SMTP server is down. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

export async function startMailServer(): Promise<MailServer> {
  const received: Received[] = [];
  let server: SMTPServer | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onData(stream, session, callback) {
          simpleParser(stream).then(
            (mail) => {
              received.push({ mail, rcpt: session.envelope.rcptTo.map((r) => r.address) });
              callback();
            },
            (err: Error) => callback(err),
          );
        },
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const address = (server as unknown as { server: { address(): { port: number } } }).server.address();
        port = address.port;
        resolve();
      });
    });
  await listen();
  return {
    get port() {
      return port;
    },
    get url() {
      return `smtp://127.0.0.1:${port}`;
    },
    received,
    stop: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
    start: listen,
  };
}

/** The app's sender, delivering to the test server. Tests call `tick()` themselves: no timer, no race. */
export function testSender(app: FastifyInstance, mail: MailServer): Sender {
  return createSender(app.ctx, smtpTransport(mail.url));
}

export const addresses = (a: AddressObject | AddressObject[] | undefined) => (a ? (Array.isArray(a) ? a : [a]).flatMap((x) => x.value.map((v) => v.address)) : []);

/** The calendar part of a mail (nodemailer's icalEvent), as text. */
export function calendarOf(mail: ParsedMail): string | undefined {
  const part = mail.attachments.find((a) => /text\/calendar/.test(a.contentType));
  return part?.content.toString('utf8');
}
