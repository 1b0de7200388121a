/** One notice e-mail, plain text. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /**
   * Stable id, e.g. derived from the triggering event id, used as Message-ID so a receiver can
   * dedupe. Sent as `<messageId>`; RFC 5322 wants `left@right`, see noticeMessageId().
   */
  messageId: string;
}

/** Where notice mails go: an SMTP server, or a directory of .eml files when none is configured. */
export interface Mailer {
  /** For the start-up log, e.g. 'SMTP smtp.example.com:587' (never the password). */
  readonly description: string;
  /** Resolves once the mail is accepted (by the SMTP server, or written to disk); throws otherwise. */
  send(message: MailMessage): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_MAIL_FROM = 'Licence Platform <no-reply@licence-platform.example>';

/**
 * A Message-ID for the notice caused by one event: the same event always gives the same id, so a
 * mail re-sent after a crash is recognisably the same mail (mail systems drop the duplicate).
 */
export function noticeMessageId(eventId: string, domain = 'licence-platform.example'): string {
  return `notice-${eventId}@${domain}`;
}

/**
 * A malformed message is a bug in the composer, not a passing fault; it is refused before anything
 * is sent (a Message-ID with spaces or angle brackets would turn into a different header).
 */
export function assertValidMessage(message: MailMessage): void {
  const problems = [
    !message.to.trim() && 'to is empty',
    /[\r\n]/.test(message.subject) && 'subject contains a line break',
    !/^[^\s<>]+$/.test(message.messageId) && `messageId ${JSON.stringify(message.messageId)} is empty or contains spaces or <>`,
  ].filter(Boolean);
  if (problems.length) throw new Error(`Invalid mail message: ${problems.join('; ')}`);
}
