import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { fileNameOf, MailboxDirectoryMailer } from '@lp/notifications';
import { parseRawMail } from '@lp/testing';

describe('MailboxDirectoryMailer: one readable .eml file per mail', () => {
  let dir: string;
  let mailbox: string;
  let mailer: MailboxDirectoryMailer;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailbox-'));
    mailbox = join(dir, 'data', 'mailbox'); // does not exist yet: created on the first mail
    mailer = new MailboxDirectoryMailer({ directory: mailbox, from: 'Licence Platform <no-reply@licence-platform.example>' });
  });
  afterEach(async () => {
    await mailer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the mail as RFC 822 under its Message-ID, with the Japanese text intact', async () => {
    await mailer.send({ to: 'reseller@example.co.jp', subject: 'アクティベーション完了のお知らせ', text: '有効になりました。', messageId: 'notice-e1@licence-platform.example' });

    expect(readdirSync(mailbox)).toEqual(['notice-e1@licence-platform.example.eml']);
    const mail = parseRawMail(readFileSync(mailer.pathOf('notice-e1@licence-platform.example')));
    expect(mail.header('to')).toBe('reseller@example.co.jp');
    expect(mail.header('from')).toBe('Licence Platform <no-reply@licence-platform.example>');
    expect(mail.header('subject')).toBe('アクティベーション完了のお知らせ');
    expect(mail.header('message-id')).toBe('<notice-e1@licence-platform.example>');
    expect(mail.header('date')).toBeDefined();
    expect(mail.text).toBe('有効になりました。');
  });

  it('the same mail sent twice is still one file; no temp files stay behind', async () => {
    const message = { to: 'a@example.com', subject: 's', text: 't', messageId: 'same@x' };
    await mailer.send(message);
    await mailer.send(message);
    await mailer.send({ ...message, messageId: 'other@x' });
    expect(readdirSync(mailbox).sort()).toEqual(['other@x.eml', 'same@x.eml']);
  });

  it('file names cannot escape the directory, hide, or collide', () => {
    expect(fileNameOf('../../etc/passwd')).toBe('%2E.%2F..%2Fetc%2Fpasswd') // no '/' survives, so inner dots are harmless;
    expect(fileNameOf('a/b')).not.toBe(fileNameOf('a_b'));
    expect(fileNameOf('a%2Fb')).not.toBe(fileNameOf('a/b'));
    expect(fileNameOf('x'.repeat(1000)).length).toBeLessThan(255);
    expect(fileNameOf('x'.repeat(1000))).not.toBe(fileNameOf('x'.repeat(999)));
  });

  it('describes itself with the directory (for the start-up log)', () => {
    expect(mailer.description).toBe(`mailbox directory ${mailbox}`);
  });
});
