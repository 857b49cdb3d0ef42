import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { emlFileName, outboxDirOf } from './eml-files';

export interface MailTransport {
  /** Resolves once the mail is accepted (by the SMTP server, or written to disk); rejects otherwise. */
  send(mail: SendMailOptions): Promise<void>;
  close(): void;
  describe: string;
}

/** Over SMTP (nodemailer, pooled connection). */
export function smtpTransport(url: string): MailTransport {
  const t = nodemailer.createTransport(url);
  return {
    describe: `SMTP ${new URL(url).host}`,
    async send(mail) {
      await t.sendMail(mail);
    },
    close: () => t.close(),
  };
}

/**
 * Without SMTP: each mail is written as an .eml file (the raw message nodemailer builds), named after its
 * Message-ID, so a repeat overwrites the same file. Written to a temporary name then renamed: a reader never
 * sees half a file.
 */
export function fileTransport(dir: string): MailTransport {
  const t = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    describe: `.eml files in ${dir}`,
    async send(mail) {
      const info = (await t.sendMail(mail)) as unknown as { message: Buffer };
      const path = join(dir, emlFileName(String(mail.messageId ?? Date.now())));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(`${path}.tmp`, info.message);
      renameSync(`${path}.tmp`, path);
    },
    close: () => undefined,
  };
}

export function transportFor(config: { smtpUrl: string | null; outboxDir: string | null; dbPath: string }): MailTransport {
  if (config.smtpUrl) return smtpTransport(config.smtpUrl);
  return fileTransport(outboxDirOf(config));
}
