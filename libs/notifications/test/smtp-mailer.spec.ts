import { MailRejectedError, SmtpMailer } from '@lp/notifications';
import { SmtpSink as SmtpTestServer } from '@lp/testing';

describe('SmtpMailer: sends through a real SMTP server', () => {
  let server: SmtpTestServer;
  let mailer: SmtpMailer;

  beforeEach(async () => {
    server = await new SmtpTestServer().start();
    mailer = new SmtpMailer({ host: '127.0.0.1', port: server.port, from: 'Licence Platform <no-reply@licence-platform.example>', timeoutMs: 5000 });
  });
  afterEach(async () => {
    await mailer.close();
    await server.stop();
  });

  it('delivers To, a Japanese Subject and body, and the given Message-ID', async () => {
    await mailer.send({
      to: 'reseller@example.co.jp',
      subject: 'アクティベーション完了のお知らせ',
      text: 'サブスクリプション SUB-1 はアクティベーション済になりました。\nLicence Platform',
      messageId: 'notice-e1@licence-platform.example',
    });

    expect(server.received).toHaveLength(1);
    const [mail] = server.received;
    expect(mail.envelopeTo).toEqual(['reseller@example.co.jp']);
    expect(mail.header('to')).toBe('reseller@example.co.jp');
    expect(mail.header('from')).toBe('Licence Platform <no-reply@licence-platform.example>');
    expect(mail.header('subject')).toBe('アクティベーション完了のお知らせ');
    expect(mail.header('message-id')).toBe('<notice-e1@licence-platform.example>');
    expect(mail.text).toBe('サブスクリプション SUB-1 はアクティベーション済になりました。\nLicence Platform');
    // Encoded on the wire, not raw 8-bit: survives any relay.
    expect(mail.raw.toString('latin1')).not.toMatch(/[\x80-\xff]/);
  });

  it('authenticates when a user is given', async () => {
    const withAuth = new SmtpMailer({ host: '127.0.0.1', port: server.port, user: 'lp', pass: 'secret', from: 'no-reply@licence-platform.example' });
    await withAuth.send({ to: 'a@example.com', subject: 's', text: 't', messageId: 'm1@x' });
    await withAuth.close();
    expect(server.received.map((mail) => mail.user)).toEqual(['lp']);
    expect(withAuth.description).toBe(`SMTP 127.0.0.1:${server.port} as lp`);
  });

  it('a temporary refusal (4xx) is an ordinary error, to be retried', async () => {
    server.rejectNext(1, 451);
    const sending = mailer.send({ to: 'a@example.com', subject: 's', text: 't', messageId: 'm1@x' });
    await expect(sending).rejects.toThrow(/451/);
    await expect(sending).rejects.not.toBeInstanceOf(MailRejectedError);
    expect(server.attempts).toBe(1);
  });

  it('a permanent refusal (5xx) is a MailRejectedError', async () => {
    server.rejectNext(1, 550);
    await expect(mailer.send({ to: 'a@example.com', subject: 's', text: 't', messageId: 'm1@x' })).rejects.toMatchObject({
      name: 'MailRejectedError',
      responseCode: 550,
    });
  });

  it('a server that is not there is an ordinary error', async () => {
    await server.stop();
    await expect(mailer.send({ to: 'a@example.com', subject: 's', text: 't', messageId: 'm1@x' })).rejects.toThrow(/ECONNREFUSED/);
    server = await new SmtpTestServer().start(); // for afterEach
  });

  it('refuses a malformed Message-ID before connecting', async () => {
    await expect(mailer.send({ to: 'a@example.com', subject: 's', text: 't', messageId: 'two words' })).rejects.toThrow(/messageId/);
    expect(server.attempts).toBe(0);
  });
});
