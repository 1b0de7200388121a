import { createTransport } from 'nodemailer';
import { SmtpSink } from '@lp/testing';

describe('SmtpSink: a real local SMTP server for tests', () => {
  it('receives what an SMTP client sends, with its headers and Japanese subject', async () => {
    const sink = new SmtpSink();
    const port = await sink.start();
    try {
      const transport = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
      await transport.sendMail({ from: 'a@example.jp', to: 'b@example.jp', subject: 'お知らせ', text: '本文', messageId: '<m-1@test>' });
      const mail = await sink.waitFor((candidate) => candidate.to.includes('b@example.jp'));
      expect(mail.from).toBe('a@example.jp');
      expect(mail.header('Message-ID')).toBe('<m-1@test>');
      expect(mail.header('Subject')).toMatch(/=\?UTF-8\?/i);
    } finally {
      await sink.stop();
    }
  });
});
