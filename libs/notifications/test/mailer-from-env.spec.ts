import { mailerFromEnv, MailboxDirectoryMailer, SmtpMailer } from '@lp/notifications';

describe('mailerFromEnv: SMTP when configured, the mailbox directory otherwise', () => {
  const options = { mailboxDir: '/tmp/lp-mailbox' };

  it('no SMTP_HOST (or an empty one) → .eml files in the mailbox directory', () => {
    for (const env of [{}, { SMTP_HOST: '' }, { SMTP_HOST: '  ', MAIL_FROM: 'ops@example.com' }]) {
      const mailer = mailerFromEnv(env, options);
      expect(mailer).toBeInstanceOf(MailboxDirectoryMailer);
      expect(mailer.description).toBe('mailbox directory /tmp/lp-mailbox');
    }
  });

  it('SMTP_HOST → SMTP on 587 by default, TLS by default only on 465', () => {
    const plain = mailerFromEnv({ SMTP_HOST: 'smtp.example.com' }, options);
    expect(plain).toBeInstanceOf(SmtpMailer);
    expect(plain.description).toBe('SMTP smtp.example.com:587');
    expect(mailerFromEnv({ SMTP_HOST: 'smtp.example.com', SMTP_PORT: '465' }, options).description).toBe('SMTP smtp.example.com:465 (TLS)');
    expect(mailerFromEnv({ SMTP_HOST: 'h', SMTP_PORT: '465', SMTP_SECURE: 'false' }, options).description).toBe('SMTP h:465');
    expect(mailerFromEnv({ SMTP_HOST: 'h', SMTP_SECURE: 'true', SMTP_USER: 'u', SMTP_PASS: 'p w' }, options).description).toBe('SMTP h:587 (TLS) as u');
  });

  it('names every bad variable in one Error', () => {
    let message = '';
    try {
      mailerFromEnv({ SMTP_HOST: 'h', SMTP_PORT: '70000', SMTP_SECURE: 'maybe', SMTP_USER: 'u', MAIL_FROM: 'not an address' }, options);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/SMTP_PORT: invalid value "70000"/);
    expect(message).toMatch(/SMTP_SECURE: invalid value "maybe"/);
    expect(message).toMatch(/SMTP_PASS: missing/);
    expect(message).toMatch(/MAIL_FROM: invalid value "not an address"/);
    expect(message.split('\n')).toHaveLength(5);
  });

  it('refuses SMTP settings without SMTP_HOST instead of silently writing files', () => {
    expect(() => mailerFromEnv({ SMTP_USER: 'u', SMTP_PASS: 'p' }, options)).toThrow(/SMTP_HOST: missing \(required when SMTP_USER, SMTP_PASS are set\)/);
  });
});
