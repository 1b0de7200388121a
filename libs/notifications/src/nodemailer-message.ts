import type * as Nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { assertValidMessage, MailMessage } from './mailer';

/**
 * The notice as nodemailer is given it, checked first: the SMTP mailer sends exactly what the
 * mailbox-directory mailer writes to disk, so a mail read from the directory is the one SMTP would carry.
 */
export function nodemailerMessage(message: MailMessage, from: string): Mail.Options {
  assertValidMessage(message);
  return { from, to: message.to, subject: message.subject, text: message.text, messageId: message.messageId };
}

/** nodemailer, loaded by the first mailer that needs it (~30 ms of every start otherwise; most starts send nothing). */
export function nodemailer(): typeof Nodemailer {
  return require('nodemailer') as typeof Nodemailer;
}
