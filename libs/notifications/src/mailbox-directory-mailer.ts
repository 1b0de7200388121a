import { createHash, randomBytes } from 'crypto';
import { mkdir, open, rename, rm } from 'fs/promises';
import { join, resolve } from 'path';
import type { Transporter } from 'nodemailer';
import { MailMessage, Mailer } from './mailer';
import { nodemailer, nodemailerMessage } from './nodemailer-message';

export interface MailboxDirectoryMailerOptions {
  directory: string;
  /** 'Name <address>' */
  from: string;
}

/**
 * Stands in for SMTP when none is configured (the embedded runtime, development): each mail is
 * rendered exactly as it would go over the wire (nodemailer's stream transport) and written as an
 * RFC 822 `<messageId>.eml` file that any mail client opens. The file appears whole or not at all
 * (written to a hidden temp file, synced, renamed), and a mail sent twice overwrites itself, so the
 * directory holds one file per notice.
 */
export class MailboxDirectoryMailer implements Mailer {
  readonly description: string;
  private readonly directory: string;
  private transport?: Transporter;

  constructor(private readonly options: MailboxDirectoryMailerOptions) {
    this.directory = resolve(options.directory);
    this.description = `mailbox directory ${this.directory}`;
  }

  /** The file a message ends up in. */
  pathOf(messageId: string): string {
    return join(this.directory, `${fileNameOf(messageId)}.eml`);
  }

  async send(message: MailMessage): Promise<void> {
    this.transport ??= nodemailer().createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    const info = await this.transport.sendMail(nodemailerMessage(message, this.options.from));
    await mkdir(this.directory, { recursive: true });
    const target = this.pathOf(message.messageId);
    const temp = join(this.directory, `.${randomBytes(6).toString('hex')}.tmp`);
    const file = await open(temp, 'wx');
    try {
      await file.writeFile(info.message as Buffer);
      await file.sync();
    } catch (error) {
      await file.close();
      await rm(temp, { force: true });
      throw error;
    }
    await file.close();
    await rename(temp, target);
  }

  async close(): Promise<void> {
    this.transport?.close();
  }
}

/**
 * A file name that stands for exactly one Message-ID: letters, digits and `@._+-` are kept, every
 * other byte becomes `%XX` (so `a/b` and `a_b` never share a file, and no id can climb out of the
 * directory or hide itself behind a leading dot).
 */
export function fileNameOf(messageId: string): string {
  const encoded = [...Buffer.from(messageId, 'utf8')]
    .map((byte, index) => {
      const char = String.fromCharCode(byte);
      const plain = /[A-Za-z0-9@_+-]/.test(char) || (char === '.' && index > 0);
      return plain ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
  // File names stop at 255 bytes; a longer id keeps a readable start and a hash of the whole.
  if (encoded.length <= 200) return encoded;
  return `${encoded.slice(0, 120)}~${createHash('sha256').update(messageId).digest('hex')}`;
}
