import addressparser from 'nodemailer/lib/addressparser';
import { MailboxDirectoryMailer } from './mailbox-directory-mailer';
import { DEFAULT_MAIL_FROM, Mailer } from './mailer';
import { SmtpMailer } from './smtp-mailer';

/**
 * The mailer the environment asks for. SMTP_HOST set → SMTP (SMTP_PORT default 587, SMTP_SECURE
 * default true only on port 465, SMTP_USER/SMTP_PASS together or not at all); no SMTP_HOST → .eml
 * files in options.mailboxDir. MAIL_FROM is the sender either way. Empty values count as unset.
 * Every bad variable is named in one Error, like the services' own configuration.
 */
export function mailerFromEnv(env: NodeJS.ProcessEnv, options: { mailboxDir: string }): Mailer {
  const value = (name: string) => (env[name]?.trim() ? env[name]!.trim() : undefined);
  const problems: string[] = [];
  const bad = (name: string, why: string) => problems.push(`  - ${name}: ${why}`);

  const from = value('MAIL_FROM') ?? DEFAULT_MAIL_FROM;
  if (!isSingleMailbox(from)) bad('MAIL_FROM', `invalid value ${JSON.stringify(env.MAIL_FROM)}: expected one address, e.g. '${DEFAULT_MAIL_FROM}'`);

  const host = value('SMTP_HOST');
  const portText = value('SMTP_PORT');
  const port = portText === undefined ? 587 : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) bad('SMTP_PORT', `invalid value ${JSON.stringify(portText)}: expected a port number 1-65535`);

  const secureText = value('SMTP_SECURE');
  const secure = secureText === undefined ? port === 465 : parseBoolean(secureText);
  if (secure === undefined) bad('SMTP_SECURE', `invalid value ${JSON.stringify(secureText)}: expected true or false`);

  const user = value('SMTP_USER');
  const pass = env.SMTP_PASS ? env.SMTP_PASS : undefined; // a password may legitimately have spaces
  if (user && !pass) bad('SMTP_PASS', 'missing (required when SMTP_USER is set)');
  if (pass && !user) bad('SMTP_USER', 'missing (required when SMTP_PASS is set)');

  // Without a host the mail would silently land on disk: refuse when SMTP was clearly meant.
  const smtpOnly = ['SMTP_PORT', 'SMTP_SECURE', 'SMTP_USER', 'SMTP_PASS'].filter((name) => value(name) !== undefined);
  if (!host && smtpOnly.length) bad('SMTP_HOST', `missing (required when ${smtpOnly.join(', ')} ${smtpOnly.length > 1 ? 'are' : 'is'} set)`);

  if (problems.length) throw new Error(`Invalid mail configuration:\n${problems.join('\n')}`);
  if (!host) return new MailboxDirectoryMailer({ directory: options.mailboxDir, from });
  return new SmtpMailer({ host, port, secure, user, pass, from });
}

function isSingleMailbox(from: string): boolean {
  const addresses = addressparser(from, { flatten: true });
  return addresses.length === 1 && /^[^@\s]+@[^@\s]+$/.test(addresses[0].address);
}

function parseBoolean(text: string): boolean | undefined {
  const lower = text.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(lower)) return true;
  if (['false', '0', 'no', 'off'].includes(lower)) return false;
  return undefined;
}
