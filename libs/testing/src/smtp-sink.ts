import { AddressInfo } from 'net';
import { SMTPServer } from 'smtp-server';
import { parseRawMail, ParsedMail } from './raw-mail';

export interface ReceivedMail extends ParsedMail {
  raw: Buffer;
  envelopeTo: string[];
  /** The user who logged in for this mail, if any. */
  user?: string;
}

/**
 * A real SMTP server on 127.0.0.1 (the smtp-server package) that keeps every accepted mail, so
 * tests check what a service actually sent over the wire. `rejectNext(n, code)` makes it answer
 * the next n DATA commands with that code (451: try later; 550: never).
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  port = 0;
  /** Times DATA was answered (accepted or rejected). */
  attempts = 0;
  private rejections: number[] = [];
  private readonly server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true, // plain TCP on loopback: let the client log in without TLS
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username }),
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        this.attempts++;
        const code = this.rejections.shift();
        if (code) return callback(Object.assign(new Error(code >= 500 ? 'Mailbox unavailable' : 'Try again later'), { responseCode: code }));
        const raw = Buffer.concat(chunks);
        this.received.push({ ...parseRawMail(raw), raw, envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address), user: session.user as string | undefined });
        callback();
      });
    },
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  rejectNext(times: number, responseCode = 451): void {
    this.rejections.push(...Array<number>(times).fill(responseCode));
  }

  /** Resolves with the first mail matching, waiting up to timeoutMs for it to arrive. */
  async waitFor(matches: (mail: ReceivedMail) => boolean, timeoutMs = 10_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const mail = this.received.find(matches);
      if (mail) return mail;
      if (Date.now() > deadline) throw new Error(`No matching mail within ${timeoutMs} ms (received ${this.received.length})`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
