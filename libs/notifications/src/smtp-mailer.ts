import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { MailMessage, Mailer } from './mailer';
import { nodemailer, nodemailerMessage } from './nodemailer-message';

export interface SmtpMailerOptions {
  host: string;
  port: number;
  /** TLS from the first byte (port 465). false: plain, upgraded with STARTTLS when offered. */
  secure?: boolean;
  user?: string;
  pass?: string;
  /** 'Name <address>' */
  from: string;
  /** Give up on a silent server after this long, so a hung connection cannot stall the outbox forever (default 30 s). */
  timeoutMs?: number;
}

/**
 * The server said no to this message for good (5xx to RCPT TO or DATA: unknown mailbox, refused
 * content). Retrying cannot help; the outbox records it as failed instead of retrying forever.
 * A 4xx answer, a lost connection or a refused login stay ordinary errors and are retried.
 */
export class MailRejectedError extends Error {
  constructor(
    message: string,
    readonly responseCode: number,
  ) {
    super(message);
    this.name = 'MailRejectedError';
  }
}

/** Sends through an SMTP server with nodemailer: one connection per mail (notices are rare). */
export class SmtpMailer implements Mailer {
  readonly description: string;
  private readonly transport;

  constructor(private readonly options: SmtpMailerOptions) {
    const timeout = options.timeoutMs ?? 30_000;
    const config: SMTPTransport.Options = {
      host: options.host,
      port: options.port,
      secure: options.secure ?? false,
      auth: options.user ? { user: options.user, pass: options.pass ?? '' } : undefined,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    };
    this.transport = nodemailer().createTransport(config);
    this.description = `SMTP ${options.host}:${options.port}${options.secure ? ' (TLS)' : ''}${options.user ? ` as ${options.user}` : ''}`;
  }

  async send(message: MailMessage): Promise<void> {
    const mail = nodemailerMessage(message, this.options.from);
    try {
      const info = await this.transport.sendMail(mail);
      // With one recipient nodemailer already fails when it is refused; kept for safety.
      if (info.rejected.length) throw new MailRejectedError(`SMTP refused ${info.rejected.join(', ')}: ${info.response}`, 550);
    } catch (error) {
      throw asPermanentRejection(error) ?? error;
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

function asPermanentRejection(error: unknown): MailRejectedError | undefined {
  const { responseCode, command } = (error ?? {}) as { responseCode?: number; command?: string };
  const aboutThisMessage = command === 'RCPT TO' || command === 'DATA';
  if (aboutThisMessage && typeof responseCode === 'number' && responseCode >= 500) {
    return new MailRejectedError((error as Error).message, responseCode);
  }
  return undefined;
}
